"""The sign-up form under articles and section fronts: cached pages that show it carry nothing of the visitor,
and a change to a list retires them in the page cache and purges them at the edge."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Section
from articles.tests.factories import make_article
from edge.models import Purge
from newsletters import tokens
from newsletters.models import Newsletter
from newsletters.public.offer import SIGNUP_KEY
from newsletters.tests.factories import make_newsletter, make_subscriber

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    section = Section.objects.create(name="Harbour", slug="harbour")
    return make_article(title="Harbour reopens", slug="harbour-reopens", section=section)


def test_the_form_is_under_articles_and_section_fronts_with_the_pages_path(client, story):
    make_newsletter("Morning briefing-A3", cadence="Weekday mornings")
    for path in (story.get_absolute_url(), "/sections/harbour/"):
        page = client.get(path).content.decode()
        assert 'action="/newsletters/subscribe/"' in page and "Morning briefing-A3" in page, path
        assert f'<input type="hidden" name="source" value="{path}">' in page
        assert "csrfmiddlewaretoken" not in page and page.count("<h1") == 1


def test_no_open_list_no_form(client, story):
    make_newsletter(is_open=False)
    assert b"newsletters/subscribe" not in client.get(story.get_absolute_url()).content
    assert b"newsletters/subscribe" not in client.get("/sections/harbour/").content


def test_the_cached_article_page_shows_a_renamed_list(settings, story):
    """Served from the page cache, then a list renamed: the next reader sees the new name; closed, none."""
    settings.NEWSROOM_EDGE_PURGE_URLS = ["http://127.0.0.1:9/.purge"]
    briefing = make_newsletter("Old name-K1")
    reader = Client()
    first = reader.get(story.get_absolute_url())
    assert first["X-Cache"] == "miss" and SIGNUP_KEY in first["xkey"].split()
    cached = reader.get(story.get_absolute_url())
    assert cached["X-Cache"] == "hit" and b"Old name-K1" in cached.content
    briefing.name = "New name-K2"
    briefing.save()
    renamed = reader.get(story.get_absolute_url())
    assert b"New name-K2" in renamed.content and b"Old name-K1" not in renamed.content
    assert b"New name-K2" in reader.get("/sections/harbour/").content
    briefing.is_open = False
    briefing.save()
    assert b"New name-K2" not in reader.get(story.get_absolute_url()).content
    Newsletter.objects.filter(pk=briefing.pk).update(is_open=True, name="Bulk name-K4")
    assert b"Bulk name-K4" in reader.get(story.get_absolute_url()).content


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("dead_broker")
def test_a_change_to_a_list_purges_the_pages_with_the_form_at_the_edge(settings):
    """Renamed: soft (the pages are refreshed); closed or deleted: hard (no reader is served the list again)."""
    settings.NEWSROOM_EDGE_PURGE_URLS = ["http://127.0.0.1:9/.purge"]
    briefing = make_newsletter("Old name-K3")

    def purged(change):
        Purge.objects.all().delete()
        change()
        return {(row.keys, row.hard) for row in Purge.objects.all()}

    assert purged(lambda: Newsletter.objects.get(pk=briefing.pk).save()) == {(SIGNUP_KEY, False)}
    briefing.is_open = False
    assert purged(briefing.save) == {(SIGNUP_KEY, True)}
    assert purged(briefing.delete) == {(SIGNUP_KEY, True)}
    assert purged(lambda: Newsletter.objects.update(position=3)) == set()  # no row left to change
    make_newsletter()
    assert purged(lambda: Newsletter.objects.update(is_open=False)) == {(SIGNUP_KEY, True)}


def test_the_open_lists_are_read_once_per_generation(client, story):
    """The article page costs no query for the form once the lists are known in this generation."""
    make_newsletter("Morning briefing-Q1")
    other = make_article(section=story.section)
    client.get(story.get_absolute_url())
    with CaptureQueriesContext(connection) as counted:
        page = client.get(other.get_absolute_url())
    assert b"Morning briefing-Q1" in page.content
    assert not [q for q in counted.captured_queries if "newsletters_newsletter" in q["sql"]]


def test_the_newsletters_and_preferences_pages_stay_within_the_reader_pages_budget(client):
    """Once the generation's site state is known, the newsletters page asks nothing more and a preferences page
    a few queries (the address, its lists), within the six of any reader page."""
    subscriber = make_subscriber(make_newsletter("Morning briefing-Q9"))
    client.get("/tags/")  # this generation's site state, read once
    with CaptureQueriesContext(connection) as counted:
        assert b"Morning briefing-Q9" in client.get("/newsletters/").content
    assert len(counted) == 0
    for name in ("preferences", "confirm", "unsubscribe"):
        with CaptureQueriesContext(connection) as counted:
            assert client.get(reverse(f"newsletters:{name}", args=[tokens.make(subscriber, name)])).status_code == 200
        assert len(counted) <= 6, name
