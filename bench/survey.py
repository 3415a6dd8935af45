"""The bad-input survey: hostile requests, files and uploads against a real gunicorn with production settings.

    python bench/survey.py            (or: make survey)
    python bench/survey.py --postgres postgres://postgres@127.0.0.1:5432/postgres --redis redis://127.0.0.1:6379/13
    python bench/survey.py --redis redis://127.0.0.1:1/0      (a Redis that never answers: the site degrades)

By default the database is a fresh SQLite file and the cache a folder; ``--postgres`` creates (and drops) a
database of its own on that server, ``--redis`` uses that Redis under a key prefix of its own.

It starts gunicorn with demo content, replays every case (addresses, query strings, methods, headers, cookies,
charsets, form posts, uploads and Markdown through the admin, every admin form and JSON endpoint (survey_forms.py),
live coverage, newsletters and the content API (survey_live.py, survey_newsletters.py, survey_api.py), Markdown
files through import_markdown), and prints each 5xx answer and each group's time; it fails (exit 1) on any 5xx.
"""

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import quote, urlencode

import survey_api
import survey_forms
import survey_live
import survey_newsletters
from survey_inputs import (
    CHARSETS,
    HEADERS,
    HOSTILE_BODIES,
    HOSTILE_FILES,
    PAGES,
    PREFIXES,
    QUERIES,
    SEGMENTS,
    hostile_images,
)

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Survey-pass-" + uuid.uuid4().hex[:12]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Survey:
    """Sends the cases and counts the answers; ``request`` may be called from several threads at once."""

    def __init__(self, base_port, env):
        self.port, self.env = base_port, env
        self.requests, self.failures = 0, []
        self.statuses = {}  # per group of cases: status -> count
        self.seconds = {}  # per group of cases: how long the group took
        self.cookies = {}
        self._lock = threading.Lock()
        self._group, self._group_started = "start", time.monotonic()

    @property
    def group(self):
        return self._group

    @group.setter
    def group(self, name):
        now = time.monotonic()
        self.seconds[self._group] = self.seconds.get(self._group, 0) + now - self._group_started
        self._group, self._group_started = name, now

    def request(self, method, path, *, body=None, headers=None, label=None):
        headers = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
        with self._lock:
            if self.cookies and "Cookie" not in headers:
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            for name, value in headers.items():
                connection.putheader(name, value)
            if body is not None and "Content-Length" not in headers:
                connection.putheader("Content-Length", str(len(body)))
            connection.endheaders(body)
            response = connection.getresponse()
            content = response.read()
            status = response.status
            with self._lock:
                for header, value in response.getheaders():
                    if header.lower() == "set-cookie":
                        name, _, rest = value.partition("=")
                        self.cookies[name] = rest.split(";", 1)[0]
        except (OSError, http.client.HTTPException) as error:
            status, content = 599, str(error).encode()
        finally:
            connection.close()
        with self._lock:
            self.requests += 1
            group = self.statuses.setdefault(self.group, {})
            group[status] = group.get(status, 0) + 1
            if status >= 500 and not (status == 503 and path.startswith("/readyz")):
                self.failures.append((status, method, (label or path)[:120]))
        return status, content

    def login(self, username):
        self.cookies = {}
        status, page = self.request("GET", "/admin/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        form = urlencode({"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD, "next": "/admin/"})
        status, _ = self.request("POST", "/admin/login/", body=form.encode(),
                                 headers={"Content-Type": "application/x-www-form-urlencoded",
                                          "Referer": f"http://127.0.0.1:{self.port}/admin/login/"})  # fmt: skip
        if status != 302:
            raise RuntimeError(f"cannot sign in as {username}: {status}")

    def form_token(self, path):
        _, page = self.request("GET", path)
        return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode(), page

    def multipart(self, path, fields, files, label=None):
        boundary = "survey" + uuid.uuid4().hex
        parts = []
        for name, value in fields.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        files = list(files.items()) if isinstance(files, dict) else files  # a list: several files under one name
        for name, (filename, data) in files:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                f"Content-Type: application/octet-stream\r\n\r\n".encode()
                + data
                + b"\r\n"
            )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        label = label or f"{path} {files[0][1][0] if files else ''}"
        return self.request("POST", path, body=body, label=label,
                            headers={"Content-Type": f"multipart/form-data; boundary={boundary}",
                                     "Referer": f"http://127.0.0.1:{self.port}{path}"})  # fmt: skip


