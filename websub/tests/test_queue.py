"""The notices go through the real job queue: a worker sends them after the commit, and a broker that is down
when the story is saved delays them until the sweep, losing none and never failing the save."""

import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from articles import events
from articles.models import Section
from articles.tests.factories import make_article, make_author
from newsletters.tests.workers import wait_for
from newsroom import jobs
from websub import notices
from websub.models import Notice


def story():
    with transaction.atomic():
        return make_article(title="Lifeboat launched", authors=[make_author("Cy Coxswain")], tags=["lifeboats"])


@pytest.mark.django_db(transaction=True)
def test_a_worker_sends_each_notice_once(hub, worker):
    """A publish committed with a real worker running: the hub hears of the site, tag and author feeds once
    each, in each format."""
    story()
    wait_for(lambda: sum(hub.taken().values()) >= 9, 30, "the worker never told the hub")
    taken = hub.taken()
    assert len(taken) == 9 and set(taken.values()) == {1}
    assert {url.rsplit("/", 2)[-2] for url in taken} == {"rss", "atom", "json"}
    wait_for(lambda: not Notice.objects.filter(status=Notice.Status.PENDING).exists(), 10, "notices left pending")


@pytest.mark.django_db(transaction=True)
def test_a_broker_down_at_save_time_delays_the_notices_until_the_sweep(hub, dead_broker):
    """The save succeeds with the broker down and the hub hears nothing yet; the sweep sends every notice once."""
    try:
        story()
        assert hub.received() == 0
        assert Notice.objects.filter(status=Notice.Status.PENDING).count() == 9
        assert notices.sweep() == 9  # the queue still refuses: the sweep sends them itself
        assert len(hub.taken()) == 9 and set(hub.taken().values()) == {1}
        assert notices.sweep() == 0
    finally:
        jobs.forget_refusal()


@pytest.mark.django_db(transaction=True)
def test_a_hub_that_hangs_neither_slows_the_save_nor_holds_the_worker(hub, worker, settings):
    """A hub slower than ``NEWSROOM_WEBSUB_TIMEOUT_SECONDS``: the save returns at once, and the worker gives each
    notice up at the timeout and keeps it for a retry, naming the cause."""
    settings.NEWSROOM_WEBSUB_TIMEOUT_SECONDS = 0.5
    hub.delay = 3
    started = time.monotonic()
    story()
    assert time.monotonic() - started < 2
    waiting = Notice.objects.filter(status=Notice.Status.PENDING, attempts=1)
    wait_for(lambda: waiting.count() == 9, 30, "the worker never gave up on the hub")
    assert all("took more than 0.5 seconds" in error for error in waiting.values_list("last_error", flat=True))


@pytest.mark.django_db(transaction=True)
def test_many_stories_published_in_one_minute_leave_one_notice_for_each_feed_not_yet_sent(hub, dead_broker):
    """Twenty stories the clock publishes at once in one section: the site's and the section's feeds are owed one
    notice each while none has been sent, not twenty, and the hub hears of each feed once."""
    section = Section.objects.create(name="Harbour", slug="harbour")
    now = timezone.now()
    for _ in range(20):
        make_article(section=section, published_at=now + timedelta(minutes=1))
    try:
        assert len(events.sweep(now + timedelta(minutes=2))) == 20
        assert Notice.objects.filter(status=Notice.Status.PENDING).count() == 6  # two feeds, three formats
        assert notices.sweep() == 6
        assert len(hub.taken()) == 6 and set(hub.taken().values()) == {1}
    finally:
        jobs.forget_refusal()
