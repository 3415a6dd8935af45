"""The sweep and the send jobs keep a send to the operator's number of senders (``NEWSROOM_NEWSLETTER_SENDERS``):
the sweep asks for the senders missing (after a kill, or a resume that asked for one), and a job beyond that
number ends at once. The jobs asked for are read from the real broker (this test process's Redis database)."""

import json
from datetime import timedelta

import pytest
import redis
from django.utils import timezone

from articles.tests.factories import make_article
from newsletters import delivery, sending, tasks
from newsletters.models import Delivery
from newsletters.tests.factories import make_edition, make_newsletter, make_subscriber
from newsletters.tests.workers import use_redis

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(redis_database):
    use_redis(redis_database)
    client = redis.Redis.from_url(redis_database)

    def send_jobs():
        """The send jobs waiting on the broker (an article's purges may wait there too)."""
        waiting = [json.loads(raw) for raw in client.lrange("celery", 0, -1)]
        return sum(message["headers"]["task"] == "newsletters.tasks.send" for message in waiting)

    return send_jobs


def sending_edition(count):
    briefing = make_newsletter()
    for _ in range(count):
        make_subscriber(briefing)
    edition = make_edition(briefing, [make_article()])
    sending.queue(edition)
    return sending.start(edition.pk)


def hold(edition, count):
    """``count`` senders at work on ``edition``: each holds one row under a lease of its own."""
    rows = Delivery.objects.filter(edition=edition).order_by("pk")[:count]
    for n, row in enumerate(rows):
        row.lease_until = timezone.now() + timedelta(seconds=60 + n)
        row.save(update_fields=["lease_until"])


def test_the_sweep_asks_for_the_senders_missing(settings, queue):
    settings.NEWSROOM_NEWSLETTER_SENDERS = 3
    edition = sending_edition(10)
    hold(edition, 1)
    tasks.sweep()
    assert queue() == 2
    hold(edition, 3)
    tasks.sweep()
    assert queue() == 2


def test_a_send_job_beyond_the_senders_ends_at_once(settings, mail_server):
    settings.NEWSROOM_NEWSLETTER_SENDERS = 1
    edition = sending_edition(5)
    hold(edition, 1)
    assert delivery.Sender(edition.pk).run() is False
    assert mail_server.received == []
