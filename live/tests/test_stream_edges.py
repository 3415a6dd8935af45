"""The stream's writes at their edges: counters after deletions and moved times, odd values, an article read
before it changed, a stream that changes while its page renders, first posts racing."""

import threading
from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from articles.models import Article
from articles.public import parts
from live import stream
from live.models import Stream, Update
from live.tests.factories import make_live_article

pytestmark = pytest.mark.django_db


# --- counters -------------------------------------------------------------------------------------------------


def test_last_posted_at_forgets_a_deleted_update(editor):
    article = make_live_article()
    earlier = stream.post(article, editor, body="Earlier.", posted_at=timezone.now() - timedelta(minutes=5))
    wrong = stream.post(article, editor, body="Wrong, deleted.")
    stream.delete(wrong, editor, version=1)
    assert Stream.objects.get(pk=article.pk).last_posted_at == earlier.posted_at


def test_last_posted_at_follows_an_edited_time(editor):
    article = make_live_article()
    update = stream.post(article, editor, body="Typed late.")
    backdated = timezone.now() - timedelta(minutes=30)
    stream.edit(update, editor, version=1, posted_at=backdated)
    assert Stream.objects.get(pk=article.pk).last_posted_at == backdated


# --- validation / 500s ----------------------------------------------------------------------------------------


def test_a_naive_time_is_a_validation_error_not_a_type_error(editor):
    article = make_live_article()
    with pytest.raises(ValidationError):
        stream.post(article, editor, body="Naive.", posted_at=datetime(2026, 1, 1, 12, 0))
    update = stream.post(article, editor, body="Fine.")
    with pytest.raises(ValidationError):
        stream.edit(update, editor, version=1, posted_at="2026-01-01T12:00:00Z")


def test_no_headline_is_an_empty_one_and_other_values_are_named(editor):
    update = stream.post(make_live_article(), editor, body="Fine.", headline="Results")
    assert stream.edit(update, editor, version=1, headline=None).headline == ""
    with pytest.raises(ValidationError, match="Must be text"):
        stream.edit(update, editor, version=2, body=42)


def test_a_correction_is_held_to_the_markdown_size_limit(editor):
    update = stream.post(make_live_article(), editor, body="Fine.")
    with pytest.raises(ValidationError):
        stream.edit(update, editor, version=1, correction="x" * 2_000_001)


def test_nul_and_line_breaks_are_normalised_as_everywhere_else(editor):
    """Article text goes through NormalText (no NUL: PostgreSQL refuses it; CharFields on one line); updates do
    not, and a POST body is not screened by RejectNulMiddleware (path and query only)."""
    update = stream.post(make_live_article(), editor, body="Before\x00after.", headline="Two\nlines")
    stored = Update.objects.get(pk=update.pk)
    assert "\x00" not in stored.body and stored.headline == "Two lines"


# --- page cache and edge ----------------------------------------------------------------------------------------


def test_a_post_from_an_article_read_before_a_rename_retires_the_page_at_its_new_address(client, editor):
    article = make_live_article(slug="storm")
    held = Article.objects.get(pk=article.pk)  # e.g. the posting view's copy, read before the rename committed
    article.slug = "storm-night"
    article.save()
    client.get("/articles/storm-night/")
    assert client.get("/articles/storm-night/")["X-Cache"] == "hit"
    stream.post(held, editor, body="Posted at once.")
    assert client.get("/articles/storm-night/")["X-Cache"] == "miss"


@pytest.mark.parametrize("page_cache", [600, 0])
def test_a_page_whose_stream_changed_while_rendering_is_not_kept_by_the_edge(client, editor, settings, page_cache):
    """With the page cache on, ``overtaken`` gives max-age=0; with it off (a supported setting: see
    test_surrogate_control) nothing compares the stream's token, and the edge keeps the old stream a day."""
    settings.NEWSROOM_PAGE_CACHE_SECONDS = page_cache
    settings.NEWSROOM_EDGE_PURGE_URLS = ["http://127.0.0.1:6081/"]
    settings.NEWSROOM_EDGE_SECONDS = 86400
    article = make_live_article()
    once = []

    def concurrent_post(request, shown):  # another writer's post commits while this page renders
        if not once:
            once.append(stream.post(article, editor, body="Committed mid-render."))
        return None

    parts.register_part(concurrent_post)
    try:
        response = client.get(article.get_absolute_url())
    finally:
        parts._PARTS.remove(concurrent_post)
    assert once and response["Surrogate-Control"] == "max-age=0"


# --- concurrency ------------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_first_posts_to_a_new_stream_race_safely(editor):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL")
    article = make_live_article()
    errors, barrier = [], threading.Barrier(6)

    def post(n):
        try:
            barrier.wait()
            stream.post(article, editor, body=f"Post {n}.")
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(Update.objects.values_list("seq", flat=True)) == [1, 2, 3, 4, 5, 6]


def test_an_edit_that_changes_nothing_after_stripping_is_not_an_edit(editor):
    update = stream.post(make_live_article(), editor, body="Fine.", headline="Results")
    again = stream.edit(update, editor, version=1, headline="Results ")
    assert again.version == 1 and again.edited_at is None


def test_a_post_from_an_article_read_before_moderation_was_turned_on_waits_for_approval(writer):
    article = make_live_article(authors=[writer.author])
    held = Article.objects.get(pk=article.pk)  # the posting view's copy
    article.live_moderated = True
    article.save()
    update = stream.post(held, writer, body="Unreviewed.")
    assert update.status == Update.Status.PENDING


@pytest.mark.parametrize("when", ["0001-01-01T00:00:00+14:00", "1899-12-31T23:00:00+00:00"])
def test_a_time_before_any_live_page_is_refused_by_name(editor, when):
    article = make_live_article()
    with pytest.raises(ValidationError, match="cannot be before 1990"):
        stream.post(article, editor, body="Typed wrong.", posted_at=datetime.fromisoformat(when))
    update = stream.post(article, editor, body="Fine.")
    with pytest.raises(ValidationError, match="cannot be before 1990"):
        stream.edit(update, editor, version=1, posted_at=datetime.fromisoformat(when))
    assert not Update.objects.filter(posted_at__year__lt=1990).exists()
