"""The events other software is told of (``articles.events``): one per change readers can see, logged after the
commit, once however many times or from however many processes it is asked for."""

from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from articles import events, signals
from articles.models import Article, ArticleEvent, Byline, Correction
from articles.tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db
Kind = ArticleEvent.Kind


@pytest.fixture
def heard():
    received = []

    def listen(sender, event, **kwargs):
        received.append(event)

    signals.article_event.connect(listen, dispatch_uid="test-heard")
    yield received
    signals.article_event.disconnect(dispatch_uid="test-heard")


def kinds(article_id):
    return list(ArticleEvent.objects.filter(article_id=article_id).order_by("seq").values_list("kind", flat=True))


def test_an_article_published_updated_corrected_withdrawn_and_deleted_logs_one_event_each(
    django_capture_on_commit_callbacks, heard
):
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(authors=[make_author(name="Ann Reporter")], tags=["floods"])
    with django_capture_on_commit_callbacks(execute=True):
        article.title = "A new headline"
        article.save()
    with django_capture_on_commit_callbacks(execute=True):
        Correction.objects.create(article=article, text="The river is the Ouse.")
    with django_capture_on_commit_callbacks(execute=True):
        article.status = Article.Status.WITHDRAWN
        article.save()
    with django_capture_on_commit_callbacks(execute=True):
        article.status = Article.Status.PUBLISHED
        article.save()
    pk = article.pk
    with django_capture_on_commit_callbacks(execute=True):
        article.delete()
    assert kinds(pk) == [Kind.PUBLISHED, Kind.UPDATED, Kind.CORRECTED, Kind.WITHDRAWN, Kind.PUBLISHED, Kind.DELETED]
    assert [event.kind for event in heard] == kinds(pk)
    first = ArticleEvent.objects.get(article_id=pk, seq=1)
    assert first.data["tags"] == ["floods"]
    assert first.data["authors"] == ["ann-reporter"]
    assert first.data["url"].endswith(f"/articles/{first.data['slug']}/")
    assert ArticleEvent.objects.get(article_id=pk, kind=Kind.DELETED).data["title"] == "A new headline"


