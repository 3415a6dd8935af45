"""The stream's token in the page cache's key: stable while the shared cache answers nothing, so a page of a live
page is kept by an edge as briefly as any other page then, not refused as overtaken on every request."""

import pytest
from django.core.cache import cache

from articles.tests.factories import make_article
from live import stream, tokens
from live.tests.factories import make_live_article

pytestmark = pytest.mark.django_db


def test_a_live_page_has_a_token_that_moves_with_its_stream(editor):
    article = make_live_article()
    before = tokens.variant(slug=article.slug)
    assert before and tokens.variant(slug=article.slug) == before
    stream.post(article, editor, body="Moves it.")
    assert tokens.variant(slug=article.slug) not in ("", before)
    assert tokens.variant(slug=make_article().slug) == ""  # not a live page: no token, no round trip


@pytest.fixture
def dead_cache(settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "newsroom.cachebackend.ResilientRedisCache", "LOCATION": "redis://127.0.0.1:1/0"},
    }


def test_while_the_shared_cache_does_not_answer_a_live_page_is_kept_briefly_by_the_edge(
    client, editor, settings, dead_cache
):
    settings.NEWSROOM_EDGE_PURGE_URLS = ["http://127.0.0.1:6081/"]
    article = make_live_article()
    stream.post(article, editor, body="Written before the outage.")
    for url in (article.get_absolute_url(), f"/articles/{article.slug}/live/updates.json"):
        response = client.get(url)
        assert response.status_code == 200 and not getattr(cache, "available", True)
        assert response["Surrogate-Control"] == f"max-age={settings.NEWSROOM_CDN_SECONDS}", url
