"""Deliveries to a real receiver on loopback: signed as Standard Webhooks, retried with backoff until a success,
made once per event and endpoint, and resent with the same webhook-id."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from articles import signals
from articles.models import ArticleEvent
from articles.tests.factories import make_article
from webhooks import fanout, payload, sending
from webhooks.models import Attempt, Delivery, Endpoint

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_jobs")]


def publish(capture, **fields):
    with capture(execute=True):
        article = make_article(**fields)
    return article, ArticleEvent.objects.get(article_id=article.pk)


def test_a_publication_is_delivered_signed_with_the_events_id(endpoint, receiver, django_capture_on_commit_callbacks):
    """The receiver verifies the signature with the endpoint's secret; the body names the article and its API."""
    article, event = publish(django_capture_on_commit_callbacks, title="Floods close the ring road", tags=["floods"])
    [body] = receiver.verified()
    [(headers, _)] = receiver.received
    assert headers["webhook-id"] == str(event.id)
    assert headers["webhook-signature"].startswith("v1,")
    assert endpoint.secret.startswith("whsec_")
    assert body["type"] == "article.published"
    assert body["timestamp"] == event.happened_at.isoformat()
    assert body["data"]["id"] == article.pk
    assert body["data"]["title"] == "Floods close the ring road"
    assert body["data"]["tags"] == ["floods"]
    assert body["data"]["url"].endswith(article.get_absolute_url())
    assert body["data"]["api_url"].startswith("http")
    assert not {"digest", "corrections"} & set(body["data"])  # the event log's own comparisons stay inside
    assert body["data"]["api_url"].endswith(f"/api/v1/articles/{article.pk}")
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.SUCCEEDED, 1)
    assert Attempt.objects.get().status_code == 200


def test_a_receiver_failing_twice_then_answering_gets_one_success_after_three_attempts(
    endpoint, receiver, django_capture_on_commit_callbacks
):
    """Each failure is retried after a doubling wait (30 s, then 60 s), by the sweep; the log shows all three."""
    receiver.answers = [500, 503]
    start = timezone.now()
    publish(django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.next_attempt_at - start >= timedelta(seconds=29)
    assert sending.sweep() == []  # not due yet
    with time_machine.travel(start + timedelta(seconds=35)):
        assert sending.sweep() == [delivery.pk]
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED and delivery.attempts == 2
    assert delivery.next_attempt_at - delivery.first_attempt_at >= timedelta(seconds=89)
    with time_machine.travel(start + timedelta(seconds=100)):
        sending.sweep()
        assert sending.sweep() == []
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.SUCCEEDED, 3)
    assert [a.status_code for a in Attempt.objects.order_by("at")] == [500, 503, 200]
    assert [a.response_excerpt for a in Attempt.objects.order_by("at")] == ["answer 500", "answer 503", "answer 200"]
    assert len(set(receiver.ids())) == 1 and len(receiver.verified()) == 3


def test_a_delivery_is_given_up_a_day_after_its_first_try(endpoint, receiver, settings):
    """Retries stop once the next would fall more than NEWSROOM_WEBHOOK_RETRY_HOURS after the first try."""
    settings.NEWSROOM_WEBHOOK_DISABLE_FAILURES = 1000
    receiver.answers = [500] * 100
    start = timezone.now()
    fanout.fan_out("article.published", "7a1c0f5e-2b5a-4a63-9d59-5a9c7d8e0f11", '{"type":"article.published"}')
    for minutes in range(10, 26 * 60, 10):
        with time_machine.travel(start + timedelta(minutes=minutes)):
            sending.sweep()
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.GIVEN_UP
    times = list(Attempt.objects.order_by("at").values_list("at", flat=True))
    assert len(times) == delivery.attempts > 20
    assert times[-1] - times[0] <= timedelta(hours=24, minutes=10)  # the last retry due within the day, swept
    gaps = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
    assert gaps[0] <= timedelta(minutes=11) and max(gaps) <= timedelta(minutes=71)


def test_an_event_fanned_out_twice_is_delivered_once(endpoint, receiver, django_capture_on_commit_callbacks):
    """The second fan-out of the same event finds the delivery made (and sent) and makes nothing."""
    _, event = publish(django_capture_on_commit_callbacks)
    assert fanout.fan_out(event.kind, event.id, payload.article_body(event)) == []
    assert Delivery.objects.count() == 1
    assert len(receiver.received) == 1


