"""A live page as readers see it on its article page, without script: the stream of shown updates in pages, the
pinned updates and key events at the top, the LIVE label, and what dates and tags the page."""

import re
from datetime import timedelta

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from articles.tests.factories import make_article, make_author
from live import stream
from live.public.page import PER_PAGE
from live.tests.factories import html_issues, make_live_article, make_updates

pytestmark = pytest.mark.django_db


def update_ids(response):
    """The ids of the updates in the stream, in page order."""
    return [int(pk) for pk in re.findall(r'<li class="live-update[^"]*" id="update-(\d+)"', response.content.decode())]


def test_the_page_shows_shown_updates_only(client, editor, writer):
    """Readers see published updates; a pending one and a deleted one never."""
    article = make_live_article(authors=[writer.author], live_moderated=True)
    shown = stream.post(article, editor, body="Polls close-7Q.")
    pending = stream.post(article, writer, body="Waiting-7Q.")
    deleted = stream.post(article, editor, body="Wrong-7Q.")
    stream.delete(deleted, editor, version=1)
    response = client.get(article.get_absolute_url())
    page = response.content.decode()
    assert "Polls close-7Q." in page and "Waiting-7Q." not in page and "Wrong-7Q." not in page
    assert update_ids(response) == [shown.pk]
    assert pending.status == pending.Status.PENDING
    assert '<section class="live" aria-labelledby="live-heading">' in page and "1 update<" in page


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Article.Status.DRAFT, "published_at": None},
        {"published_at": timezone.now() + timedelta(hours=1)},
        {"embargo_until": timezone.now() + timedelta(hours=1)},
        {"status": Article.Status.WITHDRAWN},
    ],
    ids=["unpublished", "scheduled", "embargoed", "withdrawn"],
)
def test_a_live_page_readers_may_not_see_shows_nothing_of_its_stream(client, editor, fields):
    """An unpublished, scheduled, embargoed or withdrawn live page shows none of its updates."""
    article = make_live_article()
    update = stream.post(article, editor, body="Hidden-update-7Q.")
    Article.objects.filter(pk=article.pk).update(**fields)
    response = client.get(f"/articles/{article.slug}/")
    assert response.status_code in (404, 410) and b"Hidden-update-7Q." not in response.content
    assert client.get(f"/articles/{article.slug}/updates/{update.pk}/").status_code == 404


def test_running_coverage_shows_the_newest_first_in_pages_of_twenty(client):
    """While coverage runs the newest update is first; older ones are on ?page=2, linked from page 1."""
    article = make_live_article()
    made = make_updates(article, PER_PAGE + 5)
    first = client.get(article.get_absolute_url())
    newest = [update.pk for update in reversed(made)]
    assert update_ids(first) == newest[:PER_PAGE]
    assert 'rel="next" href="?page=2#live-heading"' in first.content.decode()
    assert "page 1 of 2" in first.content.decode()
    second = client.get(article.get_absolute_url(), {"page": 2})
    assert update_ids(second) == newest[PER_PAGE:]
    assert 'rel="prev"' in second.content.decode() and 'rel="next"' not in second.content.decode()


def test_ended_coverage_reads_oldest_first_when_the_editor_chose_it(client):
    """Once coverage ends the stream is in the order the editor chose, and the page says coverage ended."""
    article = make_live_article(live_oldest_first=True)
    made = make_updates(article, 3)
    assert update_ids(client.get(article.get_absolute_url()))[0] == made[-1].pk  # still running: newest first
    Article.objects.filter(pk=article.pk).update(live_until=timezone.now() - timedelta(seconds=1))
    response = client.get(article.get_absolute_url())
    page = response.content.decode()
    assert update_ids(response) == [update.pk for update in made]
    assert "Coverage ended" in page and 'class="live-label"' not in page and 'data-order="oldest"' in page
    Article.objects.filter(pk=article.pk).update(live_oldest_first=False, version=99)
    assert update_ids(client.get(article.get_absolute_url())) == [update.pk for update in reversed(made)]


def test_pinned_updates_are_held_at_the_top_of_the_first_page_only(client, editor):
    """A pinned update leads page 1 whatever its age, and is not repeated on later pages."""
    article = make_live_article()
    pinned = stream.post(article, editor, body="Read this first.", pinned=True,
                         posted_at=timezone.now() - timedelta(days=1))  # fmt: skip
    make_updates(article, PER_PAGE + 3)
    first = client.get(article.get_absolute_url())
    assert update_ids(first)[0] == pinned.pk
    assert f'id="update-{pinned.pk}" data-seq="{pinned.seq}" data-pinned="1"' in first.content.decode()
    assert pinned.pk not in update_ids(client.get(article.get_absolute_url(), {"page": 2}))


