import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from articles.models import Article
from articles.tests.factories import make_article, make_author
from articles.workflow import transitions

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "s" * 20 + "production-like-secret-key-0123456789",
              "DJANGO_ALLOWED_HOSTS": "news.example.org"}  # fmt: skip


def manage_with(env, *args):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "NEWSROOM_"))}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env},
                          capture_output=True, text=True, timeout=120)  # fmt: skip


def test_check_deploy_is_clean_with_production_settings():
    """`check --deploy` with DEBUG off: no warning at all."""
    result = manage_with(PRODUCTION, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_each_protection_can_be_switched_off_from_the_environment():
    """Plain HTTP on loopback for a load test: no redirect and no HSTS, and check --deploy says so."""
    env = PRODUCTION | {"DJANGO_SECURE_SSL_REDIRECT": "0", "DJANGO_SECURE_HSTS_SECONDS": "0"}
    result = manage_with(env, "check", "--deploy")
    assert "security.W008" in result.stderr and "security.W004" in result.stderr


@pytest.fixture
def production_headers(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000


@pytest.mark.django_db
def test_http_is_redirected_to_https_except_health_checks(client, production_headers):
    response = client.get("/")
    assert response.status_code == 301 and response["Location"] == "https://testserver/"
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/admin/login/"])
def test_security_headers(client, production_headers, path):
    response = client.get(path, secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    assert policy["script-src"] == "'self'" and "unsafe-inline" not in policy["script-src"]
    assert policy["default-src"] == "'self'" and policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"


@pytest.mark.django_db
def test_reader_pages_have_no_inline_script(client):
    """Every <script> on reader pages is a file of the site or a JSON-LD data block; no on* handlers."""
    article = make_article(title="Script check", authors=[make_author("Sam Script")], tags=["Checks"],
                           body='Text <b onclick="alert(1)">bold</b>\n\n<script>alert(2)</script>')  # fmt: skip
    for url in ["/", article.get_absolute_url(), "/tags/checks/", "/search/?q=script", "/archive/"]:
        page = client.get(url).content.decode()
        for tag in re.findall(r"<script\b[^>]*>", page):
            assert " src=" in tag or 'type="application/ld+json"' in tag, (url, tag)
        assert not re.search(r"<[^>]+\son[a-z]+=", page), url


@pytest.mark.django_db
def test_cached_pages_keep_the_security_headers(client, production_headers):
    make_article(title="Cached headline")
    client.get("/", secure=True)
    response = client.get("/", secure=True)
    assert response["X-Cache"] == "hit"
    assert "Content-Security-Policy" in response and response["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" in response


@pytest.mark.django_db
class TestLoginProtection:
    def login(self, client, username, password, ip="192.0.2.10"):
        return client.post(reverse("admin:login"), {"username": username, "password": password, "next": "/admin/"},
                           REMOTE_ADDR=ip)  # fmt: skip

    def test_the_login_page_says_how_it_is_protected(self, client):
        assert "repeated failed sign-ins" in client.get(reverse("admin:login")).content.decode()

    def test_five_failures_lock_the_user_out_even_with_the_right_password(self, client, editor):
        editor.set_password("Right-horse-battery-42")
        editor.save()
        for _ in range(4):
            assert self.login(client, "eddie", "wrong").status_code == 200
        locked = self.login(client, "eddie", "wrong")
        assert locked.status_code == 429 and "Sign-in is locked" in locked.content.decode()
        again = self.login(client, "eddie", "Right-horse-battery-42")
        assert again.status_code == 429
        assert "_auth_user_id" not in client.session
        # Only that account from that address: a stranger's guesses cannot lock the editor out elsewhere,
        # and colleagues behind the same address can still sign in.
        assert self.login(client, "someone-else", "whatever").status_code == 200
        assert self.login(client, "eddie", "Right-horse-battery-42", ip="198.51.100.7").status_code == 302

    def test_many_failures_from_one_address_lock_that_address(self, client, settings):
        settings.NEWSROOM_LOGIN_ADDRESS_FAILURE_LIMIT = 12
        for n in range(11):
            assert self.login(client, f"user{n}", "wrong").status_code == 200
        locked = self.login(client, "user-12", "wrong")
        assert locked.status_code == 429 and "Sign-in is locked" in locked.content.decode()
        assert self.login(client, "user-14", "wrong", ip="198.51.100.7").status_code == 200

    def test_a_successful_login_before_the_limit_clears_the_count(self, client, editor):
        editor.set_password("Right-horse-battery-42")
        editor.save()
        for _ in range(3):
            self.login(client, "eddie", "wrong")
        assert self.login(client, "eddie", "Right-horse-battery-42").status_code == 302
        client.logout()
        for _ in range(3):
            assert self.login(client, "eddie", "wrong").status_code == 200

    def test_behind_a_proxy_the_clients_address_is_counted(self, client, editor, settings):
        """Two clients behind one load balancer: one's failures do not lock the other out."""
        settings.NEWSROOM_TRUSTED_PROXIES = 1
        proxy = "10.0.0.2"
        for _ in range(5):
            client.post(reverse("admin:login"), {"username": "eddie", "password": "wrong"}, REMOTE_ADDR=proxy,
                        HTTP_X_FORWARDED_FOR="forged-by-client, 203.0.113.5")  # fmt: skip
        blocked = client.post(reverse("admin:login"), {"username": "eddie", "password": "x"}, REMOTE_ADDR=proxy,
                              HTTP_X_FORWARDED_FOR="203.0.113.5")  # fmt: skip
        assert blocked.status_code == 429
        other = client.post(reverse("admin:login"), {"username": "eddie", "password": "x"}, REMOTE_ADDR=proxy,
                            HTTP_X_FORWARDED_FOR="198.51.100.9")  # fmt: skip
        assert other.status_code == 200

    def test_staff_passwords_go_through_the_validators(self, admin_client):
        response = admin_client.post(
            reverse("admin:auth_user_add"),
            {"username": "newwriter", "password1": "12345678", "password2": "12345678", "usable_password": "true"},
        )
        page = response.content.decode()
        assert "This password is too common." in page and "entirely numeric" in page


@pytest.mark.django_db
def test_workflow_events_are_logged_as_json(writer, editor, caplog, settings):
    """Who published what, as one JSON object a line with the production formatter."""
    from pythonjsonlogger.json import JsonFormatter

    config = settings.LOGGING["formatters"]["json"]
    formatter = JsonFormatter(config["fmt"], rename_fields=config["rename_fields"])
    article = make_article(title="Logged story", status=Article.Status.DRAFT, published_at=None, created_by=writer)
    article.bylines.create(author=make_author())
    with caplog.at_level(logging.INFO, logger="newsroom.workflow"):
        transitions.apply(article, "publish", editor)
    line = formatter.format(next(r for r in caplog.records if r.name == "newsroom.workflow"))
    record = json.loads(line)
    assert record["logger"] == "newsroom.workflow" and record["action"] == "publish"
    assert record["user"] == editor.pk and record["article"] == article.pk and record["level"] == "INFO"


@pytest.mark.django_db
def test_requests_are_logged_with_status_and_duration(client, caplog, settings):
    logging.getLogger("newsroom.request").setLevel(logging.INFO)
    try:
        with caplog.at_level(logging.INFO, logger="newsroom.request"):
            client.get("/no-such-page/")
    finally:
        logging.getLogger("newsroom.request").setLevel(logging.WARNING)
    record = next(r for r in caplog.records if r.name == "newsroom.request")
    assert record.status == 404 and record.path == "/no-such-page/" and record.duration_ms >= 0


def test_error_logs_are_one_json_line_with_the_request_named(settings, rf):
    """A 500's log record carries the request object; the line names it and stays valid JSON."""
    from pythonjsonlogger.json import JsonFormatter

    from newsroom.logs import DropUnserialisable

    config = settings.LOGGING["formatters"]["json"]
    formatter = JsonFormatter(config["fmt"], rename_fields=config["rename_fields"])
    try:
        1 / 0  # noqa: B018 - an error to log
    except ZeroDivisionError:
        import sys

        record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Internal Server Error: %s", ("/x",),
                                   sys.exc_info())  # fmt: skip
    record.request, record.status_code = rf.get("/x?page=2"), 500
    assert DropUnserialisable().filter(record)
    line = formatter.format(record)
    assert "\n" not in line
    data = json.loads(line)
    assert data["request"] == "GET /x?page=2" and data["status_code"] == 500
    assert "ZeroDivisionError" in data["exc_info"] and data["level"] == "ERROR"


@pytest.mark.django_db
def test_no_inline_style_anywhere_the_csp_would_block_it(client, editor, writer):
    """The policy allows styles from the site's files only; no page may rely on a style attribute or element."""
    from articles.tests.factories import make_article, make_author

    article = make_article(title="Styled", authors=[make_author("Ann Reporter")], tags=["Harbour"])
    article.title = "Restyled"
    article.save()
    policy = client.get("/")["Content-Security-Policy"]
    assert "style-src 'self'" in policy and "unsafe-inline" not in policy
    pages = {
        None: ["/", article.get_absolute_url(), "/tags/", "/admin/login/"],
        editor: [
            reverse("admin:articles_article_changelist"),
            reverse("admin:articles_article_change", args=[article.pk]),
            reverse("admin:articles_article_revisions", args=[article.pk]),
            reverse("admin:articles_author_changelist"),
            reverse("admin:index"),
        ],
        writer: [reverse("admin:articles_author_changelist"), reverse("admin:articles_article_changelist")],
    }
    for user, urls in pages.items():
        if user:
            client.force_login(user)
        for url in urls:
            page = client.get(url).content.decode()
            assert not re.search(r"<style[\s>]|\sstyle=", page), url