def test_a_delivery_held_by_a_worker_is_not_sent_again_until_its_lease_runs_out(endpoint, receiver):
    """Two jobs for one delivery (a sweep beside the first job): only the one holding the lease sends; a worker
    killed mid-send leaves a lease that runs out, and then the delivery is sent."""
    [pk] = fanout.fan_out("article.updated", "7a1c0f5e-2b5a-4a63-9d59-5a9c7d8e0f12", "{}")
    now = timezone.now()
    assert sending.claim(pk, now)
    assert sending.deliver(pk) is None
    assert sending.sweep() == []
    with time_machine.travel(now + sending.lease() + timedelta(seconds=1)):
        assert sending.sweep() == [pk]
    assert len(receiver.received) == 1
    assert Delivery.objects.get().status == Delivery.Status.SUCCEEDED


def test_endpoints_are_told_only_the_kinds_they_chose(endpoint, receiver, django_capture_on_commit_callbacks):
    endpoint.events = ["article.deleted"]
    endpoint.save()
    publish(django_capture_on_commit_callbacks)
    assert not Delivery.objects.exists() and receiver.received == []


def test_a_resend_sends_the_same_id_and_body_signed_afresh(endpoint, receiver, django_capture_on_commit_callbacks):
    publish(django_capture_on_commit_callbacks)
    with time_machine.travel(timezone.now() + timedelta(minutes=3)), django_capture_on_commit_callbacks(execute=True):
        assert sending.resend(Delivery.objects.all()) == 1
    (first, body), (again, body_again) = receiver.received
    assert first["webhook-id"] == again["webhook-id"] and body == body_again
    assert first["webhook-timestamp"] != again["webhook-timestamp"]
    assert len(receiver.verified()) == 2
    assert Delivery.objects.get().attempts == 2


def test_an_event_whose_fan_out_never_ran_is_delivered_by_the_sweep(
    endpoint, receiver, django_capture_on_commit_callbacks
):
    """The process stopped between the event's commit and its fan-out: the sweep makes the delivery, once."""
    signals.article_event.disconnect(dispatch_uid="webhooks-fan-out")
    try:
        _, event = publish(django_capture_on_commit_callbacks)
    finally:
        signals.article_event.connect(fanout.article_event, dispatch_uid="webhooks-fan-out")
    assert not Delivery.objects.exists()
    sending.sweep()
    sending.sweep()
    assert receiver.ids() == [str(event.id)]
    assert Delivery.objects.get().status == Delivery.Status.SUCCEEDED


def test_the_sweep_does_not_send_an_endpoint_events_from_before_it_was_made(
    receiver, django_capture_on_commit_callbacks
):
    publish(django_capture_on_commit_callbacks)
    Endpoint.objects.create(url=receiver.url, events=["article.published"])
    sending.sweep()
    assert receiver.received == [] and not Delivery.objects.exists()


def test_the_sweep_forgets_deliveries_done_with_once_the_log_has_kept_them_long_enough(endpoint, receiver, settings):
    """A delivery that succeeded more than NEWSROOM_WEBHOOK_KEEP_DAYS ago goes with its attempts; one younger, and
    one still waiting for a retry, stay."""
    settings.NEWSROOM_WEBHOOK_KEEP_DAYS = 30
    start = timezone.now()
    [done] = fanout.fan_out("article.published", "3f0c9a55-1e7b-4d2c-9a86-0e4b5f6d7c81", '{"type":"article.published"}')
    sending.deliver(done)
    with time_machine.travel(start + timedelta(days=29)):
        sending.sweep()
    assert Delivery.objects.filter(pk=done).exists()
    receiver.answers = [500]
    with time_machine.travel(start + timedelta(days=31)):
        [waiting] = fanout.fan_out("article.updated", "9d2e7b10-4c3a-4f58-8e61-2b7a9c0d1e42", "{}")
        sending.sweep()
    assert list(Delivery.objects.values_list("pk", "status")) == [(waiting, Delivery.Status.FAILED)]
    assert not Attempt.objects.filter(delivery_id=done).exists()
