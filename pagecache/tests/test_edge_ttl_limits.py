"""When an edge must not keep a page for long, or at all: a page rendered while an edit committed (its purge may
reach the edge before the page does), a page whose keys are too many to send (nothing could purge it), and any
page while the shared cache, which is the purges' queue too, does not answer."""

import pytest
from django.core.cache import cache
from django.test.signals import template_rendered
from taggit.models import Tag

from articles.models import TaggedArticle
from articles.tests.factories import make_article
from pagecache.keys import LARGEST_HEADER

pytestmark = pytest.mark.django_db


@pytest.fixture
def edge(settings):
    settings.NEWSROOM_EDGE_PURGE_URLS = ["http://127.0.0.1:6081/"]
    settings.NEWSROOM_EDGE_SECONDS = 86400


@pytest.mark.parametrize("page_cache", [0, 600])
def test_a_page_rendered_while_an_edit_commits_is_not_kept_at_the_edge(client, edge, settings, page_cache):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = page_cache
    story = make_article(title="Before the edit")

    def edit_during_render(sender, template, **kwargs):
        if template.name == "articles/front_page.html":
            template_rendered.disconnect(edit_during_render)
            story.title = "After the edit"
            story.save()

    template_rendered.connect(edit_during_render)
    try:
        straddled = client.get("/")
    finally:
        template_rendered.disconnect(edit_during_render)
    assert straddled["Surrogate-Control"] == "max-age=0"
    after = client.get("/")
    assert b"After the edit" in after.content and after["Surrogate-Control"] == "max-age=86400"


def test_a_page_with_more_keys_than_an_edge_takes_carries_none_and_is_not_kept(client, edge):
    story, other = make_article(), make_article()
    tags = Tag.objects.bulk_create(Tag(name=f"Topic {n:05}", slug=f"topic-{n:05}") for n in range(6000))
    TaggedArticle.objects.bulk_create(TaggedArticle(content_object=story, tag=tag) for tag in tags)
    response = client.get("/tags/")
    assert response.status_code == 200 and b"Topic 05999" in response.content
    assert len(" ".join(f"t{tag.pk}" for tag in tags)) > LARGEST_HEADER
    assert "xkey" not in response and "Surrogate-Control" not in response
    assert "Surrogate-Control" in client.get(other.get_absolute_url())  # a page of ordinary size still is


def test_while_the_shared_cache_does_not_answer_the_edge_keeps_pages_only_briefly(client, edge, settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "newsroom.cachebackend.ResilientRedisCache", "LOCATION": "redis://127.0.0.1:1/0"},
    }
    make_article()
    response = client.get("/")
    assert response.status_code == 200 and not getattr(cache, "available", True)
    assert response["Surrogate-Control"] == f"max-age={settings.NEWSROOM_CDN_SECONDS}"


def test_a_404_rendered_while_a_publication_commits_is_not_kept_at_the_edge(client, edge):
    story = make_article(title="Before the edit")

    def edit_during_render(sender, template, **kwargs):
        if template.name == "404.html":
            template_rendered.disconnect(edit_during_render)
            story.title = "After the edit"
            story.save()

    template_rendered.connect(edit_during_render)
    try:
        straddled = client.get("/articles/goes-live-now/")
    finally:
        template_rendered.disconnect(edit_during_render)
    assert straddled.status_code == 404 and straddled["Surrogate-Control"] == "max-age=0"
    assert client.get("/articles/goes-live-now/")["Surrogate-Control"] == "max-age=86400"
