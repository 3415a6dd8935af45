from datetime import timedelta

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.tests.factories import make_article, make_author
from live import stream
from live.tests.factories import HIDDEN_PAGES, make_live_article

pytestmark = pytest.mark.django_db

FORMATS = ["rss", "atom", "json"]


def feed_url(article, fmt):
    return reverse(f"live:feed_{fmt}", kwargs={"slug": article.slug})


def entries(client, article, fmt):
    response = client.get(feed_url(article, fmt))
    assert response.status_code == 200
    if fmt == "json":
        return response.json()["items"]
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.bozo_exception
    return parsed.entries


@pytest.fixture
def coverage(editor):
    """A live page with a key event, an edited update, a deleted one and one waiting for an editor."""
    reporter = make_author("Rita Reporter")
    article = make_live_article(slug="election-night", live_moderated=True)
    now = timezone.now()
    first = stream.post(
        article, editor, body="Polls open-1A.", authors=[reporter], posted_at=now - timedelta(minutes=9)
    )
    key = stream.post(article, editor, body="The result is in-2B.", headline="Result-2B", key_event=True,
                      authors=[reporter], posted_at=now - timedelta(minutes=5))  # fmt: skip
    gone = stream.post(article, editor, body="Mistaken-3C.", posted_at=now - timedelta(minutes=3))
    stream.edit(first, editor, version=1, body="Polls opened late-1A.", correction="They did not open on time.")
    stream.delete(gone, editor, version=1)
    return article, first, key


def test_each_format_lists_the_shown_updates_newest_first(client, coverage, writer):
    """Each feed parses and has one entry per shown update, newest first, with content, author and dates."""
    article, first, key = coverage
    Article.objects.get(pk=article.pk).bylines.create(author=writer.author, position=1)
    stream.post(article, writer, body="Unapproved-4D.")  # waits for an editor
    for fmt in FORMATS:
        found = entries(client, article, fmt)
        if fmt == "json":
            assert [item["title"] for item in found] == ["Result-2B", "Polls opened late-1A."]
            assert found[1]["url"].endswith(f"/articles/election-night/updates/{first.pk}/")
            assert "opened late-1A" in found[1]["content_html"] and "did not open on time" in found[1]["content_html"]
            assert found[1]["date_modified"] > found[1]["date_published"]
            assert found[0]["authors"][0]["name"] == "Rita Reporter" and found[0]["tags"] == ["Key event"]
        else:
            assert [entry.title for entry in found] == ["Result-2B", "Polls opened late-1A."]
            assert found[1].link.endswith(f"/articles/election-night/updates/{first.pk}/")
            assert found[1].id.endswith(f":live-update:{first.pk}")
            assert "opened late-1A" in found[1].content[0].value
            assert found[0].author == "Rita Reporter"
            assert found[1].updated_parsed > found[1].published_parsed
        text = client.get(feed_url(article, fmt)).content.decode()
        assert "3C" not in text and "4D" not in text


def test_a_feed_is_304_when_unchanged_and_changes_with_the_stream(client, coverage, editor, time_machine):
    """If-None-Match and If-Modified-Since get a 304 until an update is posted."""
    article, first, key = coverage
    time_machine.move_to(timezone.now() + timedelta(seconds=2))  # Last-Modified counts whole seconds
    validators = {}
    for fmt in FORMATS:
        response = client.get(feed_url(article, fmt))
        validators[fmt] = {"if-none-match": response["ETag"], "if-modified-since": response["Last-Modified"]}
        for name, value in validators[fmt].items():
            assert client.get(feed_url(article, fmt), headers={name: value}).status_code == 304
    stream.post(article, editor, body="Later-5E.")
    time_machine.move_to(timezone.now() + timedelta(seconds=2))
    for fmt in FORMATS:
        for name, value in validators[fmt].items():
            response = client.get(feed_url(article, fmt), headers={name: value})
            assert response.status_code == 200 and "Later-5E" in response.content.decode()


@pytest.mark.parametrize("fields", **HIDDEN_PAGES)
def test_no_feed_for_a_page_readers_cannot_see(client, editor, fields):
    """An unpublished, embargoed, withdrawn or ordinary article has no feed of updates."""
    article = make_live_article()
    stream.post(article, editor, body="Secret-6F.")
    Article.objects.filter(pk=article.pk).update(**fields)
    for fmt in FORMATS:
        response = client.get(feed_url(article, fmt))
        assert response.status_code == 404 and "6F" not in response.content.decode()


def test_the_live_page_advertises_its_feeds_and_others_do_not(client, coverage):
    """A live page names its three feeds of updates in its head; an ordinary article names none."""
    article, first, key = coverage
    page = client.get(article.get_absolute_url()).content.decode()
    for fmt in FORMATS:
        assert f'href="{feed_url(article, fmt)}"' in page
    assert "/live/feed/" not in client.get(make_article().get_absolute_url()).content.decode()


def test_the_site_feeds_list_the_live_page_but_not_its_updates(client, coverage):
    """Updates are never entries of the site's feeds: the live page is, once, as the article it is."""
    article, first, key = coverage
    for fmt in FORMATS:
        response = client.get(reverse(f"articles:feed_{fmt}"))
        text = response.content.decode()
        assert "2B" not in text and "live-update" not in text
        if fmt != "json":
            assert [entry.title for entry in feedparser.parse(response.content).entries] == [article.title]


def test_methods_and_odd_addresses(client, coverage):
    """POST is a 405; unknown slugs and query junk are 404 or the feed, never a server error."""
    article, first, key = coverage
    assert client.post(feed_url(article, "rss")).status_code == 405
    assert client.get("/articles/%E2%98%83/live/feed/rss/").status_code == 404
    assert client.get(feed_url(article, "atom") + "?page=-1&x=%00").status_code in (200, 400)
