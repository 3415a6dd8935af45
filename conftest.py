import asyncio
import http.server
import os
import shutil
import socket
import threading
from email import message_from_bytes, policy
from importlib import import_module

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth.models import Group, User
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import override_settings
from pytest_django.fixtures import validate_django_db
from pytest_django.plugin import blocking_manager_key

from articles.models import Author, KindOfWork


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing():
    """Passwords in tests are hashed with MD5, as Django's testing documentation advises: the production hasher
    takes a deliberate half second or more a password, and nearly every staff fixture makes one."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads in tests go to a temporary folder, never to the development media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def clear_cache(settings):
    """Each test has its own empty in-process cache (the test process is the only server)."""
    from django.core.cache import cache, caches

    from pagecache.local import reset_process_memory

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test-shared"},
        "recent": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test-recent"},
    }
    cache.clear()
    caches["recent"].clear()
    reset_process_memory()
    yield
    cache.clear()
    reset_process_memory()


REDIS_PORT = 6379
# Database numbers counted down from here, one per test process: 13 is the survey's, 14 the two-server test's.
REDIS_FIRST_TEST_DATABASE = 12


def _own_redis_database():
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
    if worker >= REDIS_FIRST_TEST_DATABASE:
        pytest.fail(f"Redis has no database left for test worker {worker}: run fewer workers")
    return f"redis://127.0.0.1:{REDIS_PORT}/{REDIS_FIRST_TEST_DATABASE - worker}"


@pytest.fixture(scope="session")
def redis_database():
    """The URL of a database of this test process's own on the Redis at 127.0.0.1:6379 (skips when none answers).
    Under pytest-xdist each worker has its own (12 for the first, 11 for the second...), so that one worker's
    flush, or a test cutting the connections on its database, never reaches another's."""
    with socket.socket() as probe:
        probe.settimeout(0.5)
        if probe.connect_ex(("127.0.0.1", REDIS_PORT)) != 0:
            pytest.skip(f"Redis is not answering on 127.0.0.1:{REDIS_PORT}")
    return _own_redis_database()


@pytest.fixture(autouse=True, scope="session")
def own_broker():
    """The jobs tests ask for go to the test process's own Redis database, never to the broker of a site run on
    this machine, whose worker would run them against that site's database (an e-mail about its article 3)."""
    from tests.jobqueue import use_broker

    use_broker(_own_redis_database())


ROLE_MIGRATIONS = (
    ("articles", "0003_roles", "create_roles"),
    ("articles", "0010_site_settings_and_roles", "forwards"),
    ("articles", "0013_move_pictures_into_library", "roles"),
    ("live", "0002_roles", "roles"),
    ("newsletters", "0002_roles", "roles"),
    ("api", "0002_roles", "roles"),
    ("webhooks", "0002_roles", "roles"),
    ("articles", "0025_kind_of_work_roles", "roles"),
    ("about", "0002_roles", "roles"),
    ("articles", "0024_kinds_of_work", "add_kinds"),
)


def _roles():
    """The Writer and Editor groups, and the kinds of work, as the migrations leave them. A test with
    ``transaction=True`` ends by emptying every table, so the tests after it would find none: they are made again
    by the migrations' own functions, against the models as migrated."""
    if Group.objects.filter(name__in=["Writer", "Editor"]).count() == 2 and KindOfWork.objects.exists():
        return
    state = MigrationExecutor(connection).loader.project_state()
    for app, module, function in ROLE_MIGRATIONS:
        getattr(import_module(f"{app}.migrations.{module}"), function)(state.apps, None)


def _database_marker(item):
    """The test's ``django_db`` marker as (transaction, reset_sequences, databases, serialized_rollback,
    available_apps), each false when there is no marker."""
    marker = item.get_closest_marker("django_db")
    return validate_django_db(marker) if marker is not None else (False, False, None, False, None)


def _empties_the_database(item):
    transaction, *_ = _database_marker(item)
    flushing = {"transactional_db", "live_server", "django_db_reset_sequences"}
    return transaction or bool(flushing & set(item.fixturenames))


