"""The real pieces of a send for the tests that kill them: a Celery worker in its own process group on the test
database and this test process's Redis database, and an SMTP server that counts the messages it accepts, by
recipient, at the moment it reads the final "." of DATA (a server that has the whole message delivers it, whether
or not the client is still there to read the answer)."""

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import redis
from aiosmtpd.controller import Controller
from django.db import connection
from django.utils import timezone

from newsletters.models import Newsletter, Subscriber, Subscription
from tests.edgestack import database_url
from tests.jobqueue import use_broker
from tests.servers import production_env

ROOT = Path(__file__).resolve().parents[2]


def spare_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class CountingServer:
    """aiosmtpd on a spare port: ``counts[address]`` messages accepted; ``delay`` seconds before each answer to
    the end of DATA (after the message is counted), so a send takes long enough to be killed in the middle.
    Stopped and started again on the same port."""

    def __init__(self, delay=0.0):
        self.port, self.delay = spare_port(), delay
        self.counts, self.lock, self._controller = Counter(), threading.Lock(), None

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.counts.update(envelope.rcpt_tos)
        if self.delay:
            await asyncio.sleep(self.delay)
        return "250 Message accepted"

    @property
    def total(self):
        with self.lock:
            return sum(self.counts.values())

    def start(self):
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port, server_hostname="mail.test")
        self._controller.start()

    def stop(self):
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


class Worker:
    """``celery -A newsroom worker -B`` (prefork, two processes) in a process group of its own, killed whole."""

    def __init__(self, env, log):
        self.env, self.log, self.process = env, log, None

    def start(self):
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "newsroom", "worker", "-B", "--pool", "prefork",
                 "--concurrency", "2", "--loglevel", "INFO", "--without-mingle", "--without-gossip"],
                cwd=ROOT, env=self.env, start_new_session=True, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip

    def kill(self, sig=signal.SIGKILL):
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, sig)
        self.process.wait(timeout=30)
        self.process = None


def worker_env(tmp, redis_url, mail_port, **settings):
    """The environment of a worker on the test database, ``redis_url`` (broker and shared cache) and the SMTP
    server on ``mail_port``; ``settings`` (names and strings) on top."""
    return production_env(
        tmp, "newsletter-worker",
        DATABASE_URL=database_url(connection.settings_dict), REDIS_URL=redis_url, CELERY_BROKER_URL=redis_url,
        CELERY_BEAT_SCHEDULE_FILENAME=str(tmp / "celerybeat-schedule"), NEWSROOM_VAR_DIR=str(tmp / "var"),
        NEWSROOM_EMAIL_HOST="127.0.0.1", NEWSROOM_EMAIL_PORT=str(mail_port), NEWSROOM_EMAIL_TLS="0",
        NEWSROOM_NEWSLETTER_SWEEP_SECONDS="1", NEWSROOM_NEWSLETTER_LEASE_SECONDS="3", **settings,
    )  # fmt: skip


def use_redis(redis_url):
    """This test process's jobs go to ``redis_url``, emptied first (no job of an earlier test is left there)."""
    redis.Redis.from_url(redis_url).flushdb()
    use_broker(redis_url)


def subscribers(newsletter: Newsletter, count):
    """``count`` confirmed subscribers of ``newsletter``, written in bulk; their addresses."""
    now = timezone.now()
    made = Subscriber.objects.bulk_create(
        Subscriber(email=f"reader{n}@example.com", status=Subscriber.Status.ACTIVE, confirmed_at=now)
        for n in range(count)
    )
    Subscription.objects.bulk_create(
        Subscription(
            subscriber=subscriber,
            newsletter=newsletter,
            source="/newsletters/",
            consented_at=now,
            status=Subscription.Status.ACTIVE,
        )  # fmt: skip
        for subscriber in made
    )
    return [subscriber.email for subscriber in made]


def wait_for(condition, timeout, message):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(message)
        time.sleep(0.05)
