"""Purges that miss the edge, through the whole chain (gunicorn, a real ``varnishd``, real Celery workers): an
edge restarted after missing a withdrawal's purge serves nothing from before and still gets the purge; an edge
frozen for a moment gets it once it answers again; a worker killed while the edge is down leaves the purge to
the next worker, delivered once. Each fault is the real thing: a process stopped, frozen or killed.
"""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from articles.models import Article
from articles.tests.factories import make_article
from edge.models import Purge
from tests.edgestack import ROOT, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

EDGE_SECONDS = 3600


def withdraw(article):
    article.status = Article.Status.WITHDRAWN
    article.withdrawal_note = "Withdrawn after a legal complaint."
    article.save()


def purges_of(edge_server, key):
    """How many PURGE requests naming ``key`` this varnishd (since its start) has taken."""
    log = edge_server.log(f'ReqMethod eq "PURGE" and ReqHeader:xkey-purge ~ "(^|[ ,]){key}([ ,]|$)"')
    return sum(1 for line in log.splitlines() if line.startswith("*") and "<< Request" in line)


def test_an_edge_restarted_after_a_missed_purge_serves_nothing_from_before(edge, worker):
    story = make_article(title="Harbour deal signed")
    path = story.get_absolute_url()
    edge.cached(path, "/")
    edge.edge.stop()
    withdraw(story)
    wait_for(lambda: Purge.objects.filter(attempts__gte=1).exists(), message="the purge was never tried")
    assert Purge.objects.get().last_error  # refused: nothing listens
    edge.edge.start()
    edge.edge.wait_backend(True)
    status, _, body = edge.get(path)  # the cache is empty after the restart: the app answers
    assert status == 410 and "Harbour deal signed" not in edge.get("/")[2]
    wait_for(lambda: not Purge.objects.exists(), message="the retried purge was never delivered")
    assert purges_of(edge.edge, f"a{story.pk}") >= 1


def test_an_edge_frozen_for_a_moment_gets_the_purge_when_it_answers(edge, worker):
    story = make_article(title="Pier inspection due")
    path = story.get_absolute_url()
    edge.cached(path)
    cache_process = int(Path(f"/proc/{edge.edge.process.pid}/task/{edge.edge.process.pid}/children").read_text())
    os.kill(cache_process, signal.SIGSTOP)  # the cache process: connections are accepted, nothing answers
    try:
        withdraw(story)
        wait_for(lambda: Purge.objects.filter(attempts__gte=1).exists(), message="the purge was never tried")
        assert "timed out" in Purge.objects.get().last_error
    finally:
        os.kill(cache_process, signal.SIGCONT)
    edge.wait_until(path, lambda status, headers, body: status == 410)
    wait_for(lambda: not Purge.objects.exists(), message="the purge was never delivered")


def start_worker_process(running, directory, beat=False):
    """``celery worker`` in its own session (so a test can kill it and nothing else) on the stack's broker."""
    command = [sys.executable, "-m", "celery", "-A", "newsroom", "worker", "--pool", "solo", "--loglevel", "INFO"]
    if beat:
        command += ["--beat", "--schedule", str(directory / "beat-schedule")]
    log = open(directory / f"worker-{len(list(directory.iterdir()))}.out", "ab")  # noqa: SIM115
    return subprocess.Popen(command, cwd=ROOT, env=running.env, start_new_session=True, stdout=log, stderr=log)


def test_a_worker_killed_mid_job_leaves_the_purge_to_the_next(edge, tmp_path):
    first = start_worker_process(edge, tmp_path)
    try:
        story = make_article(title="Crane collapse inquiry")
        wait_for(lambda: not Purge.objects.exists(), 30, "the first worker never delivered the publication")
        path = story.get_absolute_url()
        edge.cached(path)
        edge.edge.stop()
        withdraw(story)
        wait_for(lambda: Purge.objects.filter(attempts__gte=1).exists(), 30, "the first worker never tried")
    finally:
        os.killpg(first.pid, signal.SIGKILL)  # holding the retry it scheduled, unacknowledged
        first.wait(timeout=30)
    edge.edge.start()  # its log starts empty: every purge counted below came after the kill
    second = start_worker_process(edge, tmp_path, beat=True)
    try:
        wait_for(lambda: not Purge.objects.exists(), 60, "the next worker never delivered the purge")
        edge.wait_until(path, lambda status, headers, body: status == 410)
        assert purges_of(edge.edge, f"a{story.pk}") == 1
    finally:
        os.killpg(second.pid, signal.SIGTERM)
        second.wait(timeout=30)
