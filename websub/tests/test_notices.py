"""The hubs are told when a feed's content changes: one notice for each feed an event changed, in each format,
from the job queue after commit; nothing for a draft; retried until a hub that failed answers 2xx."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Correction, Section, SiteSettings
from articles.tests.factories import make_article, make_author
from websub import notices
from websub.models import Notice

pytestmark = pytest.mark.django_db


def feeds(*names):
    """The absolute URLs of the named feeds (URL name, slug or None) in every format."""
    site = SiteSettings.current()
    return {
        site.absolute(reverse(f"articles:{name}_{fmt}", kwargs={"slug": slug} if slug else {}))
        for name, slug in names
        for fmt in ("rss", "atom", "json")
    }


@pytest.fixture
def story_parts():
    """A section, two authors and two tags for a story."""
    return {
        "section": Section.objects.create(name="Harbour news", slug="harbour-news"),
        "authors": [make_author("Ann Reporter"), make_author("Bob Photographer")],
        "tags": ["tides", "ferries"],
    }


def publish(capture, parts, **fields):
    with capture(execute=True):
        return make_article(title="Ferry returns", section=parts["section"], authors=parts["authors"],
                            tags=parts["tags"], **fields)  # fmt: skip


STORY_FEEDS = [("feed", None), ("section_feed", "harbour-news"), ("tag_feed", "tides"), ("tag_feed", "ferries"),
               ("author_feed", "ann-reporter"), ("author_feed", "bob-photographer")]  # fmt: skip


def test_a_publish_notifies_each_of_its_feeds_once_in_each_format(
    hub, eager_jobs, story_parts, django_capture_on_commit_callbacks
):
    """One publish: exactly one notice to the hub for the site feed and the feeds of its section, tags and
    authors, each as RSS, Atom and JSON Feed, form-encoded with hub.mode=publish and the feed as url and topic."""
    publish(django_capture_on_commit_callbacks, story_parts)
    expected = feeds(*STORY_FEEDS)
    assert len(expected) == 18
    assert hub.taken() == dict.fromkeys(expected, 1)
    for _status, content_type, form in hub.notices:
        assert content_type == "application/x-www-form-urlencoded"
        assert form["hub.mode"] == ["publish"] and form["hub.topic"] == form["hub.url"]
    assert set(Notice.objects.values_list("status", flat=True)) == {Notice.Status.SENT}


def test_a_draft_save_tells_no_hub(hub, eager_jobs, story_parts, django_capture_on_commit_callbacks):
    """Saving a draft, and a story scheduled for later, changes no feed: the hub hears nothing."""
    draft = publish(django_capture_on_commit_callbacks, story_parts, status=Article.Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        draft.title = "Ferry returns, still a draft"
        draft.save()
        make_article(title="Later", published_at=timezone.now() + timedelta(hours=3))
    assert hub.received() == 0
    assert not Notice.objects.exists()


def test_a_correction_also_notifies_the_corrections_feed(
    hub, eager_jobs, story_parts, django_capture_on_commit_callbacks
):
    """A correction changes the story's feeds again and the corrections feed, each told once."""
    story = publish(django_capture_on_commit_callbacks, story_parts)
    with django_capture_on_commit_callbacks(execute=True):
        Correction.objects.create(article=story, text="The ferry is the Saint Piran.")
    told = hub.taken()
    assert {url: told[url] for url in feeds(("corrections_feed", None))} == dict.fromkeys(
        feeds(("corrections_feed", None)), 1
    )
    assert told == {**dict.fromkeys(feeds(*STORY_FEEDS), 2), **dict.fromkeys(feeds(("corrections_feed", None)), 1)}


def test_a_correction_edited_or_deleted_or_its_story_withdrawn_notifies_the_corrections_feed(
    hub, eager_jobs, story_parts, django_capture_on_commit_callbacks
):
    """The corrections feed shows a correction's text while its story is public: each of these changes it."""
    story = publish(django_capture_on_commit_callbacks, story_parts)
    with django_capture_on_commit_callbacks(execute=True):
        correction = Correction.objects.create(article=story, text="The ferry is the Saint Piran.")
    with django_capture_on_commit_callbacks(execute=True):
        correction.text = "The ferry is the Scillonian."
        correction.save()
    with django_capture_on_commit_callbacks(execute=True):
        correction.delete()
    with django_capture_on_commit_callbacks(execute=True):
        Correction.objects.create(article=story, text="The quay is the north one.")
    with django_capture_on_commit_callbacks(execute=True):
        story.status = Article.Status.WITHDRAWN
        story.save()
    told = hub.taken()
    assert {url: told.get(url) for url in feeds(("corrections_feed", None))} == dict.fromkeys(
        feeds(("corrections_feed", None)), 5
    )


def test_an_edit_that_drops_a_tag_notifies_the_tag_it_left(
    hub, eager_jobs, story_parts, django_capture_on_commit_callbacks
):
    """A tag taken off a story changes that tag's feed too: it is told along with the story's current feeds."""
    story = publish(django_capture_on_commit_callbacks, story_parts)
    with django_capture_on_commit_callbacks(execute=True):
        story.tags.remove("ferries")
        story.save()
    assert hub.taken() == dict.fromkeys(feeds(*STORY_FEEDS), 2)


