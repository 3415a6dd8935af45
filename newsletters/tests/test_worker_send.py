"""A real Celery worker (its own processes, beat's sweep every second) and a real SMTP server: a scheduled issue
goes at its time, and a mail server that is down when the send starts and comes back has everyone's copy once."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.tests.factories import make_article
from newsletters import sending
from newsletters.models import Delivery, Edition
from newsletters.tests.factories import make_edition, make_newsletter, make_subscribers
from newsletters.tests.workers import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def sent(edition):
    return Edition.objects.get(pk=edition.pk).status == Edition.Status.SENT


def test_a_scheduled_issue_is_sent_at_its_time(start_worker, counting_server):
    briefing = make_newsletter("Morning briefing")
    addresses = make_subscribers(briefing, 20)
    edition = make_edition(briefing, [make_article(title="Council votes")])
    start_worker()
    time.sleep(2)
    sending.schedule(edition, timezone.now() + timedelta(seconds=3))
    time.sleep(1)
    assert counting_server.total == 0, "sent before its time"
    wait_for(lambda: sent(edition), 30, "the scheduled issue was never sent")
    assert counting_server.counts == dict.fromkeys(addresses, 1)
    assert Edition.objects.get(pk=edition.pk).started_at >= edition.send_at


def test_a_mail_server_down_when_the_send_starts_and_back_later_has_one_copy_each(start_worker, counting_server):
    briefing = make_newsletter("Morning briefing")
    addresses = make_subscribers(briefing, 300)
    edition = make_edition(briefing, [make_article(title="Council votes")])
    counting_server.stop()
    start_worker(NEWSROOM_NEWSLETTER_RETRY_SECONDS="1")
    sending.queue(edition)
    wait_for(lambda: Delivery.objects.filter(edition=edition, status=Delivery.Status.DEFERRED).exists(), 30,
             "the send never found the server down")  # fmt: skip
    counting_server.start()
    wait_for(lambda: sent(edition), 40, "the send never ended")
    assert counting_server.counts == dict.fromkeys(addresses, 1)
    assert set(Delivery.objects.filter(edition=edition).values_list("status", flat=True)) == {Delivery.Status.SENT}
