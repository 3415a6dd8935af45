"""What every address does around its endpoint: 304s, CORS, the page cache for anonymous calls, a key's
answers kept out of shared caches, read-only methods, JSON only, and lists in a constant number of queries."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from api.tests.calls import PREFIX, body, call
from articles.tests.factories import make_article, make_author
from live import stream
from live.tests.factories import make_live_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return make_article(published_at=timezone.now() - timedelta(hours=2))


@pytest.mark.parametrize("cached", [True, False])
@pytest.mark.parametrize("path", ["/articles", "/article", "/sections", "/tags", "/authors", "/corrections"])
def test_etag_gives_a_304_and_an_edit_a_200(client, article, path, settings, cached):
    """A list's or a detail's ETag earns a 304 until an edit changes what it shows, page cache on or off."""
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 300 if cached else 0
    path = f"/articles/{article.pk}" if path == "/article" else path
    first = call(client, path)
    assert first.status_code == 200 and first.has_header("ETag")
    again = client.get(f"{PREFIX}{path}", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304 and not again.content
    article.title = "A new headline"
    article.save()
    assert client.get(f"{PREFIX}{path}", headers={"If-None-Match": first["ETag"]}).status_code in (200, 304)
    if path.startswith("/articles"):
        assert client.get(f"{PREFIX}{path}", headers={"If-None-Match": first["ETag"]}).status_code == 200


@pytest.mark.parametrize("cached", [True, False])
def test_last_modified_gives_a_304(client, article, settings, time_machine, cached):
    """An article's Last-Modified earns a 304 for If-Modified-Since, page cache on or off."""
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 300 if cached else 0
    time_machine.move_to(timezone.now() + timedelta(seconds=2))  # Last-Modified counts whole seconds
    first = call(client, f"/articles/{article.pk}")
    assert first.has_header("Last-Modified")
    again = client.get(f"{PREFIX}/articles/{article.pk}", headers={"If-Modified-Since": first["Last-Modified"]})
    assert again.status_code == 304


def test_anonymous_answers_come_from_the_page_cache(client, article):
    """A second anonymous call is a hit, public for shared caches a short while, varying by Authorization."""
    assert call(client, "/articles", limit=5)["X-Cache"] == "miss"
    second = call(client, "/articles", limit=5)
    assert second["X-Cache"] == "hit"
    assert "public" in second["Cache-Control"]
    assert "Authorization" in second["Vary"]
    assert call(client, "/articles", limit=6)["X-Cache"] == "miss"  # every parameter makes another answer


