"""API keys: made in the admin by editors, shown once, stored as a digest, revocable, their last use noted at
most once a minute; what ``api.access.check`` makes of the key a request carries."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from api import access
from api.models import ApiKey
from api.tests.key_factories import bearer, make_key
from articles.models import SiteSettings

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:api_apikey_add")
LIST_URL = reverse("admin:api_apikey_changelist")


def stored_text():
    """Every text column of every API key row, as the database holds it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, scope, prefix, digest FROM api_apikey")
        return " ".join(" ".join(row) for row in cursor.fetchall())


def check(**headers):
    return access.check(RequestFactory().get("/api/v1/articles/", **headers))


def refusal(**headers):
    with pytest.raises(access.Refused) as refused:
        check(**headers)
    return refused.value


def test_an_editor_creates_a_key_and_sees_it_once_with_how_to_use_it(client_for, editor):
    client = client_for(editor)
    response = client.post(ADD_URL, {"name": "Preview app q4", "scope": "read-drafts"})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    key = ApiKey.objects.get(name="Preview app q4")
    page = response.content.decode()
    full = page.split('id="api-key" type="text" readonly value="')[1].split('"')[0]
    assert full.startswith(f"nr_{key.prefix}_") and f"Authorization: Bearer {full}" in page
    assert key.created_by == editor and key.reads_drafts and not key.is_revoked()
    assert full not in stored_text() and key.prefix in stored_text()
    for url in (LIST_URL, reverse("admin:api_apikey_change", args=[key.pk])):
        shown = client.get(url).content.decode()
        assert f"nr_{key.prefix}_…" in shown and full not in shown
    assert check(**bearer(full)) == access.Caller(key, drafts=True)


def test_the_add_form_offers_only_the_button_it_honours(client_for, editor):
    """Whatever saves a key shows it once: the form has one Save, not "add another" or "continue editing"."""
    form = client_for(editor).get(ADD_URL).content.decode()
    assert 'name="_save"' in form and 'name="_addanother"' not in form and 'name="_continue"' not in form


def test_the_example_call_goes_to_the_sites_public_address(client_for, editor):
    """The key's page shows a call to the API where callers reach it (the site's public URL), not the admin's host."""
    page = client_for(editor).post(ADD_URL, {"name": "Partner app", "scope": "read-public"}).content.decode()
    assert f" {SiteSettings.current().absolute(reverse('api:article_list'))}</pre>" in page


def test_an_editor_renames_a_key_but_cannot_widen_its_scope(client_for, editor):
    key, full = make_key("Old name")
    client = client_for(editor)
    response = client.post(
        reverse("admin:api_apikey_change", args=[key.pk]), {"name": "New name", "scope": "read-drafts"}
    )
    assert response.status_code == 302
    key.refresh_from_db()
    assert key.name == "New name" and key.scope == ApiKey.Scope.PUBLIC and check(**bearer(full)).drafts is False


def test_revoking_a_key_in_the_admin_stops_it_at_once(client_for, editor):
    key, full = make_key()
    other, other_full = make_key("Kept")
    response = client_for(editor).post(LIST_URL, {"action": "revoke", "_selected_action": [key.pk]}, follow=True)
    assert "1 key revoked." in response.content.decode()
    assert refusal(**bearer(full)).status == 401
    assert check(**bearer(other_full)).key == other
    assert "Revoked" in client_for(editor).get(LIST_URL + "?state=revoked").content.decode()


def test_revoking_a_key_already_revoked_says_so(client_for, editor):
    """An editor who selects a key revoked before is told it already was, not that no key was revoked."""
    active, _ = make_key("Partner")
    gone, _ = make_key("Old partner", revoked=True)
    response = client_for(editor).post(
        LIST_URL, {"action": "revoke", "_selected_action": [active.pk, gone.pk]}, follow=True
    )
    page = response.content.decode()
    assert "1 key revoked; 1 was revoked already." in page and "0 keys" not in page


def test_writers_see_nothing_of_the_keys(client_for, writer):
    key, _ = make_key()
    client = client_for(writer)
    for url in (LIST_URL, ADD_URL, reverse("admin:api_apikey_change", args=[key.pk])):
        assert client.get(url).status_code == 403, url
    assert "API key" not in client.get(reverse("admin:index")).content.decode()


@pytest.mark.parametrize("scope, drafts", [(ApiKey.Scope.PUBLIC, False), (ApiKey.Scope.DRAFTS, True)])
def test_a_key_in_either_header_names_its_caller_and_scope(scope, drafts):
    key, full = make_key(scope=scope)
    assert check(**bearer(full)) == access.Caller(key, drafts)
    assert check(HTTP_X_API_KEY=full) == access.Caller(key, drafts)
    assert check(HTTP_AUTHORIZATION=f"bearer  {full} ", HTTP_X_API_KEY=full) == access.Caller(key, drafts)


def test_a_call_without_a_key_is_anonymous():
    assert check() == access.Caller(None, drafts=False)


def test_unknown_malformed_and_wrong_keys_are_refused_alike_and_revoked_ones_say_so():
    key, full = make_key()
    _, revoked = make_key("Gone", revoked=True)
    wrong_secret = full[:-4] + ("AAAA" if not full.endswith("AAAA") else "BBBB")
    unknown_prefix = "nr_000000000000_" + full.split("_", 2)[2]
    answers = {text: refusal(**bearer(text)) for text in (wrong_secret, unknown_prefix, "nr_abc", "ключ", "x" * 5000)}
    for text, refused in answers.items():
        assert (refused.status, refused.message) == (401, access.UNKNOWN), text
        assert refused.headers["WWW-Authenticate"].startswith("Bearer")
    gone = refusal(**bearer(revoked))
    assert gone.status == 401 and "revoked" in gone.message


@pytest.mark.parametrize(
    "headers, named",
    [
        ({"HTTP_AUTHORIZATION": "Basic dXNlcjpwYXNz"}, "Bearer"),
        ({"HTTP_AUTHORIZATION": "Bearer "}, "Bearer"),
        ({"HTTP_X_API_KEY": "  "}, "X-API-Key"),
        ({"HTTP_AUTHORIZATION": "Bearer nr_a", "HTTP_X_API_KEY": "nr_b"}, "Two different"),
    ],
)
def test_a_key_sent_wrongly_is_refused_naming_the_header(headers, named):
    refused = refusal(**headers)
    assert refused.status == 401 and named in refused.message


def test_the_last_use_is_written_at_most_once_a_minute(django_assert_num_queries):
    key, full = make_key()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        check(**bearer(full))
    key.refresh_from_db()
    assert key.last_used_at == start
    with time_machine.travel(start + timedelta(seconds=59), tick=False), django_assert_num_queries(1):
        check(**bearer(full))  # the key's row is read; nothing is written
    key.refresh_from_db()
    assert key.last_used_at == start
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        check(**bearer(full))
    key.refresh_from_db()
    assert key.last_used_at == start + timedelta(seconds=61)
