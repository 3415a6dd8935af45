"""API keys and rate limits through the API's own addresses: what anonymous callers, a read-public key, a
read-drafts key and a revoked key get from the article list and an article; 429s with Retry-After per key and
per address; a key's last use shown in the admin."""

import json

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from api.models import ApiKey
from api.tests.key_factories import bearer, make_key
from articles.models import Article
from articles.tests.factories import make_article

pytestmark = pytest.mark.django_db

LIST = "/api/v1/articles"


@pytest.fixture
def stories():
    return {
        "published": make_article(title="Harbour reopens k7"),
        "draft": make_article(title="Budget draft k7", status=Article.Status.DRAFT, published_at=None),
    }


def titles(response):
    assert response.status_code == 200, response.content
    return {row["title"] for row in json.loads(response.content)["data"]}


def problem(response, status):
    assert response.status_code == status and response["Content-Type"].startswith("application/problem+json")
    found = json.loads(response.content)
    assert found["status"] == status
    return found["detail"]


def test_anonymous_callers_and_read_public_keys_see_what_readers_see(client, stories):
    _, public = make_key(scope=ApiKey.Scope.PUBLIC)
    for headers in ({}, bearer(public), {"HTTP_X_API_KEY": public}):
        assert titles(client.get(LIST, **headers)) == {"Harbour reopens k7"}
        assert client.get(f"{LIST}/{stories['published'].pk}", **headers).status_code == 200
        assert client.get(f"{LIST}/{stories['draft'].pk}", **headers).status_code == 404


def test_a_read_drafts_key_sees_drafts_and_its_answers_are_private(client, stories):
    _, drafts = make_key(scope=ApiKey.Scope.DRAFTS)
    assert titles(client.get(LIST, **bearer(drafts))) == {"Harbour reopens k7", "Budget draft k7"}
    response = client.get(f"{LIST}/{stories['draft'].pk}", **bearer(drafts))
    assert response.status_code == 200 and json.loads(response.content)["title"] == "Budget draft k7"
    assert "private" in response["Cache-Control"]
    assert titles(client.get(LIST)) == {"Harbour reopens k7"}  # the drafts key's answer was not kept for others


def test_revoked_unknown_and_malformed_keys_get_a_401_naming_the_problem(client, stories):
    _, revoked = make_key(scope=ApiKey.Scope.DRAFTS, revoked=True)
    _, good = make_key()
    for path in (LIST, f"{LIST}/{stories['draft'].pk}", f"{LIST}/{stories['published'].pk}"):
        response = client.get(path, **bearer(revoked))
        assert "revoked" in problem(response, 401) and response["WWW-Authenticate"].startswith("Bearer")
        for wrong in (good[:-1] + ("A" if good[-1] != "A" else "B"), "nr_nothing", "ключ"):
            assert "not one this site issued" in problem(client.get(path, HTTP_X_API_KEY=wrong), 401)
        assert "Bearer <API key>" in problem(client.get(path, HTTP_AUTHORIZATION="Basic eDp5"), 401)


@pytest.fixture
def limits(settings):
    settings.NEWSROOM_API_ANONYMOUS_PER_MINUTE = 2
    settings.NEWSROOM_API_KEY_PER_MINUTE = 3
    return settings


def at(second):
    return timezone.now().replace(second=second, microsecond=0)


def test_an_address_gets_a_429_with_retry_after_once_past_its_limit(client, stories, limits):
    with time_machine.travel(at(20), tick=False):
        client.get(LIST)
        client.get(f"{LIST}/{stories['published'].pk}")
        response = client.get(LIST)
        assert "without an API key" in problem(response, 429) and response["Retry-After"] == "40"
        assert client.get(LIST, REMOTE_ADDR="198.51.100.4").status_code == 200
    with time_machine.travel(at(20).replace(minute=(at(20).minute + 1) % 60), tick=False):
        assert client.get(LIST).status_code == 200


def test_a_key_gets_a_429_with_retry_after_once_past_its_limit(client, stories, limits):
    _, full = make_key()
    _, other = make_key("Other")
    with time_machine.travel(at(45), tick=False):
        for address in ("192.0.2.1", "192.0.2.2", "192.0.2.3"):
            assert client.get(LIST, REMOTE_ADDR=address, **bearer(full)).status_code == 200
        response = client.get(f"{LIST}/{stories['published'].pk}", REMOTE_ADDR="192.0.2.9", **bearer(full))
        assert "this API key" in problem(response, 429) and response["Retry-After"] == "15"
        assert client.get(LIST, **bearer(other)).status_code == 200


def test_a_keys_last_use_is_shown_in_the_admin(client, client_for, editor, stories):
    key, full = make_key("Preview app z3")
    admin = client_for(editor)

    def last_used_cell():
        page = admin.get(reverse("admin:api_apikey_changelist")).content.decode()
        return page.split('class="field-last_used_at nowrap">', 1)[1].split("</td>", 1)[0]

    assert last_used_cell() == "-"
    with time_machine.travel(timezone.now().replace(year=2031, month=3, day=4, hour=9, minute=15), tick=False):
        client.get(LIST, **bearer(full))
    assert "2031" in last_used_cell()
