"""A correction dates its article and is logged however it is added: the admin, a command or the ORM."""

import io
import logging
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article, Correction
from articles.tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db


def corrections_logged(caplog):
    return [r for r in caplog.records if r.name == "newsroom.workflow" and getattr(r, "action", "") == "correct"]


def test_a_correction_made_through_the_orm_dates_the_article_logs_and_retires_pages(client, editor, caplog):
    """Outside the admin, a correction still moves the article's updated time, is logged and reaches readers."""
    article = make_article(title="Harbour vote story")
    before = client.get(article.get_absolute_url()).content.decode()  # now cached
    assert "Fixed-zq" not in before and " · Updated <time" not in before
    caplog.set_level(logging.INFO, logger="newsroom.workflow")
    correction = Correction.objects.create(article=article, text="The vote is on Thursday. Fixed-zq", created_by=editor)
    assert Article.objects.get(pk=article.pk).updated_at == correction.created_at
    [record] = corrections_logged(caplog)
    assert (record.article, record.user, record.correction) == (article.pk, editor.pk, correction.pk)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Fixed-zq" in page and " · Updated <time" in page


def test_the_demo_desk_correction_dates_its_article(settings, tmp_path, caplog):
    """`manage.py demo_desk` adds its correction the domain's way: the corrected article says it was updated."""
    settings.DEBUG, settings.VAR_DIR = True, tmp_path
    make_author("Demo Author")
    corrected = make_article(title="Council vote story")
    call_command("demo_editor", stdout=io.StringIO())
    caplog.set_level(logging.INFO, logger="newsroom.workflow")
    call_command("demo_desk", stdout=io.StringIO())
    correction = Correction.objects.get(article=corrected)
    assert Article.objects.get(pk=corrected.pk).updated_at == correction.created_at
    assert [record.correction for record in corrections_logged(caplog)] == [correction.pk]


def test_an_older_correction_never_moves_the_update_back():
    """A correction dated before the article's last update leaves that update as it is."""
    updated = timezone.now()
    article = make_article(updated_at=updated)
    Correction.objects.create(article=article, text="Old fix.", created_at=updated - timedelta(days=2))
    assert Article.objects.get(pk=article.pk).updated_at == updated


def test_the_copy_in_hand_can_still_be_saved(editor):
    """Whoever holds the article when adding a correction can save it afterwards without a stale refusal."""
    article = make_article()
    Correction.objects.create(article=article, text="A fix.", created_by=editor)
    article.title = "Retitled after the fix"
    article.save()
    stored = Article.objects.get(pk=article.pk)
    assert stored.title == "Retitled after the fix" and stored.updated_at is not None
