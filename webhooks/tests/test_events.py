"""Each change readers can see reaches the endpoints once, as the right type: publishing, editing, correcting,
withdrawing and deleting an article, and a publication the clock makes (the events' sweep)."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from articles import events
from articles.models import Article, ArticleEvent, Correction
from articles.tests.factories import kind_of_work, make_article
from webhooks import payload
from webhooks.models import Delivery

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_jobs")]


def test_each_change_readers_see_is_delivered_once_as_its_type(endpoint, receiver, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    with capture(execute=True):
        article = make_article(title="Bridge reopens")
    with capture(execute=True):
        article.title = "Bridge reopens after repairs"
        article.save()
    with capture(execute=True):
        Correction.objects.create(article=article, text="The bridge is on the A6, not the A5.")
    with capture(execute=True):
        article.status = Article.Status.WITHDRAWN
        article.save()
    with capture(execute=True):
        article.status = Article.Status.PUBLISHED
        article.save()
    pk = article.pk
    with capture(execute=True):
        article.delete()
    assert receiver.types() == ["article.published", "article.updated", "article.corrected",
                                "article.withdrawn", "article.published", "article.deleted"]  # fmt: skip
    verified = receiver.verified()
    assert {body["data"]["id"] for body in verified} == {pk}
    assert verified[-1]["data"]["title"] == "Bridge reopens after repairs"
    assert len(set(receiver.ids())) == 6
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.SUCCEEDED}


def test_drafts_and_saves_readers_cannot_see_tell_nobody(endpoint, receiver, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        draft = make_article(status=Article.Status.DRAFT)
        make_article(published_at=timezone.now() + timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        draft.title = "Still a draft"
        draft.save()
    assert receiver.received == [] and not Delivery.objects.exists()


def test_a_scheduled_publication_is_delivered_once_by_the_events_sweep(
    endpoint, receiver, django_capture_on_commit_callbacks
):
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(title="Budget at noon", published_at=now + timedelta(minutes=5))
    assert receiver.received == []
    with time_machine.travel(now + timedelta(minutes=6)):
        for _ in range(2):
            with django_capture_on_commit_callbacks(execute=True):
                events.sweep()
        [body] = receiver.verified()
    assert receiver.types() == ["article.published"]
    assert body["data"]["id"] == article.pk and body["data"]["title"] == "Budget at noon"


def test_an_editors_save_is_not_failed_by_a_receiver_that_is_down(
    endpoint, receiver, django_capture_on_commit_callbacks
):
    """With the receiver gone, the save commits; the delivery waits for its retry."""
    receiver.stop()
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article()
    assert Article.objects.filter(pk=article.pk).exists()
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED
    assert "cannot reach" in delivery.attempt_log.get().error


def test_a_webhook_body_names_the_article_kind_of_work(django_capture_on_commit_callbacks):
    """An event's body carries the kind of work's slug its snapshot holds, and null for an article without one."""
    with django_capture_on_commit_callbacks(execute=True):
        labelled = make_article(kind=kind_of_work("Analysis"))
        plain = make_article()
    assert json.loads(payload.article_body(ArticleEvent.objects.latest_of(labelled.pk)))["data"]["kind"] == "analysis"
    assert json.loads(payload.article_body(ArticleEvent.objects.latest_of(plain.pk)))["data"]["kind"] is None
