import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from articles.models import Article
from live.models import Stream, Update

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path):
    settings.DEBUG, settings.VAR_DIR = True, tmp_path
    call_command("import_markdown", "demo/content", stdout=io.StringIO())
    call_command("demo_editor", stdout=io.StringIO())


def test_the_demo_has_a_live_page_in_progress_with_a_dozen_updates(demo, client):
    out = io.StringIO()
    call_command("demo_live", stdout=out)
    article = Article.objects.published().get(source_key="demo:live")
    now = timezone.now()
    assert article.coverage_running(now) and timedelta(minutes=59) < now - article.live_from <= timedelta(minutes=61)
    updates = list(Update.objects.shown().filter(article=article).in_stream_order())
    assert len(updates) == 12 and sum(u.key_event for u in updates) == 2 and [u.pinned for u in updates[:2]] == [1, 0]
    assert all(article.live_from < u.posted_at <= now for u in updates)
    credited = {author.name for update in updates for author in update.authors.all()}
    assert credited == {"Ana Ruiz", "Jonas Weber", "Lena Hoffmann"}
    assert credited <= {byline.author.name for byline in article.bylines.all()}
    counters = Stream.objects.get(pk=article.pk)
    assert (counters.seq, counters.shown_count, counters.key_count) == (12, 12, 2)
    assert all(u.revisions.count() == 1 and u.body_html.startswith("<") for u in updates)
    assert client.get(article.get_absolute_url()).status_code == 200

    again = io.StringIO()
    call_command("demo_live", stdout=again)
    assert "already there" in again.getvalue()
    assert Update.objects.count() == 12 and Article.objects.filter(slug=article.slug).count() == 1


def test_the_live_demo_needs_the_demo_editor_and_debug(settings, tmp_path):
    settings.DEBUG, settings.VAR_DIR = True, tmp_path
    with pytest.raises(CommandError, match="demo_editor first"):
        call_command("demo_live", stdout=io.StringIO())
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG"):
        call_command("demo_live", stdout=io.StringIO())
    assert not Update.objects.exists()
