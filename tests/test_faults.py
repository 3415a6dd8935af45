"""Faults with the real services: a Redis server this test starts, stops and starts again, and PostgreSQL
connections terminated by the server in the middle of a read and of a save.

The site degrades and recovers: pages keep serving and edits keep saving while Redis is down, no page cached
before the outage comes back, and a cut database connection answers a clear 503 with nothing half-written.
"""

import logging
import time

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from articles.models import Article
from articles.tests.factories import form_data, make_article, make_author


@pytest.mark.django_db
def test_redis_down_degrades_and_recovers(redis_cache, editor, caplog, settings):
    article = make_article(title="Harbour reopens", authors=[make_author("Ann Reporter")])
    reader, desk = Client(), Client()
    desk.force_login(editor)
    assert reader.get("/")["X-Cache"] == "miss"
    assert reader.get("/")["X-Cache"] == "hit"

    redis_cache.stop()
    caplog.set_level(logging.WARNING, logger="newsroom.cache")
    for _ in range(3):
        response = reader.get("/")
        assert response.status_code == 200 and b"Harbour reopens" in response.content
        assert response.get("X-Cache") != "hit"
        time.sleep(0.35)  # past the retry interval: every request asks Redis again and fails again

    change = reverse("admin:articles_article_change", args=[article.pk])
    saved = desk.post(change, form_data(Article.objects.get(pk=article.pk), title="Harbour closes"))
    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert Article.objects.get(pk=article.pk).title == "Harbour closes"
    assert b"Harbour closes" in reader.get("/").content
    assert b"Harbour closes" in reader.get(article.get_absolute_url()).content
    outage_reports = [r for r in caplog.records if r.getMessage().startswith("cache unavailable")]
    assert len(outage_reports) == 1  # once a minute, not once a request

    redis_cache.start()  # the same data comes back, the page cached before the outage with it
    assert redis_cache.keys("*newsroom:page:*"), "the old page should still be in Redis"
    time.sleep(0.35)
    response = reader.get("/")
    assert b"Harbour closes" in response.content and b"Harbour reopens" not in response.content
    assert reader.get("/")["X-Cache"] == "hit"  # caching works again
    assert any(r.getMessage() == "cache answers again" for r in caplog.records)
    assert Client().get("/readyz").json()["cache"] == "ok"


@pytest.mark.django_db
def test_readyz_reports_a_degraded_cache_and_stays_ready(redis_cache):
    redis_cache.stop()
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"ready": True, "database": "ok", "cache": "degraded: not answering"}


@pytest.mark.django_db
def test_previews_are_counted_in_redis_and_still_render_while_it_is_down(redis_cache, writer, settings, time_machine):
    """The per-user limit lives in Redis; with Redis down the preview is not refused (the limit protects
    capacity, and refusing every writer while the cache restarts would protect nothing)."""
    settings.NEWSROOM_PREVIEW_LIMIT, settings.NEWSROOM_PREVIEW_PERIOD_SECONDS = 2, 60
    time_machine.move_to("2026-11-30 12:00:05")  # well inside one counting window
    desk = Client()
    desk.force_login(writer)
    url = reverse("admin:articles_article_preview_markdown")
    statuses = [desk.post(url, {"body": "*x*"}).status_code for _ in range(3)]
    assert statuses == [200, 200, 429] and redis_cache.keys("*throttle:preview*")
    redis_cache.stop()
    response = desk.post(url, {"body": "Still *works*."})
    assert response.status_code == 200 and "<em>works</em>" in response.json()["html"]


@pytest.mark.django_db
def test_presence_lives_in_redis_and_the_desk_works_while_it_is_down(redis_cache, editor, writer):
    """Heartbeats are kept in Redis, where every server sees them; with Redis stopped nobody is shown as editing,
    and the heartbeat, the autosave, the desk and the article list all still answer."""
    from articles.models import Autosave

    article = make_article(title="Harbour reopens", status=Article.Status.DRAFT, published_at=None)
    ana, bea = Client(), Client()
    ana.force_login(editor)
    bea.force_login(writer)
    writer.groups.clear()
    writer.groups.add(*editor.groups.all())  # a second editor
    beat = reverse("admin:articles_article_presence", args=[article.pk])
    assert ana.post(beat).json()["you_hold"]
    assert bea.post(beat).json()["holder"]["id"] == editor.pk
    assert redis_cache.keys("*newsroom:presence:*")

    redis_cache.stop()
    state = bea.post(beat).json()
    assert state["others"] == [] and state["taken_over"] is None
    saved = ana.post(reverse("admin:articles_article_autosave", args=[article.pk]),
                     {"title": "Harbour reopens", "dek": "", "body": "Typed while Redis was down."})  # fmt: skip
    assert saved.status_code == 200 and Autosave.objects.get(user=editor).body == "Typed while Redis was down."
    assert ana.get(reverse("admin:index")).status_code == 200
    assert ana.get(reverse("admin:articles_article_changelist")).status_code == 200


