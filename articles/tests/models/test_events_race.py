"""Changes to one article committed at the same moment by separate connections (PostgreSQL): however their
events interleave, the article's last event tells what readers see of it now."""

import threading

import pytest
from django.db import connection

from articles import events
from articles.models import Article, ArticleEvent, Correction
from articles.models.articles import StaleArticleError
from articles.tests.factories import make_article

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="races need separate connections")


def together(*steps):
    """Run ``steps`` at once, each in its own thread (its own connection); raise what any raised."""
    start, errors = threading.Barrier(len(steps)), []

    def run(step):
        try:
            start.wait()
            step()
        except Exception as error:  # noqa: BLE001 - handed to the test below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(step,)) for step in steps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(10))
def test_an_edit_a_correction_and_a_tag_at_once_leave_the_log_telling_the_article_as_it_is(attempt):
    article = make_article(title=f"Race {attempt}")

    def edit():  # as an editor would: reopened and saved again when the correction dated the article first
        for _ in range(3):
            row = Article.objects.get(pk=article.pk)
            row.title = f"Race {attempt}, edited"
            try:
                return row.save()
            except StaleArticleError:
                continue

    together(
        edit,
        lambda: Correction.objects.create(article_id=article.pk, text="The quay is the north one."),
        lambda: Article.objects.get(pk=article.pk).tags.add("quays"),
        events.sweep,
    )
    last = ArticleEvent.objects.latest_of(article.pk)
    assert last.data["digest"] == events.snapshot(Article.objects.get(pk=article.pk))["digest"]
    assert last.data["tags"] == ["quays"] and last.data["title"].endswith("edited")
