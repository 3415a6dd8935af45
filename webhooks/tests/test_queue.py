"""Deliveries through the real job queue: a Celery worker on a real Redis sends a publication's webhook once the
save commits; with the broker down at save time, the save succeeds and the sweep delivers later."""

import time

import pytest

from articles.tests.factories import make_article
from webhooks import tasks
from webhooks.models import Delivery
from webhooks.tests.receiver import wait_for


@pytest.mark.django_db(transaction=True)
def test_a_worker_delivers_a_publication_once_after_commit(worker, endpoint, receiver):
    article = make_article(title="Tram line approved")
    wait_for(lambda: receiver.received, 20, "the worker never delivered")
    wait_for(lambda: Delivery.objects.filter(status=Delivery.Status.SUCCEEDED).exists(), 10, "never recorded")
    time.sleep(0.5)  # a second delivery, were one made, would have arrived by now
    [body] = receiver.verified()
    assert body["type"] == "article.published" and body["data"]["id"] == article.pk
    assert Delivery.objects.get().attempts == 1


@pytest.mark.django_db
def test_with_the_broker_down_the_save_succeeds_and_the_sweep_delivers_later(
    dead_broker, endpoint, receiver, request, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(title="Storm warning")
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.PENDING and receiver.received == []
    request.getfixturevalue("eager_jobs")  # the queue is back
    tasks.sweep()
    [body] = receiver.verified()
    assert body["data"]["id"] == article.pk
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SUCCEEDED