# PostgreSQL connections cut by the server


def _terminate_on(marker):
    """An execute wrapper that has PostgreSQL terminate this connection just before the first query
    containing ``marker`` runs: the query then fails as it would when a server restarts or a proxy cuts it."""
    import psycopg

    fired = []

    def wrapper(execute, sql, params, many, context):
        if not fired and marker in sql:
            fired.append(sql)
            pid = context["connection"].connection.info.backend_pid
            settings = context["connection"].settings_dict
            with psycopg.connect(
                host=settings["HOST"] or None,
                port=settings["PORT"] or None,
                user=settings["USER"] or None,
                dbname=settings["NAME"],
                autocommit=True,
            ) as other:
                other.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])
        return execute(sql, params, many, context)

    return wrapper, fired


@pytest.fixture
def postgresql():
    yield
    connection.close()  # the next test gets a fresh connection


needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="terminating a connection needs PostgreSQL (DATABASE_URL=postgres://…)"
)


def _reconnect():
    # In production Django closes a broken connection when the request ends (close_old_connections); the test
    # client leaves that signal off, so the test does it.
    connection.close()


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_connection_cut_during_a_read_is_a_503(postgresql):
    article = make_article(title="Harbour reopens")
    client = Client(raise_request_exception=False)
    wrapper, fired = _terminate_on('FROM "articles_article"')
    with connection.execute_wrapper(wrapper):
        response = client.get(article.get_absolute_url())
    assert fired
    assert response.status_code == 503
    assert response["Retry-After"] == "5" and response["Cache-Control"] == "no-store"
    assert b"try again in a few seconds" in response.content
    _reconnect()
    assert client.get(article.get_absolute_url()).status_code == 200


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_connection_cut_during_a_save_writes_nothing(postgresql, django_user_model):
    editor = django_user_model.objects.create_superuser("chief", password="pw-not-used")
    article = make_article(title="Harbour reopens", body="Original body.", authors=[make_author()])
    before = Article.objects.get(pk=article.pk)
    revisions = before.history.count()
    desk = Client(raise_request_exception=False)
    desk.force_login(editor)
    change = reverse("admin:articles_article_change", args=[article.pk])
    wrapper, fired = _terminate_on('INSERT INTO "articles_historicalarticle"')  # after the UPDATE of the row
    with connection.execute_wrapper(wrapper):
        response = desk.post(change, form_data(before, title="Harbour closes", body="Half-written?"))
    assert fired
    assert response.status_code == 503 and response["Retry-After"] == "5"
    _reconnect()
    after = Article.objects.get(pk=article.pk)
    assert (after.title, after.body, after.version) == ("Harbour reopens", "Original body.", before.version)
    assert after.history.count() == revisions
    # The editor's retry goes through.
    response = desk.post(change, form_data(after, title="Harbour closes"))
    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).title == "Harbour closes"


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_readyz_is_503_when_the_database_connection_is_cut(postgresql):
    wrapper, fired = _terminate_on("SELECT 1")
    with connection.execute_wrapper(wrapper):
        response = Client().get("/readyz")
    assert fired
    assert response.status_code == 503
    assert response.json()["ready"] is False and response.json()["database"] == "error: OperationalError"
    _reconnect()
    assert Client().get("/readyz").status_code == 200


@pytest.mark.django_db
def test_while_redis_is_down_the_sites_settings_are_read_once_per_page_not_once_per_use(
    redis_cache, django_assert_max_num_queries
):
    """With no generation to tell of edits, what every page reads (settings, sections, banner) is kept a few
    seconds; a feed of fifty new entries, each naming the site, must not read the settings fifty times."""
    author = make_author("Ann Reporter")
    for n in range(50):
        make_article(title=f"Tide report {n}", authors=[author])
    redis_cache.stop()
    reader = Client()
    reader.get("/tags/")  # this process reads the settings once, Redis or not
    with django_assert_max_num_queries(8):
        assert reader.get("/feed/rss/").status_code == 200
    with django_assert_max_num_queries(8):
        assert reader.get("/").status_code == 200