def article_form(page, token):
    """The change form's fields as the admin filled them, ready to post back."""
    fields = {"csrfmiddlewaretoken": token}
    for name, value in re.findall(rb'<input[^>]*\sname="([^"]+)"[^>]*value="([^"]*)"', page):
        fields.setdefault(name.decode(), value.decode())
    for name, value in re.findall(rb'<textarea[^>]*\sname="([^"]+)"[^>]*>(.*?)</textarea>', page, re.DOTALL):
        fields.setdefault(name.decode(), value.decode().replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"))
    for name, options in re.findall(rb'<select[^>]*\sname="([^"]+)"[^>]*>(.*?)</select>', page, re.DOTALL):
        chosen = re.search(rb'<option value="([^"]*)"[^>]*selected', options)
        if chosen:
            fields.setdefault(name.decode(), chosen.group(1).decode())
    for key in list(fields):
        if key.startswith(("_", "lead_image")) and key not in ("lead_image_alt", "lead_image"):
            fields.pop(key)
    fields["lead_image_alt"] = "A picture"
    return fields


def main():
    import argparse

    parser = argparse.ArgumentParser(description="Hostile input against gunicorn; fails unless no answer is 5xx.")
    parser.add_argument("--postgres", help="an administrative PostgreSQL URL; a database is made there for the run")
    parser.add_argument("--redis", help="a Redis URL for the shared cache")
    options = parser.parse_args()
    started = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="newsroom-survey-"))
    name = f"newsroom_survey_{uuid.uuid4().hex[:8]}"
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "NEWSROOM_"))}
    env |= {
        "NEWSROOM_VAR_DIR": str(tmp),
        "DATABASE_URL": options.postgres.rsplit("/", 1)[0] + f"/{name}" if options.postgres else "",
        "REDIS_URL": options.redis or "",
        "CACHE_KEY_PREFIX": name,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "survey-" + "k" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SESSION_COOKIE_SECURE": "0",
        "DJANGO_CSRF_COOKIE_SECURE": "0",
        "NEWSROOM_SERVE_MEDIA": "1",
        "NEWSROOM_LOGIN_FAILURE_LIMIT": "1000",
        "NEWSROOM_NEWSLETTER_SIGNUPS_PER_HOUR": "100000",
        "NEWSROOM_API_KEY_PER_MINUTE": "1000000",
        "GUNICORN_WORKERS": "2",
        "NEWSROOM_REQUEST_LOG": "0",
        "DJANGO_LOG_LEVEL": "ERROR",
    }

    def manage(*args, check=True):
        return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=check,
                              capture_output=True, text=True)  # fmt: skip

    if options.postgres:
        import psycopg

        with psycopg.connect(options.postgres, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
    try:
        run_survey(tmp, env, manage, started, options)
    finally:
        if options.postgres:
            with psycopg.connect(options.postgres, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_survey(tmp, env, manage, started, options):
    manage("migrate", "--noinput")
    manage("collectstatic", "--noinput")
    manage("generate_markdown", str(tmp / "content"), "--count", "30", "--seed", "7")
    manage("import_markdown", str(tmp / "content"), str(ROOT / "demo" / "content"))
    manage("shell", "--no-imports", "-c",
           "from django.contrib.auth.models import User\n"
           f"for name in {survey_forms.USERS!r}:\n"
           f"    User.objects.create_superuser(name, name + '@example.org', {PASSWORD!r})")  # fmt: skip

    port = free_port()
    log = open(tmp / "gunicorn.log", "w")  # noqa: SIM115 - closed after the server stops
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}", "newsroom.wsgi"],
        cwd=ROOT, env=env, start_new_session=True, stdout=log, stderr=log,
    )  # fmt: skip
    survey = Survey(port, env)
    try:
        deadline = time.monotonic() + 60
        while survey.request("GET", "/healthz")[0] != 200:
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.3)
        survey.requests, survey.failures, survey.statuses = 0, [], {}
        survey.group = "start"
        survey.seconds = {}
        run_cases(survey, manage, tmp)
        survey.group = "done"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()

    # Server errors as the log has them: Django's 500 records, and gunicorn's own (a crashed or timed-out worker).
    # Refused requests (400s for NUL bytes and the like) are logged as security warnings and are not counted.
    lines = (tmp / "gunicorn.log").read_text().splitlines()
    tracebacks = sum(
        1
        for line in lines
        if ('"logger": "django.request"' in line and '"level": "ERROR"' in line and '"status_code": 503' not in line)
        or "[CRITICAL]" in line
        or "WORKER TIMEOUT" in line
        or line.startswith("Traceback")
    )
    where = ("PostgreSQL" if options.postgres else "SQLite") + (f", Redis {options.redis}" if options.redis else "")
    print(f"survey ({where}): {survey.requests} requests, {len(survey.failures)} answered 5xx, "
          f"{tracebacks} server error(s) in the log, {time.monotonic() - started:.0f} s")  # fmt: skip
    for group, statuses in survey.statuses.items():
        counts = ", ".join(f"{status}×{count}" for status, count in sorted(statuses.items()))
        print(f"  {group}: {counts} ({survey.seconds.get(group, 0):.1f} s)")
    for status, method, label in survey.failures[:50]:
        print(f"  {status} {method} {label}")
    if survey.failures or tracebacks:
        print(f"server log: {tmp / 'gunicorn.log'}")
        sys.exit(1)


