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


@pytest.fixture
def edit_during():
    """``edit_during(template, article)``: the address's answer, with an edit of ``article`` saved (and
    committed) while ``template`` renders."""
    from contextlib import contextmanager

    @contextmanager
    def editing(template_name, article):
        def edit(sender, template, **kwargs):
            if template.name == template_name:
                template_rendered.disconnect(edit)
                article.title = "After the edit"
                article.save()

        template_rendered.connect(edit)
        try:
            yield
        finally:
            template_rendered.disconnect(edit)

    return editing


@pytest.mark.parametrize("page_cache", [0, 600])
def test_a_page_rendered_while_an_edit_commits_is_not_kept_at_the_edge(client, edge, settings, page_cache, edit_during):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = page_cache
    story = make_article(title="Before the edit")
    with edit_during("articles/front_page.html", story):
        straddled = client.get("/")
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


def test_a_404_rendered_while_a_publication_commits_is_not_kept_at_the_edge(client, edge, edit_during):
    story = make_article(title="Before the edit")
    with edit_during("404.html", story):
        straddled = client.get("/articles/goes-live-now/")
    assert straddled.status_code == 404 and straddled["Surrogate-Control"] == "max-age=0"
    assert client.get("/articles/goes-live-now/")["Surrogate-Control"] == "max-age=86400"
