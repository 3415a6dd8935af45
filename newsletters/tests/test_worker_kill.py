"""Exactly once under a worker kill: a real Celery worker (its own processes) sends an issue to a real SMTP server,
is killed with SIGKILL, process group and all, in the middle of the send, and a new worker finishes it. Every
subscriber has exactly one copy and every delivery is sent."""

import pytest
from django.db import connection

from articles.tests.factories import make_article
from newsletters import sending
from newsletters.models import Delivery, Edition
from newsletters.tests.factories import make_edition, make_newsletter, make_subscribers
from newsletters.tests.workers import wait_for

pytestmark = pytest.mark.django_db(transaction=True)

SUBSCRIBERS = 1500
# Each commit on PostgreSQL waits a tenth of a second before it is flushed (a slow disk): a kill then lands
# while the database has the delivery marked sent and the mail server does not yet have the final ".".
SLOW_COMMIT = "-c max_parallel_workers_per_gather=0 -c commit_delay=100000 -c commit_siblings=0"


@pytest.fixture
def send(start_worker):
    """An issue to SUBSCRIBERS addresses, and how to start a worker for it."""
    briefing = make_newsletter("Morning briefing")
    addresses = make_subscribers(briefing, SUBSCRIBERS)
    return make_edition(briefing, [make_article(title="Council votes")]), addresses, start_worker


def finish_and_check(edition, addresses, worker, counting_server):
    assert counting_server.total < SUBSCRIBERS, "the send ended before the kill: make it slower"
    worker()
    wait_for(lambda: Edition.objects.get(pk=edition.pk).status == Edition.Status.SENT, 60, "the send never ended")
    assert {address: count for address, count in counting_server.counts.items() if count != 1} == {}
    assert sorted(set(addresses) - set(counting_server.counts)) == [], "subscribers without a copy"
    assert set(Delivery.objects.filter(edition=edition).values_list("status", flat=True)) == {Delivery.Status.SENT}


@pytest.mark.parametrize("kill_after", [100, 700])
def test_a_worker_killed_mid_send_leaves_one_copy_each(send, counting_server, kill_after):
    edition, addresses, worker = send
    first = worker()
    sending.queue(edition)
    wait_for(lambda: counting_server.total >= kill_after, 60, "the worker never sent that many")
    first.kill()
    finish_and_check(edition, addresses, worker, counting_server)


def test_a_worker_killed_while_the_database_commits_leaves_one_copy_each(send, counting_server):
    if connection.vendor != "postgresql":
        pytest.skip("the commit is slowed by PostgreSQL's commit_delay")
    edition, addresses, worker = send
    first = worker(NEWSROOM_PG_OPTIONS=SLOW_COMMIT)
    sending.queue(edition)
    wait_for(lambda: counting_server.total >= 10, 60, "the worker never started sending")
    first.kill()
    finish_and_check(edition, addresses, worker, counting_server)
