"""Migration 0022 records the event log's baseline: the articles readers could see before the log began are told
published already, so that neither their next save nor the events' sweep announces a new publication."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from articles import events
from articles.models import Article, ArticleEvent
from articles.tests.factories import make_article, make_author

Kind = ArticleEvent.Kind
BASELINE = importlib.import_module("articles.migrations.0022_article_events_baseline")


def record_baseline():
    """Migration 0022's step, run on today's schema: the tables it reads have since gained columns, which the
    articles made here need."""
    with connection.schema_editor() as editor:
        BASELINE.record_baseline(apps, editor)


def kinds(article_id):
    return list(ArticleEvent.objects.filter(article_id=article_id).order_by("seq").values_list("kind", flat=True))


@pytest.mark.django_db(transaction=True)
def test_articles_public_before_the_log_are_told_already_and_their_next_save_is_an_update():
    public = make_article(title="Harbour vote", authors=[make_author(name="Ann Baseline")], tags=["harbour"])
    scheduled = make_article(published_at=timezone.now() + timedelta(hours=1))
    draft = make_article(status=Article.Status.DRAFT)
    ArticleEvent.objects.all().delete()  # as the articles were before the log began
    record_baseline()
    baseline = ArticleEvent.objects.get()
    assert (baseline.article_id, baseline.kind) == (public.pk, Kind.PUBLISHED)
    assert baseline.data["url"].endswith(public.get_absolute_url())
    assert (baseline.data["tags"], baseline.data["authors"]) == (["harbour"], ["ann-baseline"])
    assert events.sweep() == []
    public.title = "Harbour vote passes"
    public.save()
    assert kinds(public.pk) == [Kind.PUBLISHED, Kind.UPDATED]
    assert kinds(scheduled.pk) == kinds(draft.pk) == []
