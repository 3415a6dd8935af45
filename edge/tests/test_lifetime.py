"""While purges cannot be sent (the job queue refuses them, or they wait undelivered), no edge is told to keep a
page longer than any shared cache may; and edges without the secret they need are a startup error."""

from datetime import timedelta

import pytest
from django.core.checks import run_checks
from django.utils import timezone

from articles.tests.factories import make_article
from edge import middleware
from edge.models import Purge
from newsroom import jobs
from tests.jobqueue import use_broker

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def fresh_check():
    middleware._checked["at"] = -float("inf")
    yield
    middleware._checked["at"] = -float("inf")


def max_age(response):
    return int(response["Surrogate-Control"].removeprefix("max-age="))


@pytest.mark.usefixtures("stub_edge", "worker")
def test_pages_are_kept_a_day_while_purges_go_out(client):
    make_article()
    assert max_age(client.get("/")) == 86400


@pytest.mark.usefixtures("stub_edge", "dead_broker")
def test_a_queue_refusing_purges_shortens_what_the_edge_keeps(client, settings):
    story = make_article()
    story.title = "Edited while the queue is down"
    story.save()  # its purge waits in the outbox: the queue refused the job
    assert Purge.objects.exists()
    assert max_age(client.get("/")) == settings.NEWSROOM_CDN_SECONDS
    assert max_age(client.get(story.get_absolute_url())) == settings.NEWSROOM_CDN_SECONDS


@pytest.mark.usefixtures("stub_edge", "dead_broker")
def test_a_purge_left_undelivered_shortens_what_the_edge_keeps(client, settings):
    make_article()
    jobs.forget_refusal()  # this test is about the outbox: the queue's refusal is set aside
    row = Purge.objects.create(url=settings.NEWSROOM_EDGE_PURGE_URLS[0], keys="a1")
    assert max_age(client.get("/")) == 86400  # just written: on its way
    Purge.objects.filter(pk=row.pk).update(created_at=timezone.now() - timedelta(minutes=1))
    middleware._checked["at"] = -float("inf")
    assert max_age(client.get("/")) == settings.NEWSROOM_CDN_SECONDS


def test_edges_without_a_purge_secret_are_a_startup_error(settings):
    settings.NEWSROOM_EDGE_PURGE_URLS = ["http://127.0.0.1:6081/"]
    settings.NEWSROOM_EDGE_PURGE_SECRET = ""
    assert "edge.E003" in [error.id for error in run_checks()]
    settings.NEWSROOM_EDGE_PURGE_SECRET = "s3cret"
    assert "edge.E003" not in [error.id for error in run_checks()]


def test_purges_a_dead_queue_refused_are_sent_by_the_app_server(client, stub_edge, dead_broker):
    story = make_article()
    stub_edge.purges.clear()
    story.status = story.Status.WITHDRAWN
    story.save()
    assert Purge.objects.exists() and stub_edge.purges == []  # the queue refused the job
    client.get("/healthz")  # any request: the edge's health probe, an editor
    stub_edge.wait_for(f"a{story.pk}")
    wait_until_empty()


@pytest.fixture
def idle_queue(redis_database):
    """A queue that takes jobs, and no worker to run them."""
    import redis

    from newsroom.celery import app

    redis.Redis.from_url(redis_database).flushdb()
    before = app.conf.broker_url
    use_broker(redis_database)
    yield
    use_broker(before)


@pytest.mark.usefixtures("idle_queue")
def test_purges_no_worker_takes_are_sent_by_the_app_server(client, stub_edge):
    story = make_article()
    story.title = "Edited while no worker runs"
    story.save()
    client.get("/healthz")
    assert Purge.objects.exists() and f"a{story.pk}" not in stub_edge.purged_keys()  # on its way, for now
    Purge.objects.update(created_at=timezone.now() - timedelta(minutes=1))
    middleware._checked["at"] = -float("inf")
    client.get("/healthz")
    stub_edge.wait_for(f"a{story.pk}")
    wait_until_empty()


def wait_until_empty():
    import time

    deadline = time.monotonic() + 10
    while Purge.objects.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not Purge.objects.exists()
