"""Fragments (cards, article bodies, feed entries) rendered once per version, and one render per missed page."""

import threading
import time

import pytest
from django.db import connection
from django.test import Client
from taggit.models import Tag

from articles.models import Article, Byline, Correction
from articles.public import views
from articles.tests.factories import make_article, make_author
from pagecache import fragment_store, generation, local

pytestmark = pytest.mark.django_db

PAGES = ["/", "/tags/harbour/", "/authors/ann-byline/", "/feed/rss/", "/feed/atom/", "/feed/json/"]


@pytest.fixture
def story():
    return make_article(title="Harbour reopens", authors=[make_author("Ann Byline")], tags=["Harbour", "Ports"])


@pytest.fixture
def page_cache_off(settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0


@pytest.fixture
def renders(monkeypatch):
    """How many fragments were rendered, by kind (rendered, not found in a cache)."""
    counted = {}
    real_many = fragment_store.many

    def counting(kind, items, signature, render, **options):
        def counted_render(item):
            counted[kind] = counted.get(kind, 0) + 1
            return render(item)

        return real_many(kind, items, signature, counted_render, **options)

    monkeypatch.setattr(fragment_store, "many", counting)
    return counted


def pages(client, urls=(*PAGES, "/articles/harbour-reopens/")):
    return {url: client.get(url).content.decode() for url in urls}


def test_a_new_generation_puts_pages_together_from_fragments(client, story, page_cache_off, renders):
    """After an edit elsewhere, pages are rebuilt without rendering the unchanged articles again."""
    first = pages(client)
    assert renders and all(count >= 1 for count in renders.values())
    renders.clear()
    generation.invalidate()
    local.FRAGMENTS.clear()  # as in another worker: the fragments come from the shared cache
    assert pages(client) == first
    assert renders == {}


def test_an_edit_renders_only_that_article_again(client, story, page_cache_off, renders):
    other = make_article(title="Ferry timetable", tags=["Ports"])
    pages(client, ["/", "/tags/ports/"])
    renders.clear()
    story.title = "Harbour reopens after storm"
    story.save()
    home = client.get("/").content.decode()
    assert "Harbour reopens after storm" in home and other.title in home
    assert sum(renders.values()) == 1  # the edited story's card; the other card is reused
    assert "Harbour reopens after storm" in client.get("/tags/ports/").content.decode()


@pytest.mark.parametrize("url", [*PAGES, "/articles/harbour-reopens/"])
def test_renaming_an_author_or_a_tag_leaves_no_old_fragment(client, story, page_cache_off, url):
    before = client.get(url).content.decode()
    assert "Ann Byline" in before and ("Harbour" in before)
    author = story.authors.get()
    author.name = "Ann B. Line"
    author.save()
    tag = Tag.objects.get(name="Ports")
    tag.name = "Seaports"
    tag.save()
    after = client.get(url).content.decode()
    assert "Ann Byline" not in after and "Ann B. Line" in after
    assert "Seaports" in after and ">Ports<" not in after and '"Ports"' not in after


def test_byline_changes_and_corrections_reach_every_fragment(client, story, page_cache_off):
    before = pages(client)
    second = make_author("Bo Second")
    Byline.objects.create(article=story, author=second, position=1, role="Photos")
    Correction.objects.create(article=story, text="An earlier version misdated the storm.")
    after = pages(client)
    for url in ["/", "/tags/harbour/", "/feed/rss/", "/feed/json/", "/articles/harbour-reopens/"]:
        assert "Bo Second" not in before[url] and "Bo Second" in after[url], url
    assert "misdated the storm" in after["/articles/harbour-reopens/"]


def test_a_new_release_renders_fragments_again(client, story, page_cache_off, renders, settings):
    """A new template (a new release) never gets fragments rendered by the old one."""
    pages(client)
    renders.clear()
    settings.NEWSROOM_RELEASE = "next-release"
    generation.release.cache_clear()
    try:
        pages(client)
    finally:
        generation.release.cache_clear()
    assert renders.get("card") and renders.get("article") and renders.get("feed-rss")


def test_long_articles_are_kept_in_the_shared_cache_only(client, page_cache_off):
    """This process keeps small fragments; a long article's (its parts together) stays out of its memory."""
    short = make_article(title="Short item", body="One paragraph.")
    long = make_article(title="Long read", body="\n\n".join(["A paragraph of the long read. " * 20] * 80))
    for article in (short, long):
        assert client.get(article.get_absolute_url()).status_code == 200
    kept = local.FRAGMENTS.values()
    bodies = [fragment["body"] for fragment in kept if isinstance(fragment, dict)]
    assert any("One paragraph." in body for body in bodies)
    assert not any("A paragraph of the long read." in body for body in bodies)
    assert all(fragment_store.size(fragment) <= fragment_store.LOCAL_LARGEST for fragment in kept)
    assert b"A paragraph of the long read." in client.get(long.get_absolute_url()).content  # from the shared cache


def test_fragments_need_no_shared_cache(client, story, page_cache_off, settings):
    """With no shared cache at all (a dummy), pages still render, fragment by fragment."""
    settings.CACHES = {**settings.CACHES, "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    local.FRAGMENTS.clear()
    for url in [*PAGES, "/articles/harbour-reopens/"]:
        response = client.get(url)
        assert response.status_code == 200 and b"Harbour reopens" in response.content, url


def test_previews_are_never_kept(client, editor, renders):
    article = make_article(title="Secret draft", status=Article.Status.DRAFT, published_at=None)
    client.force_login(editor)
    assert b"Secret draft" in client.get(f"/preview/{article.pk}/").content
    assert "article" not in renders


# One render per missed page


@pytest.mark.django_db(transaction=True)
def test_sixteen_first_readers_cause_one_render(monkeypatch):
    """Sixteen readers ask for the same missed page at once: one renders it, the others wait for it."""
    make_article(title="Harbour reopens", tags=["Harbour"])
    rendered = []
    real = views.ArticleListView.get_context_data

    def slow_render(self, **kwargs):
        rendered.append(threading.get_ident())
        time.sleep(0.5)  # the others ask while the page is being rendered
        return real(self, **kwargs)

    monkeypatch.setattr(views.ArticleListView, "get_context_data", slow_render)
    started = threading.Barrier(17)
    answers = []

    def read():
        try:
            started.wait(5)
            answers.append(Client().get("/latest/"))
        finally:
            connection.close()

    threads = [threading.Thread(target=read) for _ in range(16)]
    for thread in threads:
        thread.start()
    started.wait(5)
    for thread in threads:
        thread.join(30)
    assert len(rendered) == 1
    assert len(answers) == 16 and all(answer.status_code == 200 for answer in answers)
    assert len({answer.content for answer in answers}) == 1
    assert sorted(answer["X-Cache"] for answer in answers).count("miss") == 1


def test_a_failed_render_lets_the_next_reader_render(client, monkeypatch, settings):
    """A render that errors releases the page at once: the next reader renders it instead of waiting."""
    make_article(title="Harbour reopens")
    settings.NEWSROOM_RENDER_WAIT_SECONDS = 30
    real = views.ArticleListView.get_context_data
    calls = []

    def failing_once(self, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("render failed")
        return real(self, **kwargs)

    monkeypatch.setattr(views.ArticleListView, "get_context_data", failing_once)
    client.raise_request_exception = False
    assert client.get("/latest/").status_code == 500
    response = client.get("/latest/")
    assert response.status_code == 200 and response["X-Cache"] == "miss" and len(calls) == 2
