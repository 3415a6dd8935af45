"""Two app servers, one PostgreSQL database and one Redis: an edit made through one shows at once on the other.

Run by `make test-multinode` (and CI) when PostgreSQL and Redis answer on 127.0.0.1. Each server is a
real gunicorn with production settings and two workers of its own.
"""

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.servers import production_env

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get("MULTINODE_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("MULTINODE_REDIS_URL", "redis://127.0.0.1:6379/14")

pytestmark = pytest.mark.multinode

SETUP = """
from django.contrib.auth.models import User
from articles.models import Article, Author, Byline
User.objects.create_superuser("chief", "chief@example.org", "Multinode-pass-2026", first_name="Chief")
User.objects.create_superuser("deputy", "deputy@example.org", "Multinode-pass-2026", first_name="Deputy")
ann = Author.objects.create(name="Ann Harbour")
live = Article.objects.create(title="Harbour reopens", dek="Ships are back.", body="The **port** is open.",
                              status="published", published_at="2026-01-05T09:00:00Z")
draft = Article.objects.create(title="Bridge closes tonight", dek="Traffic diverted.", body="Repairs begin.")
Byline.objects.create(article=live, author=ann)
Byline.objects.create(article=draft, author=ann)
print(draft.pk, live.pk)
"""


def reachable(port):
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    if not (reachable(5432) and reachable(6379)):
        pytest.skip("PostgreSQL and Redis must answer on 127.0.0.1:5432 and :6379")
    import psycopg

    name = f"newsroom_multinode_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    tmp = tmp_path_factory.mktemp("multinode")
    env = production_env(
        tmp,
        "multinode",
        DATABASE_URL=PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}",
        REDIS_URL=REDIS_URL,
        CACHE_KEY_PREFIX=name,
    )

    def manage(*args):
        return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
                              capture_output=True, text=True).stdout  # fmt: skip

    manage("migrate", "--noinput")
    manage("collectstatic", "--noinput")
    draft_pk, live_pk = manage("shell", "--no-imports", "-c", SETUP).split()[-2:]
    servers = []
    try:
        for _ in range(2):
            port = free_port()
            process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}",
                 "newsroom.wsgi"],
                cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            servers.append((f"http://127.0.0.1:{port}", process))
        for base, _ in servers:
            wait_until_ready(base)
        yield {"a": servers[0][0], "b": servers[1][0], "draft": draft_pk, "live": live_pk}
    finally:
        for _, process in servers:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(f"{name}:*"):
            client.delete(key)


def wait_until_ready(base):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/readyz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{base} did not become ready")


def get(url, opener=None):
    try:
        with (opener or urllib.request.build_opener()).open(url, timeout=30) as response:
            return response.status, response.read().decode(), response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), error.headers


class Editor:
    """A browser-like session on one server: cookies, CSRF tokens, form posts."""

    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def csrf(self, path):
        _, page, _ = get(self.base + path, self.opener)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    def post(self, path, data, form=None):
        data = {"csrfmiddlewaretoken": self.csrf(form or path), **data}
        request = urllib.request.Request(
            self.base + path, data=urllib.parse.urlencode(data, doseq=True).encode(), headers={"Referer": self.base}
        )
        with self.opener.open(request, timeout=30) as response:
            return response.read().decode()

    def login(self, username="chief"):
        self.post("/admin/login/?next=/admin/", {"username": username, "password": "Multinode-pass-2026"})


def test_an_edit_on_one_server_shows_at_once_on_the_other(cluster):
    a, b = cluster["a"], cluster["b"]
    pages = ["/", "/feed/rss/", "/articles/harbour-reopens/", "/authors/ann-harbour/"]
    for path in pages:  # B caches what readers see before the edit
        get(b + path)
        status, body, headers = get(b + path)
        assert status == 200 and headers["X-Cache"] == "hit", path
        assert "Bridge closes tonight" not in body
    assert get(b + "/articles/bridge-closes-tonight/")[0] == 404

    editor = Editor(a)
    editor.login()
    page = editor.post("/admin/articles/article/", {"action": "publish_selected", "_selected_action": cluster["draft"]})
    assert "Publish: done for 1" in page
    editor.post("/admin/articles/article/", {"action": "withdraw_selected", "_selected_action": cluster["live"],
                                             "apply": "1", "note": "Withdrawn for a legal review."})  # fmt: skip

    for path in ["/", "/feed/rss/", "/authors/ann-harbour/"]:
        status, body, _ = get(b + path)
        assert status == 200 and "Bridge closes tonight" in body, path
        assert "Harbour reopens" not in body, path
    status, body, _ = get(b + "/articles/harbour-reopens/")
    assert status == 410 and "Withdrawn for a legal review." in body
    assert get(b + "/articles/bridge-closes-tonight/")[0] == 200


def test_sessions_are_shared_between_servers(cluster):
    """A login on one server is valid on the other: the app tier keeps no state of its own."""
    editor = Editor(cluster["a"])
    editor.login()
    editor.base = cluster["b"]
    status, page, _ = get(cluster["b"] + "/admin/", editor.opener)
    assert status == 200 and "The desk" in page


def test_presence_is_shared_between_servers(cluster):
    """Two editors on two servers (two workers each) see each other on the same article: presence lives in the
    shared cache, and a take-over on one server is told to the other's next heartbeat."""
    import json

    beat = f"/admin/articles/article/{cluster['draft']}/presence/"
    chief, deputy = Editor(cluster["a"]), Editor(cluster["b"])
    chief.login()
    deputy.login("deputy")
    assert json.loads(chief.post(beat, {}, form="/admin/"))["you_hold"]
    seen = json.loads(deputy.post(beat, {}, form="/admin/"))
    assert not seen["you_hold"] and seen["holder"]["name"] == "Chief"
    assert json.loads(deputy.post(beat, {"take_over": "1"}, form="/admin/"))["you_hold"]
    for _ in range(4):  # whichever worker answers
        told = json.loads(chief.post(beat, {}, form="/admin/"))
        assert not told["you_hold"] and told["taken_over"]["by"] == "Deputy"