def test_no_hub_no_notice(settings, eager_jobs, story_parts, django_capture_on_commit_callbacks):
    """With no hub set, a publish leaves no notice."""
    settings.NEWSROOM_WEBSUB_HUBS = []
    publish(django_capture_on_commit_callbacks, story_parts)
    assert not Notice.objects.exists()


def test_a_failing_hub_is_told_again_once_it_answers(hub, eager_jobs, story_parts, django_capture_on_commit_callbacks):
    """A hub answering 503 gets each notice tried once and kept; the sweep tries nothing before its time, then,
    once the hub answers 2xx, tells it of each feed once; the waits double (30 s, 60 s, 120 s)."""
    hub.status = 503
    started = timezone.now()
    with time_machine.travel(started, tick=False):
        publish(django_capture_on_commit_callbacks, story_parts)
    expected = feeds(*STORY_FEEDS)
    assert hub.received() == 18 and hub.taken() == {}
    waiting = Notice.objects.filter(status=Notice.Status.PENDING)
    assert waiting.count() == 18 and set(waiting.values_list("attempts", flat=True)) == {1}
    assert set(waiting.values_list("due_at", flat=True)) == {started + timedelta(seconds=30)}
    assert "HTTP 503" in waiting.first().last_error
    with time_machine.travel(started + timedelta(seconds=20), tick=False):
        assert notices.sweep() == 0
    assert hub.received() == 18
    with time_machine.travel(started + timedelta(seconds=31), tick=False):
        notices.sweep()  # still failing: the next wait is twice the first
    assert set(waiting.values_list("due_at", flat=True)) == {started + timedelta(seconds=91)}
    with time_machine.travel(started + timedelta(seconds=91), tick=False):
        notices.sweep()
    assert set(waiting.values_list("due_at", flat=True)) == {started + timedelta(seconds=211)}
    hub.status = 202
    with time_machine.travel(started + timedelta(seconds=211), tick=False):
        assert notices.sweep() == 18
    assert hub.taken() == dict.fromkeys(expected, 1)
    assert not waiting.exists()


def test_a_hub_that_never_answers_is_given_up_after_the_last_attempt(
    hub, settings, eager_jobs, story_parts, django_capture_on_commit_callbacks
):
    """After ``NEWSROOM_WEBSUB_ATTEMPTS`` failures the notices are given up, and no sweep sends them again."""
    settings.NEWSROOM_WEBSUB_ATTEMPTS = 2
    hub.status = 500
    started = timezone.now()
    with time_machine.travel(started, tick=False):
        publish(django_capture_on_commit_callbacks, story_parts)
    with time_machine.travel(started + timedelta(hours=1), tick=False):
        notices.sweep()
    with time_machine.travel(started + timedelta(hours=2), tick=False):
        assert notices.sweep() == 0
    assert hub.received() == 36
    assert set(Notice.objects.values_list("status", flat=True)) == {Notice.Status.FAILED}


def test_notices_close_together_on_one_feed_are_sent_as_one(hub, story_parts):
    """Two changes to the same feed waiting together leave one notice and make one request to the hub."""
    feed = sorted(feeds(("feed", None)))[0]
    notices.queue([feed])
    notices.queue([feed])
    assert Notice.objects.count() == 1
    assert notices.send(hub.url, feed) is True
    assert hub.taken() == {feed: 1}
    assert notices.send(hub.url, feed) is None


def test_a_send_answers_the_notices_of_its_feed_waiting_for_a_retry(hub, story_parts):
    """When a hub takes a feed's notice, an older one of the same feed waiting for its retry is answered too."""
    feed = sorted(feeds(("feed", None)))[0]
    hub.status = 503
    notices.queue([feed])
    assert notices.send(hub.url, feed) is False
    hub.status = 202
    notices.queue([feed])
    assert notices.send(hub.url, feed) is True
    assert set(Notice.objects.values_list("status", flat=True)) == {Notice.Status.SENT}
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        assert notices.sweep() == 0
    assert hub.taken() == {feed: 1}


def test_the_operator_sees_each_notice_and_why_it_waits(hub, admin_client, story_parts):
    """The admin lists notices with their status and last error; nobody can add or edit one there."""
    feed = sorted(feeds(("feed", None)))[0]
    hub.status = 503
    notices.queue([feed])
    notices.send(hub.url, feed)
    page = admin_client.get(reverse("admin:websub_notice_changelist"))
    assert page.status_code == 200
    assert feed in page.content.decode() and "HTTP 503" in page.content.decode()
    assert admin_client.get(reverse("admin:websub_notice_add")).status_code == 403


def test_a_hub_answering_bytes_no_text_column_holds_is_told_again_later(hub, story_parts):
    """A hub's refusal whose body holds a NUL and bytes that are no UTF-8 is recorded (PostgreSQL refuses a NUL
    in text) as a failed attempt, waiting for its retry, not a send that fails before it counts."""
    feed = sorted(feeds(("feed", None)))[0]
    hub.status, hub.body = 503, b"busy\x00\xff now"
    notices.queue([feed])
    assert notices.send(hub.url, feed) is False
    notice = Notice.objects.get()
    assert (notice.status, notice.attempts) == (Notice.Status.PENDING, 1)
    assert notice.last_error.startswith("HTTP 503: busy") and "\x00" not in notice.last_error