def test_drafts_and_scheduled_articles_tell_nobody(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        draft = make_article(status=Article.Status.DRAFT)
        later = make_article(published_at=timezone.now() + timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        draft.title = "Still a draft"
        draft.save()
        draft.delete()
    assert not ArticleEvent.objects.exists()
    assert kinds(later.pk) == []


def test_a_save_that_changes_nothing_readers_see_is_no_update(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article()
    with django_capture_on_commit_callbacks(execute=True):
        article.withdrawal_note = "A note for the desk only."
        article.save()
    with django_capture_on_commit_callbacks(execute=True):
        article.dek = "A new summary"
        article.save()
    assert kinds(article.pk) == [Kind.PUBLISHED, Kind.UPDATED]


def test_a_tag_or_a_byline_added_or_removed_is_an_update(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(tags=["floods"])
    with django_capture_on_commit_callbacks(execute=True):
        article.tags.add("rivers")
    with django_capture_on_commit_callbacks(execute=True):
        article.tags.remove("floods")
    with django_capture_on_commit_callbacks(execute=True):
        Byline.objects.create(article=article, author=make_author(name="Bo Writer"), position=0)
    assert kinds(article.pk) == [Kind.PUBLISHED, Kind.UPDATED, Kind.UPDATED, Kind.UPDATED]
    last = ArticleEvent.objects.latest_of(article.pk)
    assert last.data["tags"] == ["rivers"] and last.data["authors"] == ["bo-writer"]


def test_several_saves_in_one_transaction_log_one_event(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        article = make_article(tags=["a", "b"])
        article.dek = "Changed twice"
        article.save()
        article.save()
    assert kinds(article.pk) == [Kind.PUBLISHED]


def test_a_rolled_back_change_tells_nobody(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        make_article()
        raise RuntimeError("rolled back")
    assert not ArticleEvent.objects.exists()


def test_the_clock_publishes_and_expires_through_the_sweep_once_however_often_it_runs(heard):
    now = timezone.now()
    article = make_article(published_at=now + timedelta(minutes=5), expires_at=now + timedelta(hours=1))
    assert events.sweep(now) == []
    with time_machine.travel(now + timedelta(minutes=6), tick=False):
        assert [event.kind for event in events.sweep()] == [Kind.PUBLISHED]
        assert events.sweep() == []
    with time_machine.travel(now + timedelta(hours=2), tick=False):
        assert [event.kind for event in events.sweep()] == [Kind.WITHDRAWN]
        assert events.sweep() == []
    assert kinds(article.pk) == [Kind.PUBLISHED, Kind.WITHDRAWN]


def test_an_embargo_ending_publishes(heard):
    now = timezone.now()
    article = make_article(published_at=now - timedelta(hours=3), embargo_until=now + timedelta(minutes=1))
    assert events.sweep(now) == []
    with time_machine.travel(now + timedelta(minutes=2), tick=False):
        events.sweep()
    assert kinds(article.pk) == [Kind.PUBLISHED]


def lose_the_race(article_id, winner, **asked):
    """``reconcile`` as a process that read the log just before another wrote ``winner`` (an unsaved event, given
    the place in the sequence both computed)."""
    stale = events._next_event

    def racing(article_id, changed, corrected, now):
        event = stale(article_id, changed, corrected, now)
        winner.seq = event.seq
        winner.save()
        events._next_event = stale
        return event

    events._next_event = racing
    try:
        return events.reconcile(article_id, **asked)
    finally:
        events._next_event = stale


def test_a_place_taken_by_another_process_is_compared_again():
    """Two processes logging the article's next event at once: the loser compares again with the winner's event
    (here the winner told what readers see now: nothing is left to tell)."""
    article = make_article()
    ArticleEvent.objects.create(kind=Kind.PUBLISHED, article_id=article.pk, seq=1)
    winner = ArticleEvent(kind=Kind.UPDATED, article_id=article.pk, data=events.snapshot(article))
    assert lose_the_race(article.pk, winner, changed=True) is None
    assert kinds(article.pk) == [Kind.PUBLISHED, Kind.UPDATED]


def test_a_change_the_winner_did_not_see_is_still_told():
    """A tag added while a correction is logged: the correction's event, read before the tag committed, takes
    the place; the tag's event, compared again, is an update, not dropped."""
    article = make_article()
    ArticleEvent.objects.create(kind=Kind.PUBLISHED, article_id=article.pk, seq=1, data=events.snapshot(article))
    winner = ArticleEvent(kind=Kind.CORRECTED, article_id=article.pk, data=events.snapshot(article))
    article.tags.add("tides")
    logged = lose_the_race(article.pk, winner, changed=True)
    assert kinds(article.pk) == [Kind.PUBLISHED, Kind.CORRECTED, Kind.UPDATED]
    assert logged.data["tags"] == ["tides"]


def test_the_sweep_catches_up_on_moments_passed_during_a_long_stop(heard):
    """A week without the beat: what the clock published and expired meanwhile is told at the next sweep."""
    now = timezone.now()
    told = make_article(expires_at=now + timedelta(days=1))
    ArticleEvent.objects.create(kind=Kind.PUBLISHED, article_id=told.pk, seq=1, data={"slug": told.slug})
    scheduled = make_article(published_at=now + timedelta(days=2))
    with time_machine.travel(now + timedelta(days=7), tick=False):
        assert sorted(event.kind for event in events.sweep()) == [Kind.PUBLISHED, Kind.WITHDRAWN]
        assert events.sweep() == []
    assert kinds(told.pk) == [Kind.PUBLISHED, Kind.WITHDRAWN]
    assert kinds(scheduled.pk) == [Kind.PUBLISHED]


def test_a_sweep_after_the_clock_published_many_articles_asks_nothing_of_each(heard, django_assert_max_num_queries):
    now = timezone.now()
    for _ in range(20):
        make_article(published_at=now + timedelta(minutes=1))
    with time_machine.travel(now + timedelta(minutes=2), tick=False):
        assert len(events.sweep()) == 20
        with django_assert_max_num_queries(2):
            assert events.sweep() == []


@pytest.mark.django_db(transaction=True)
def test_a_byline_saved_outside_a_transaction_is_an_update():
    """Saved in autocommit (a script, a command): committed at once, and told as in a transaction."""
    article = make_article()
    Byline.objects.create(article=article, author=make_author(name="Autocommit Author"))
    assert kinds(article.pk) == [Kind.PUBLISHED, Kind.UPDATED]
    assert ArticleEvent.objects.latest_of(article.pk).data["authors"] == ["autocommit-author"]


def test_a_correction_edited_or_deleted_is_an_update(django_capture_on_commit_callbacks):
    """Readers see the correction's new text, or no correction: the article changed for them."""
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article()
    with django_capture_on_commit_callbacks(execute=True):
        correction = Correction.objects.create(article=article, text="The river is the Ouse.")
    with django_capture_on_commit_callbacks(execute=True):
        correction.text = "The river is the Foss."
        correction.save()
    with django_capture_on_commit_callbacks(execute=True):
        correction.delete()
    assert kinds(article.pk) == [Kind.PUBLISHED, Kind.CORRECTED, Kind.UPDATED, Kind.UPDATED]