def test_a_keys_answers_are_private_and_never_cached(client, article, drafts_caller):
    """A key's answers are not stored by this cache nor by any shared one; the caller's own copy earns a 304."""
    for _ in range(2):
        response = call(client, "/articles")
        assert "X-Cache" not in response
        assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]
        assert {"Authorization", "X-API-Key"} <= set(response["Vary"].split(", "))
    again = client.get(f"{PREFIX}/articles", headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304


def test_cors_lets_any_origin_read_and_see_the_validators(client, article):
    """A browser on another origin may read the answers (no credentials) and their ETag, Link and Retry-After."""
    response = client.get(f"{PREFIX}/articles", headers={"Origin": "https://app.example"})
    assert response["Access-Control-Allow-Origin"] == "*"
    assert {"ETag", "Link", "Retry-After"} <= set(response["Access-Control-Expose-Headers"].split(", "))
    assert "Access-Control-Allow-Credentials" not in response


def test_cors_preflight_and_a_list_of_origins(client, settings):
    """The preflight names GET and HEAD; with a list of origins only those are let in."""
    settings.NEWSROOM_API_CORS_ORIGINS = ["https://app.example"]
    headers = {"Origin": "https://app.example", "Access-Control-Request-Method": "GET"}
    response = client.options(f"{PREFIX}/articles", headers=headers)
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "https://app.example"
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD"
    other = client.get(f"{PREFIX}/articles", headers={"Origin": "https://elsewhere.example"})
    assert "Access-Control-Allow-Origin" not in other
    assert "Origin" in other["Vary"]


def test_the_preflight_lets_a_browser_send_a_key_in_either_header(client, settings):
    """A page on an allowed origin may send its key as ``Authorization`` or ``X-API-Key``, as the README says."""
    settings.NEWSROOM_API_CORS_ORIGINS = ["https://app.example"]
    for header in ("authorization", "x-api-key"):
        asked = {"Origin": "https://app.example", "Access-Control-Request-Method": "GET",
                 "Access-Control-Request-Headers": header}  # fmt: skip
        response = client.options(f"{PREFIX}/articles", headers=asked)
        allowed = {name.strip().lower() for name in response["Access-Control-Allow-Headers"].split(",")}
        assert header in allowed


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_api_is_read_only(client, method):
    """Writing methods get a 405 problem with an Allow header."""
    response = getattr(client, method)(f"{PREFIX}/articles")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"
    assert response["Allow"] == "GET, HEAD, OPTIONS"


@pytest.mark.parametrize("cached", [True, False])
def test_head_answers_the_headers_alone(client, article, settings, cached):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 300 if cached else 0
    response = client.head(f"{PREFIX}/articles/{article.pk}")
    assert response.status_code == 200 and response.has_header("ETag") and not response.content


def test_only_json_is_answered(client):
    """A caller that accepts no JSON gets a 406 problem."""
    response = client.get(f"{PREFIX}/articles", headers={"Accept": "text/html"})
    assert response.status_code == 406
    assert body(response)["status"] == 406


def test_refusals_from_the_access_check_are_problems_with_their_headers(client, settings):
    """A refusal (a rate limit here, reached for real) is answered as a problem with the headers it names."""
    settings.NEWSROOM_API_ANONYMOUS_PER_MINUTE = 1
    with time_machine.travel(timezone.now().replace(second=10, microsecond=0), tick=False):
        client.get(f"{PREFIX}/articles")
        response = client.get(f"{PREFIX}/articles", headers={"Origin": "https://app.example"})
    assert response.status_code == 429 and response["Retry-After"] == "50"
    assert body(response)["detail"] == "Too many calls by this address without an API key: try again in 50 s."
    assert response["Access-Control-Allow-Origin"] == "*"


def test_a_list_of_100_articles_costs_a_constant_number_of_queries(client, settings, django_assert_max_num_queries):
    """A hundred articles, each with two bylines and tags, in a handful of queries."""
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    authors = [make_author(), make_author()]
    for _ in range(100):
        make_article(authors=authors, tags=["one", "two"])
    with django_assert_max_num_queries(8):
        response = call(client, "/articles", limit=100)
    assert len(body(response)["data"]) == 100


@pytest.mark.parametrize("path", ["/api/v1/", "/api/v1/nowhere", "/api/v1/articles/12/nowhere", "/api/v2/articles"])
def test_unknown_addresses_under_the_api_are_problems(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert body(response)["status"] == 404


def test_answers_carry_the_surrogate_keys_of_what_they_show(client, settings):
    """An edge purges API answers as it purges pages: a detail names its article, section, authors, tags and
    pictures; a list names which articles it lists."""
    settings.NEWSROOM_EDGE_PURGE_URLS = ["http://127.0.0.1:9/"]
    author = make_author()
    article = make_article(authors=[author], tags=["harbour"])
    detail = set(call(client, f"/articles/{article.pk}")["xkey"].split())
    assert {f"a{article.pk}", f"p{author.pk}"} <= detail
    listed = set(call(client, "/articles", tag="harbour")["xkey"].split())
    assert {"latest", f"a{article.pk}"} <= listed and any(key.startswith("tl") for key in listed)


def test_a_new_update_reaches_the_cached_list_of_updates(client, editor):
    """A live page's updates are retired from the page cache by the stream's own token when one is posted."""
    page = make_live_article()
    stream.post(page, editor, body="First from the scene.")
    assert call(client, f"/articles/{page.pk}/updates")["X-Cache"] == "miss"
    assert call(client, f"/articles/{page.pk}/updates")["X-Cache"] == "hit"
    stream.post(page, editor, body="Second from the scene.")
    again = call(client, f"/articles/{page.pk}/updates")
    assert again["X-Cache"] == "miss"
    assert [row["body_html"] for row in body(again)["data"]][0] == "<p>Second from the scene.</p>"


def test_an_article_costs_the_same_queries_with_one_correction_or_ten(client, settings, django_assert_max_num_queries):
    """The detail reads its corrections in one query, however many there are."""
    from articles.models import Correction

    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    article = make_article(authors=[make_author()], tags=["one"])
    for n in range(10):
        Correction.objects.create(article=article, text=f"Correction number {n}.")
    with django_assert_max_num_queries(10):
        response = call(client, f"/articles/{article.pk}")
    assert len(body(response)["corrections"]) == 10


@pytest.mark.parametrize("cached", [True, False])
def test_a_deleted_update_is_no_stale_304_for_a_copy_dated_before_it(client, editor, settings, cached):
    """Deleting a live page's newest update changes its list of updates: a copy dated before the deletion is not
    told it is current (Last-Modified follows the stream's last change, not only the updates still shown)."""
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 300 if cached else 0
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False):
        page = make_live_article()
        stream.post(page, editor, body="First from the scene.")
    with time_machine.travel(start + timedelta(seconds=10), tick=False):
        newest = stream.post(page, editor, body="Second from the scene.")
    with time_machine.travel(start + timedelta(seconds=20), tick=False):
        dated = call(client, f"/articles/{page.pk}/updates")["Last-Modified"]
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        stream.delete(newest, editor, version=newest.version)
    with time_machine.travel(start + timedelta(seconds=40), tick=False):
        again = client.get(f"{PREFIX}/articles/{page.pk}/updates", headers={"If-Modified-Since": dated})
    assert again.status_code == 200
    assert [row["body_html"] for row in body(again)["data"]] == ["<p>First from the scene.</p>"]
