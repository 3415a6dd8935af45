"""The edge's TTL: reader pages carry ``Surrogate-Control: max-age=N`` only when edges are purged on every change,
N capped by ``NEWSROOM_EDGE_SECONDS`` and by the next scheduled moment; never on a signed-in page, nor on pages
that are not reader pages."""

import time
from datetime import timedelta

import pytest
from django.core.checks import run_checks
from django.http import HttpResponseRedirect
from django.utils import timezone

from articles.tests.factories import make_article
from pagecache import keys
from pagecache.middleware import public_headers

pytestmark = pytest.mark.django_db


@pytest.fixture
def edge(settings):
    settings.NEWSROOM_EDGE_PURGE_URLS = ["http://127.0.0.1:6081/"]
    settings.NEWSROOM_EDGE_SECONDS = 86400


def max_age(response):
    name, _, value = response["Surrogate-Control"].partition("=")
    assert name == "max-age"
    return int(value)


@pytest.mark.parametrize("page_cache", [0, 600])
def test_reader_pages_carry_the_edge_ttl(client, edge, settings, page_cache):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = page_cache
    story = make_article()
    for url in ("/", story.get_absolute_url(), "/articles/no-such-story/", "/tags/"):
        first, again = client.get(url), client.get(url)
        assert 86390 <= max_age(first) <= 86400 and 86390 <= max_age(again) <= 86400, url
        assert "s-maxage=30" in first["Cache-Control"]  # other shared caches: as before


@pytest.mark.parametrize("page_cache", [0, 600])
def test_a_scheduled_publication_caps_the_edge_ttl(client, edge, settings, page_cache):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = page_cache
    make_article()
    make_article(title="Goes live in 90 seconds", published_at=timezone.now() + timedelta(seconds=90))
    assert 0 < max_age(client.get("/")) <= 90
    assert 0 < max_age(client.get("/")) <= 90  # a hit too


def test_no_edge_ttl_without_edges_signed_in_or_off_reader_pages(client, edge, settings, editor):
    make_article()
    assert "Surrogate-Control" in client.get("/")
    assert "Surrogate-Control" not in client.get("/healthz")
    assert "Surrogate-Control" not in client.get("/admin/login/")
    assert "Surrogate-Control" not in client.get("/search/?q=harbour")
    assert "Surrogate-Control" not in client.get("/no-such-page/")
    settings.NEWSROOM_EDGE_PURGE_URLS = []
    assert "Surrogate-Control" not in client.get("/")
    settings.NEWSROOM_EDGE_PURGE_URLS = ["http://127.0.0.1:6081/"]
    client.force_login(editor)
    assert "Surrogate-Control" not in client.get("/")


def test_a_purge_address_that_is_not_http_is_a_startup_error(settings):
    settings.NEWSROOM_EDGE_PURGE_SECRET = "s3cret"
    settings.NEWSROOM_EDGE_PURGE_URLS = ["http://127.0.0.1:6081/", "varnish:6082"]
    errors = [error for error in run_checks() if error.id.startswith("edge.")]
    assert [error.id for error in errors] == ["edge.E001"] and "varnish:6082" in errors[0].msg
    settings.NEWSROOM_EDGE_PURGE_URLS = ["https://edge.example.net/purge"]
    assert not [error for error in run_checks() if error.id.startswith("edge.")]


def test_a_temporary_redirect_of_a_reader_view_is_kept_by_the_edge_too(edge):
    """A reader view answering 302 (an update's permalink leads to the page holding it now) gets the same headers
    as its pages: purged by its keys, so kept like them."""
    response = HttpResponseRedirect("/articles/story/?page=2")
    response[keys.HEADER] = "u1"
    public_headers(response, time.time() + 3600)
    assert "public" in response["Cache-Control"] and "s-maxage=30" in response["Cache-Control"]
    assert 86390 <= max_age(response) <= 86400