def test_key_events_are_summarised_at_the_top_with_links_to_them(client, editor):
    """The summary lists shown key events, newest first, linking to the update on this page or its permalink."""
    article = make_live_article()
    old_key = stream.post(article, editor, body="Old key.", headline="Polls open", key_event=True,
                          posted_at=timezone.now() - timedelta(hours=2))  # fmt: skip
    gone = stream.post(article, editor, body="Gone key.", headline="Withdrawn-key-7Q", key_event=True)
    stream.delete(gone, editor, version=1)
    make_updates(article, PER_PAGE)
    new_key = stream.post(article, editor, body="Results are in.", key_event=True)
    page = client.get(article.get_absolute_url()).content.decode()
    start = page.index('<nav class="live-key-events"')
    summary = page[start : page.index("</nav>", start)]
    assert f'href="#update-{new_key.pk}"' in summary and "Results are in." in summary
    assert f'href="/articles/{article.slug}/updates/{old_key.pk}/#update-{old_key.pk}"' in summary
    assert summary.index("Results are in.") < summary.index("Polls open") and "Withdrawn-key-7Q" not in summary


def test_an_edited_update_says_updated_with_its_correction(client, editor):
    """An edit shows "Updated" with its time, and a correction note when one was given."""
    article = make_live_article()
    update = stream.post(article, editor, body="Turnout 40%.")
    stream.edit(update, editor, version=1, body="Turnout 45%.", correction="We first said 40%-7Q.")
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Turnout 45%." in page and "Turnout 40%." not in page
    assert " · Updated <time" in page and "We first said 40%-7Q." in page


def test_bad_page_numbers_are_named_not_failed(client):
    """A page past the last, or not a number, is a 404 that says so."""
    article = make_live_article()
    make_updates(article, 3)
    for page in ("2", "0", "x", "-1", "99999999999999999999"):
        assert client.get(article.get_absolute_url(), {"page": page}).status_code == 404, page


def test_an_article_that_is_not_live_has_no_stream(client):
    """An ordinary article's page shows no live part and keeps its NewsArticle data."""
    article = make_article()
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'class="live"' not in page and '"@type":"NewsArticle"' in page


def test_a_page_of_three_thousand_updates_costs_the_queries_of_one_of_thirty(client, editor, settings):
    """No query counts or scans the stream: page 1 and page 100 of 3,000 updates ask as many queries as 30."""
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    small, big = make_live_article(), make_live_article()
    author = make_author("Desk Writer")
    for article, count in ((small, 30), (big, 3000)):
        make_updates(article, count)
        stream.post(article, editor, body="Key.", key_event=True, authors=[author])
    counted = {}
    for name, article, page in (("small", small, 1), ("big", big, 1), ("deep", big, 100)):
        client.get(article.get_absolute_url(), {"page": page})  # warm the per-process memos
        with CaptureQueriesContext(connection) as queries:
            response = client.get(article.get_absolute_url(), {"page": page})
        assert response.status_code == 200 and len(update_ids(response)) == PER_PAGE
        counted[name] = len(queries)
        assert not [query for query in queries if "COUNT(" in query["sql"].upper() and "live_update" in query["sql"]]
    assert counted["small"] == counted["big"] == counted["deep"], counted


def test_the_page_is_sound_html_with_one_h1_and_no_dangling_references(client, editor):
    """One h1, unique ids, every aria-labelledby and in-page link naming an element of the page, balanced tags."""
    article = make_live_article()
    make_updates(article, 5)
    stream.post(article, editor, body="Key.", headline="Key", key_event=True, pinned=True)
    edited = stream.post(article, editor, body="Edited.")
    stream.edit(edited, editor, version=1, body="Edited again.", correction="Fixed.")
    page = client.get(article.get_absolute_url()).content.decode()
    document = lxml.html.document_fromstring(page)
    ids = document.xpath("//@id")
    assert len(ids) == len(set(ids)) and len(document.xpath("//h1")) == 1
    for target in document.xpath("//@aria-labelledby") + [href[1:] for href in document.xpath("//a/@href") if
                                                          href.startswith("#")]:  # fmt: skip
        assert target in ids, target
    assert html_issues(page) == []
