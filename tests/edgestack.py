"""The whole edge chain for tests: the app served by a real gunicorn (a subprocess a test can kill), a real
``varnishd`` in front of it (``tests/edgeserver.py``) and a real Celery worker delivering the purges, all on the
test's own database and the test process's own Redis database.

A module sets ``EDGE_SECONDS`` (the app's ``NEWSROOM_EDGE_SECONDS``, the longest the edge keeps a page) and uses
the ``stack`` fixture (the servers, started once for the module) through ``edge`` (each test: the test process
pointed at the same cache, broker and edge, the edge and the app's page cache emptied, a worker running).
Changes are made in the test process through the ORM and committed (``transaction=True``), as an editor's are.
"""

import os
import signal
import subprocess
import sys
import time
import urllib.parse
import uuid
from pathlib import Path

import pytest

from tests.edgeserver import EdgeServer, spare_port
from tests.servers import production_env

ROOT = Path(__file__).resolve().parent.parent
SECRET = "edge-stack-purge-secret"
WAIT_SECONDS = 10  # the longest a change may take to show through the edge here (the goal is 1 s: a benchmark's)


def database_url(settings_dict):
    """The test database as a DATABASE_URL the app reads (SQLite file or PostgreSQL)."""
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{Path(settings_dict['NAME']).resolve()}"
    user = urllib.parse.quote(settings_dict.get("USER") or "")
    password = settings_dict.get("PASSWORD") or ""
    auth = f"{user}:{urllib.parse.quote(password)}@" if password else f"{user}@" if user else ""
    host, port = settings_dict.get("HOST") or "127.0.0.1", settings_dict.get("PORT") or "5432"
    return f"postgres://{auth}{host}:{port}/{settings_dict['NAME']}"


class Origin:
    """gunicorn serving the app on one port, started again on the same port after a kill."""

    def __init__(self, env, directory):
        self.env, self.dir, self.port, self.process = env, directory, spare_port(), None

    def start(self):
        self.log = open(self.dir / "gunicorn.out", "ab")  # noqa: SIM115 - closed in kill()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{self.port}",
             "newsroom.wsgi"],
            cwd=ROOT, env=self.env, start_new_session=True, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        import urllib.request

        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/readyz", timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((self.dir / "gunicorn.out").read_text()[-3000:]) from None
                time.sleep(0.2)

    def kill(self, sig=signal.SIGKILL):
        """``sig`` to gunicorn's arbiter and its workers (its own session), as when the machine loses them."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            self.process.wait(timeout=30)
        self.process = None
        if getattr(self, "log", None):
            self.log.close()


@pytest.fixture(scope="module")
def stack(request, django_db_setup, django_db_blocker, redis_database, tmp_path_factory):
    """gunicorn and varnishd for this module, on the test database and Redis database; the module's
    ``STACK_SETTINGS`` (names and strings), if any, on top of the app's environment."""
    from django.db import connection

    tmp = tmp_path_factory.mktemp("edge-stack")
    prefix = f"edgestack-{uuid.uuid4().hex[:8]}"
    env = production_env(
        tmp,
        "edge-stack",
        DATABASE_URL=database_url(connection.settings_dict),
        DATABASE_CONN_MAX_AGE="0",
        REDIS_URL=redis_database,
        CELERY_BROKER_URL=redis_database,
        CACHE_KEY_PREFIX=prefix,
        NEWSROOM_RELEASE=prefix,
        DJANGO_SECURE_HSTS_SECONDS="0",
        NEWSROOM_EDGE_SECONDS=str(request.module.EDGE_SECONDS),
        NEWSROOM_EDGE_PURGE_SECRET=SECRET,
        **getattr(request.module, "STACK_SETTINGS", {}),
    )
    env.pop("DATABASE_URL_TEST", None)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    origin = Origin(env, tmp)
    edge = EdgeServer(origin.port, secret=SECRET)
    env["NEWSROOM_EDGE_PURGE_URLS"] = f"http://127.0.0.1:{edge.port}/"
    with django_db_blocker.unblock():
        origin.start()
    edge.start()
    edge.wait_backend(True)
    try:
        yield Stack(origin, edge, env, prefix, redis_database)
    finally:
        edge.close()
        origin.kill(signal.SIGTERM)
        import redis

        client = redis.Redis.from_url(redis_database)
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)


class Stack:
    def __init__(self, origin, edge, env, prefix, redis_url):
        self.origin, self.edge, self.env, self.prefix, self.redis_url = origin, edge, env, prefix, redis_url

    def get(self, path, **headers):
        """An anonymous reader's GET through the edge: (status, headers, text)."""
        status, response_headers, body = self.edge.get(path, **headers)
        return status, response_headers, body.decode("utf-8", "replace")

    def cached(self, *paths):
        """Ask for each page until the edge answers it from its cache, and assert it does (so that what changes
        next is the purge's doing, not a miss)."""
        for path in paths:
            for _ in range(3):
                status, headers, _ = self.get(path)
                if headers.get("X-Cache") == "HIT":
                    break
            assert headers.get("X-Cache") == "HIT", (path, status, dict(headers))

    def wait_until(self, path, condition, timeout=WAIT_SECONDS):
        """Poll ``path`` anonymously until ``condition(status, headers, text)`` holds; the last answer."""
        deadline = time.monotonic() + timeout
        while True:
            answer = self.get(path)
            if condition(*answer):
                return answer
            if time.monotonic() > deadline:
                status, headers, text = answer
                raise AssertionError(f"{path}: never as expected; last {status} {dict(headers)} {text[:300]!r}")
            time.sleep(0.05)

    def shows(self, path, text, timeout=WAIT_SECONDS):
        return self.wait_until(path, lambda status, headers, body: status < 500 and text in body, timeout)

    def hides(self, path, text, timeout=WAIT_SECONDS):
        return self.wait_until(path, lambda status, headers, body: text not in body, timeout)


@pytest.fixture
def edge(stack, transactional_db, settings):
    """The test process pointed at the stack's shared cache, broker and edge; the edge emptied (``site`` is on
    every page) and the app's page cache started afresh, since the previous test's rows are gone."""
    from pagecache.generation import start_new_generation
    from pagecache.local import reset_process_memory
    from tests.jobqueue import use_broker

    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.cachebackend.ResilientRedisCache",
            "LOCATION": stack.redis_url,
            "KEY_PREFIX": stack.prefix,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
        "recent": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "edge-stack-recent"},
    }
    settings.NEWSROOM_RELEASE = stack.prefix
    settings.NEWSROOM_EDGE_PURGE_URLS = [stack.env["NEWSROOM_EDGE_PURGE_URLS"]]
    settings.NEWSROOM_EDGE_PURGE_SECRET = SECRET
    settings.NEWSROOM_EDGE_SECONDS = int(stack.env["NEWSROOM_EDGE_SECONDS"])
    use_broker(stack.redis_url)
    reset_process_memory()
    start_new_generation()
    if stack.edge.process is None:
        stack.edge.start()
    if stack.origin.process is None:
        stack.origin.start()
    stack.edge.wait_backend(True)
    status, _ = stack.edge.purge(["site"], SECRET)
    assert status == 200
    return stack


@pytest.fixture
def worker(edge):
    """A real Celery worker in a thread of the test process, on the stack's broker."""
    from celery.contrib.testing.worker import start_worker

    from newsroom import jobs
    from newsroom.celery import app as celery_app

    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as running:
        yield running
    jobs.forget_refusal()


def wait_for(condition, timeout=20, message="the condition never held"):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(message)
        time.sleep(0.05)