def run_cases(survey, manage, tmp):
    # Addresses and query strings, as a reader.
    survey.group = "reader addresses, queries, headers, methods"
    for prefix in PREFIXES:
        for segment in SEGMENTS:
            survey.request("GET", prefix.format(quote(segment, safe="%/<>'\"~.")))
    for page in PAGES:
        for query in QUERIES:
            survey.request("GET", page + "?" + urlencode(query))
        survey.request("GET", page + "?page=1&page=2&" + "&".join(f"p{n}=1" for n in range(1500)))
        survey.request("GET", page + "?%zz=%zz&&&=&%00")
        for headers in HEADERS:
            survey.request("GET", page, headers=headers)
        for method in ("POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND", "HEAD"):
            survey.request(method, page, body=b"x=1", headers={"Content-Type": "application/x-www-form-urlencoded"})
    # Forms in other charsets, with and without a CSRF cookie.
    survey.group = "forms in other charsets"
    for path in ("/nope/", "/", "/admin/login/", "/search/", "/articles/x/", "/admin/articles/article/add/"):
        for charset in CHARSETS:
            for cookie in ("", "csrftoken=abcdefghijklmnopqrstuvwxyz012345"):
                content_type = "application/x-www-form-urlencoded" + (f"; charset={charset}" if charset else "")
                survey.request("POST", path, body=b"a=\xe9\xff&csrfmiddlewaretoken=x",
                               headers={"Content-Type": content_type, "Cookie": cookie or "x=y"})  # fmt: skip
        survey.request("POST", path, body=b"--x\r\nbroken", headers={"Content-Type": "multipart/form-data; boundary=x"})
        survey.request("POST", path, body=b"{", headers={"Content-Type": "application/json"})

    # The admin, signed in: hostile uploads, bodies and stale or broken forms.
    survey.group = "admin: sign-in"
    survey.login("chief")
    survey.group = "admin: uploads, bodies, broken forms"
    survey.request("GET", "/admin/articles/article/?o=99&q=%00&state=nope&p=-1&all=")
    status, page = survey.request("GET", "/admin/articles/article/")
    change = re.search(rb'href="(/admin/articles/article/\d+/change/)', page).group(1).decode()
    for name, data in hostile_images().items():
        token, page = survey.form_token(change)
        survey.multipart(change, article_form(page, token), {"lead_image_upload": (name, data)})
    for body in HOSTILE_BODIES:
        token, page = survey.form_token(change)
        fields = article_form(page, token) | {"body": body}
        survey.multipart(change, fields, {})
        token, _ = survey.form_token("/admin/articles/article/add/")
        survey.request("POST", "/admin/articles/article/preview-markdown/",
                       body=urlencode({"csrfmiddlewaretoken": token, "body": body, "title": body[:50]}).encode(),
                       headers={"Content-Type": "application/x-www-form-urlencoded",
                                "Referer": f"http://127.0.0.1:{survey.port}/admin/"})  # fmt: skip
    token, page = survey.form_token(change)
    for broken in ({"version": ""}, {"version": "-1"}, {"version": "x" * 50}, {"slug": "%00"}, {"slug": "a" * 500},
                   {"published_at_0": "2026-13-45", "published_at_1": "99:99"}, {"tags": '"' * 50},
                   {"bylines-TOTAL_FORMS": "999999"}, {"bylines-TOTAL_FORMS": "x"}, {"_transition": "nope"},
                   {"_transition": "withdraw"}):  # fmt: skip
        survey.multipart(change, article_form(page, token) | broken, {})
    author_add = "/admin/articles/author/add/"
    for name, data in list(hostile_images().items())[:6]:
        token, page = survey.form_token(author_add)
        survey.multipart(author_add, {"csrfmiddlewaretoken": token, "name": f"Person {name}", "slug": "",
                                      "bio": "<script>x</script>"}, {"photo_upload": (name, data)})  # fmt: skip
    # The media library: hostile files several at a time, through the editor's picker, and broken focal points.
    upload = "/admin/articles/image/upload/"
    hostile = list(hostile_images().items())
    for start in range(0, len(hostile), 4):
        token, _ = survey.form_token(upload)
        survey.multipart(upload, {"csrfmiddlewaretoken": token, "rights_expire_on": "2026-02-31"},
                         [("files", item) for item in hostile[start : start + 4]])  # fmt: skip
    for name, data in hostile[:6]:
        token, _ = survey.form_token("/admin/articles/article/add/")
        survey.multipart("/admin/articles/image/picker/upload/", {"csrfmiddlewaretoken": token}, {"file": (name, data)})
    survey.request("GET", "/admin/articles/image/picker/search/?q=%00" + "x" * 500)
    survey.request("GET", "/admin/articles/image/?alt=x&rights=%00&use=nope&o=99")
    status, page = survey.request("GET", "/admin/articles/image/")
    found = re.search(rb'href="(/admin/articles/image/\d+/change/)', page)
    if found:
        image_change = found.group(1).decode()
        for focal, version in (("-1", None), ("x", None), ("1e309", None), ("nan", None), ("", None), ("0.5", "-1"),
                               ("0.5", str(2**31)), ("0.5", str(2**70)), ("0.5", "x"), ("0.5", "")):  # fmt: skip
            token, page = survey.form_token(image_change)
            fields = article_form(page, token) | {"alt": "\x00<b>", "focal_x": focal, "rights_expire_on": "9999-99-99"}
            survey.multipart(image_change, fields | ({} if version is None else {"version": version}), {})
    # The site settings once a logo is stored: saved again unchanged, and with each kind of picture, good or hostile.
    settings_change = "/admin/articles/sitesettings/1/change/"
    good = hostile_images()["gif.gif"]
    for files in ({"logo": ("logo.gif", good)}, {}, {"social_image": ("social.gif", good)},
                  {"publisher_logo": ("publisher.gif", good)}, *({"social_image": item} for item in hostile[:6]),
                  *({"logo": item} for item in hostile[6:])):  # fmt: skip
        token, page = survey.form_token(settings_change)
        survey.multipart(settings_change, article_form(page, token), files)
    for path in ("/admin/articles/article/999999/change/", "/admin/articles/article/x/change/",
                 "/admin/articles/article/1/revisions/?from=x&to=%00",
                 "/admin/articles/article/1/revisions/999/restore/",
                 "/preview/999999/", "/admin/auth/user/autocomplete/?term=%00&app_label=x&model_name=y&field_name=z",
                 "/admin/jsi18n/", "/admin/articles/article/?tag=%00&bylines__author__id__exact=x"):  # fmt: skip
        survey.request("GET", path)

    # Every admin form and the editor's JSON endpoints: numbers out of range, line breaks in one-line fields.
    survey_forms.walk_admin(survey, change)

    # Live coverage: its reader surfaces and the desk's endpoints.
    survey_live.walk_live(survey, manage)
    survey_newsletters.walk_newsletters(survey, manage)
    survey_api.walk_api(survey, manage)

    # What readers now get from all that: every article linked from the first pages, and the feeds.
    survey.group = "reader pages after the hostile edits"
    survey.cookies = {}
    links = set()
    for path in ("/", "/?page=2", "/archive/", "/tags/"):
        links |= set(re.findall(rb'href="(/(?:articles|tags|authors)/[^"]+)"', survey.request("GET", path)[1]))
    for link in sorted(links):
        survey.request("GET", link.decode())
    for path in ("/feed/rss/", "/feed/atom/", "/feed/json/", "/sitemap-articles.xml", "/search/?q=x"):
        survey.request("GET", path)

    # Markdown files through import_markdown: each reported, none a crash.
    survey.group = "files"
    folder = tmp / "hostile"
    folder.mkdir()
    for name, content in HOSTILE_FILES.items():
        (folder / name).write_bytes(content if isinstance(content, bytes) else content.encode())
    result = manage("import_markdown", str(folder), check=False)
    survey.requests += len(HOSTILE_FILES)
    if "Traceback" in result.stderr or result.returncode not in (0, 1):
        survey.failures.append((500, "import_markdown", result.stderr[-500:]))
    result = manage("export_markdown", str(tmp / "export"), check=False)
    if result.returncode != 0:
        survey.failures.append((500, "export_markdown", result.stderr[-500:]))
    result = manage("backup", str(tmp / "backups"), check=False)
    if result.returncode != 0:
        survey.failures.append((500, "backup", result.stderr[-500:]))


if __name__ == "__main__":
    main()
