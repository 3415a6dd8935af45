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
from django.db import connection

from tests.edgestack import database_url
from tests.jobqueue import use_broker
from tests.servers import production_env

ROOT = Path(__file__).resolve().parents[2]


def spare_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class CountingServer:
    """A small SMTP server on a spare port, in a thread of the test process: ``counts[address]`` messages
    accepted, counted when the final "." is read, and ``delay`` seconds before the answer, so that a send takes
    long enough to be killed in the middle. Like a real mail server it reads what the client wrote to the end,
    so a message whose "." arrived just before the client died is delivered (aiosmtpd drops a session at once
    when the connection closes, even with the "." unread). Stopped and started again on the same port."""

    def __init__(self, delay=0.0):
        self.port, self.delay = spare_port(), delay
        self.counts, self.lock = Counter(), threading.Lock()
        self._loop = self._server = None
        self._sessions = set()

    @property
    def total(self):
        with self.lock:
            return sum(self.counts.values())

    async def _session(self, reader, writer):
        self._sessions.add(writer)
        recipients = []
        try:
            writer.write(b"220 mail.test ESMTP\r\n")
            while line := await reader.readline():
                verb = line[:4].upper()
                if verb == b"RCPT":
                    recipients.append(line.decode().split("<", 1)[1].split(">", 1)[0])
                elif verb == b"MAIL":
                    recipients = []
                if verb == b"DATA":
                    writer.write(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                    while (chunk := await reader.readline()) and chunk != b".\r\n":
                        pass
                    if not chunk:
                        break
                    with self.lock:
                        self.counts.update(recipients)
                    if self.delay:
                        await asyncio.sleep(self.delay)
                    writer.write(b"250 Message accepted\r\n")
                elif verb == b"EHLO":
                    writer.write(b"250-mail.test\r\n250 8BITMIME\r\n")
                elif verb == b"QUIT":
                    writer.write(b"221 Bye\r\n")
                    break
                else:
                    writer.write(b"250 OK\r\n")
                await writer.drain()
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            self._sessions.discard(writer)
            writer.close()

    def start(self):
        self._loop = asyncio.new_event_loop()
        threading.Thread(target=self._loop.run_forever, daemon=True).start()
        self._server = asyncio.run_coroutine_threadsafe(
            asyncio.start_server(self._session, "127.0.0.1", self.port, reuse_address=True), self._loop
        ).result(10)

    def stop(self):
        """Stop listening and cut every connection, as a server going down does."""
        if self._loop is None:
            return

        async def shut():
            self._server.close()
            for writer in list(self._sessions):
                writer.transport.abort()
            await self._server.wait_closed()

        asyncio.run_coroutine_threadsafe(shut(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._loop = self._server = None


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


def wait_for(condition, timeout, message):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(message)
        time.sleep(0.05)
