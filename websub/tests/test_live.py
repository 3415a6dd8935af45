"""A live page's feeds of updates are feeds like the others: they name the hubs and themselves (in their body and
in ``Link`` headers, on a 200 and a 304), and the hubs are told of them when an update readers see is posted,
approved, edited or deleted; an update on a page readers cannot see, or awaiting approval, tells no hub."""

import feedparser
import pytest
from django.urls import reverse

from articles.models import Article, Author, SiteSettings
from live import stream
from live.tests.factories import make_live_article
from websub.tests.hubs import HUBS, link_header, named

pytestmark = pytest.mark.django_db


def live_feeds(article):
    """The absolute addresses of the live page's feeds of updates, in every format."""
    site = SiteSettings.current()
    return {site.absolute(reverse(f"live:feed_{fmt}", args=[article.slug])) for fmt in ("rss", "atom", "json")}


def test_a_live_pages_feeds_name_each_hub_and_themselves(client, settings):
    """Each feed of updates names every hub and its own address in its body and its Link header, on a 304 too."""
    settings.NEWSROOM_WEBSUB_HUBS = HUBS
    article = make_live_article(title="Election night")
    for fmt in ("rss", "atom", "json"):
        path = reverse(f"live:feed_{fmt}", args=[article.slug])
        own = SiteSettings.current().absolute(path)
        expected = [f'<{own}>; rel="self"', *(f'<{hub}>; rel="hub"' for hub in HUBS)]
        first = client.get(path)
        assert first.status_code == 200, path
        assert named(first.content, path) == (HUBS, own), path
        assert link_header(first) == expected, path
        if fmt != "json":
            assert [link.href for link in feedparser.parse(first.content).feed.links if link.rel == "hub"] == HUBS
        again = client.get(path, headers={"if-none-match": first["ETag"]})
        assert again.status_code == 304 and link_header(again) == expected, path


def test_each_change_readers_see_on_a_live_page_tells_the_hub_of_its_feeds(
    hub, eager_jobs, editor, django_capture_on_commit_callbacks
):
    """Posting, editing and deleting an update each tell the hub of the page's three feeds of updates."""
    capture = django_capture_on_commit_callbacks
    with capture(execute=True):
        article = make_live_article(title="Election night")
    before = hub.taken()
    with capture(execute=True):
        update = stream.post(article, editor, body="Polls close.")
    assert hub.taken() - before == dict.fromkeys(live_feeds(article), 1)
    with capture(execute=True):
        update = stream.edit(update, editor, version=update.version, body="Polls have closed.")
    with capture(execute=True):
        stream.delete(update, editor, version=update.version)
    assert hub.taken() - before == dict.fromkeys(live_feeds(article), 3)


def test_an_update_awaiting_approval_tells_the_hub_once_approved(
    hub, eager_jobs, editor, writer, django_capture_on_commit_callbacks
):
    """An update awaiting approval changes no feed readers see; its approval does."""
    with django_capture_on_commit_callbacks(execute=True):
        article = make_live_article(title="Storm", live_moderated=True)
        article.bylines.create(author=Author.objects.get(user=writer), position=0)
    before = hub.taken()
    with django_capture_on_commit_callbacks(execute=True):
        update = stream.post(article, writer, body="Trees down on the A6.")
    assert hub.taken() == before
    with django_capture_on_commit_callbacks(execute=True):
        stream.approve(update, editor, version=update.version)
    assert hub.taken() - before == dict.fromkeys(live_feeds(article), 1)


def test_updates_on_a_page_readers_cannot_see_tell_no_hub(hub, eager_jobs, editor, django_capture_on_commit_callbacks):
    """A draft live page's updates change no public feed: the hub hears nothing of them."""
    article = make_live_article(title="Not yet", status=Article.Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        stream.post(article, editor, body="Hidden.")
    assert hub.received() == 0


def test_a_live_pages_own_events_tell_the_hub_of_its_feeds_of_updates(
    hub, eager_jobs, django_capture_on_commit_callbacks
):
    """A live page published, retitled and withdrawn changes its feeds of updates too (their title, then their
    very existence): the hub is told of them with the article's other feeds."""
    with django_capture_on_commit_callbacks(execute=True):
        article = make_live_article(title="Election night")
    assert {url: hub.taken()[url] for url in live_feeds(article)} == dict.fromkeys(live_feeds(article), 1)
    with django_capture_on_commit_callbacks(execute=True):
        article.title = "Election night: the results"
        article.save()
    with django_capture_on_commit_callbacks(execute=True):
        article.status = Article.Status.WITHDRAWN
        article.save()
    assert {url: hub.taken()[url] for url in live_feeds(article)} == dict.fromkeys(live_feeds(article), 3)