def _restores_the_database(item):
    """A test with ``serialized_rollback`` loads the database's first contents (the roles with them) itself."""
    _, _, _, serialized_rollback, _ = _database_marker(item)
    return serialized_rollback


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a test with ``transaction=True`` has emptied every table, the roles are made again, so that the tests
    after it, whichever they are, find the database as the migrations leave it. (Run alone, pytest-django puts such
    tests last; pytest-xdist then runs each worker's share file by file, and they end in the middle of it.)"""
    result = yield
    if nextitem is not None and _empties_the_database(item) and not _restores_the_database(nextitem):
        with item.config.stash[blocking_manager_key].unblock():
            _roles()
    return result


def _staff(username, group):
    _roles()
    user = User.objects.create_user(username, password="pw-not-used", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def writer(db):
    user = _staff("wendy", "Writer")
    Author.objects.create(name="Wendy Writer", user=user)
    return user


@pytest.fixture
def other_writer(db):
    return _staff("oscar", "Writer")


@pytest.fixture
def editor(db):
    return _staff("eddie", "Editor")


@pytest.fixture
def client_for(client):
    def login(user):
        client.force_login(user)
        return client

    return login


class MailServer:
    """A real SMTP server on a spare port of 127.0.0.1: it keeps each message it accepts (parsed, in
    ``received``), answers ``refuse[address]`` to a recipient listed there, and can be stopped and started again
    on the same port. ``hold()`` keeps each message at the end of its DATA until ``release()``; ``delay`` seconds
    pass before it answers each DATA, as a slow server's do."""

    def __init__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.received, self.refuse = [], {}
        self.arrived, self._gate, self._controller = threading.Event(), None, None
        self.delay = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.arrived.set()
        await asyncio.sleep(self.delay)
        if self._gate is not None:
            await asyncio.to_thread(self._gate.wait, 10)
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        self.received.append(message)
        return "250 Message accepted"

    def hold(self):
        self._gate = threading.Event()

    def release(self):
        self._gate.set()

    def start(self):
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port, server_hostname="mail.test")
        self._controller.start()

    def stop(self):
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


@pytest.fixture
def mail_server(settings):
    """Django's SMTP backend talking to a real server started for the test (stopped at its end)."""
    server = MailServer()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", server.port, 15
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    server.start()
    yield server
    if server._gate is not None:
        server.release()
    server.stop()


@pytest.fixture
def dead_broker():
    """A broker address nothing answers at: every enqueue fails (the broker the app had is restored after)."""
    from newsroom.celery import app as celery_app
    from tests.jobqueue import use_broker

    before = celery_app.conf.broker_url
    use_broker("redis://127.0.0.1:1/0")
    yield
    use_broker(before)


@pytest.fixture
def redis_cache(tmp_path, settings):
    """A redis-server of the test's own as the shared cache (``tests.redisserver``), for the test to stop and
    start again; skipped where redis-server is not installed."""
    from tests.redisserver import RedisServer, use_as_cache

    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    server = RedisServer(tmp_path)
    server.start()
    use_as_cache(server, settings)
    yield server
    if server.process.poll() is None:
        server.stop()


@pytest.fixture
def eager_jobs():
    """Each job asked for (``newsroom.jobs.send``) runs at once in the test's own process, as Celery's
    ``task_always_eager`` runs them, its exceptions raised."""
    from newsroom.celery import app as celery_app

    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


@pytest.fixture
def worker(redis_database, transactional_db):
    """A real Celery worker in a thread, on this test process's own Redis database."""
    import redis
    from celery.contrib.testing.worker import start_worker

    from newsroom import jobs
    from newsroom.celery import app as celery_app
    from tests.jobqueue import use_broker

    redis.Redis.from_url(redis_database).flushdb()
    use_broker(redis_database)
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as running:
        yield running
    jobs.forget_refusal()


@pytest.fixture
def picture_server():
    """A real HTTP server on loopback serving a few paths."""
    routes = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            getattr(server, "hits", []).append(self.path)
            status, headers, body = routes.get(self.path, (404, {}, b"missing"))
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.routes = routes
    server.base = f"http://127.0.0.1:{server.server_port}"
    yield server
    server.shutdown()
    server.server_close()
