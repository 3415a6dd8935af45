"""Migration 0022 records the event log's baseline: the articles readers could see before the log began are told
published already, so that neither their next save nor the events' sweep announces a new publication."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from articles import events
from articles.models import Article, ArticleEvent
from articles.tests.factories import make_article, make_author

BEFORE = [("articles", "0021_article_events")]
AFTER = [("articles", "0022_article_events_baseline")]
Kind = ArticleEvent.Kind


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def kinds(article_id):
    return list(ArticleEvent.objects.filter(article_id=article_id).order_by("seq").values_list("kind", flat=True))


@pytest.mark.django_db(transaction=True)
def test_articles_public_before_the_log_are_told_already_and_their_next_save_is_an_update():
    migrate(BEFORE)
    public = make_article(title="Harbour vote", authors=[make_author(name="Ann Baseline")], tags=["harbour"])
    scheduled = make_article(published_at=timezone.now() + timedelta(hours=1))
    draft = make_article(status=Article.Status.DRAFT)
    ArticleEvent.objects.all().delete()  # as the articles were before the log began
    migrate(AFTER)
    baseline = ArticleEvent.objects.get()
    assert (baseline.article_id, baseline.kind) == (public.pk, Kind.PUBLISHED)
    assert baseline.data["url"].endswith(public.get_absolute_url())
    assert (baseline.data["tags"], baseline.data["authors"]) == (["harbour"], ["ann-baseline"])
    migrate(latest())
    assert events.sweep() == []
    public.title = "Harbour vote passes"
    public.save()
    assert kinds(public.pk) == [Kind.PUBLISHED, Kind.UPDATED]
    assert kinds(scheduled.pk) == kinds(draft.pk) == []
