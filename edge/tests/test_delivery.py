"""Purges through the real job queue: a change commits, a Celery worker on a real Redis delivers its keys to a
stub edge (a real HTTP server); failures of the edge or of the broker are retried, never felt by the save."""

import subprocess
import time

import pytest
from django.core.management import call_command
from django.db import transaction

from articles.tests.factories import make_article, make_author
from edge import outbox
from edge.models import Purge
from newsroom import jobs
from tests.jobqueue import use_broker

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_publication_is_purged_once_after_commit_with_the_secret(worker, stub_edge):
    with transaction.atomic():
        author = make_author()
        article = make_article(authors=[author], tags=["Floods"])
        article.title = "Edited in the same transaction"
        article.save()
    keys = stub_edge.wait_for(f"a{article.pk}", "latest", "missing", "tags", f"pl{author.pk}")
    assert any(key.startswith("tl") for key in keys)
    assert len(stub_edge.purges) == 1  # one batch for the whole transaction
    _wait_until(lambda: not Purge.objects.exists())


def test_a_rollback_purges_nothing(worker, stub_edge):
    keep = make_article(status="draft")
    with transaction.atomic():
        make_article(title="Kept")
        try:
            with transaction.atomic():
                gone = make_article(title="Rolled back")
                raise RuntimeError
        except RuntimeError:
            pass
    stub_edge.wait_for("latest")
    assert f"a{gone.pk}" not in stub_edge.purged_keys()
    with pytest.raises(RuntimeError), transaction.atomic():
        make_article(title="All rolled back")
        raise RuntimeError
    keep.title = "A draft's edit"
    keep.save()
    assert Purge.objects.count() == 0
    assert len(stub_edge.purges) == 1


def test_an_edge_down_keeps_the_purge_and_gets_it_when_back(worker, stub_edge):
    stub_edge.stop()
    article = make_article()
    _wait_until(lambda: Purge.objects.filter(attempts__gte=1).exists())
    row = Purge.objects.get()
    assert row.last_error and f"a{article.pk}" in row.keys.split()
    stub_edge.start()
    stub_edge.wait_for(f"a{article.pk}")
    _wait_until(lambda: not Purge.objects.exists())


def test_a_dead_broker_never_fails_the_save_and_the_sweep_delivers(dead_broker, stub_edge):
    article = make_article()
    assert Purge.objects.filter(keys__contains=f"a{article.pk}").exists()
    assert stub_edge.purges == []
    assert outbox.deliver() == 1  # the sweep's work, once a worker runs it
    assert f"a{article.pk}" in stub_edge.purged_keys()
    assert not Purge.objects.exists()


def test_a_broker_stopped_and_started_again(redis_server, stub_edge, transactional_db):
    from celery.contrib.testing.worker import start_worker

    from edge.tasks import sweep
    from newsroom.celery import app

    use_broker(redis_server.url)
    redis_server.stop()
    article = make_article()  # the broker is down: saved all the same
    assert Purge.objects.filter(keys__contains=f"a{article.pk}").exists()
    redis_server.start()
    jobs.forget_refusal()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        sweep.delay()
        stub_edge.wait_for(f"a{article.pk}")
    _wait_until(lambda: not Purge.objects.exists())


def test_purge_edge_command(stub_edge, dead_broker):
    call_command("purge_edge", "--all")
    assert stub_edge.purges == [["site"]]
    call_command("purge_edge", "a1", "home")
    assert sorted(stub_edge.purges[-1]) == ["a1", "home"]


def test_a_refused_purge_is_kept_for_another_try(stub_edge, dead_broker, settings):
    settings.NEWSROOM_EDGE_PURGE_SECRET = "wrong"
    make_article()
    assert outbox.deliver() == 0
    row = Purge.objects.get()
    assert row.attempts == 1 and "403" in row.last_error


class RedisServer:
    """A real redis-server of the test's own on a spare port, stopped and started again on demand."""

    def __init__(self, port):
        self.port, self.process = port, None
        self.url = f"redis://127.0.0.1:{port}/0"

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        import redis

        _wait_until(lambda: _answers(redis.Redis(port=self.port)))

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None


def _answers(client):
    try:
        return client.ping()
    except Exception:  # noqa: BLE001
        return False


@pytest.fixture
def redis_server():
    import shutil
    import socket

    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = RedisServer(port)
    server.start()
    yield server
    server.stop()


def _wait_until(condition, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("the condition never held")
