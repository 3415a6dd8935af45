"""Live pages' updates as webhooks: one ``live.update.published`` when readers can first see an update, one
``live.update.updated`` an edit of its text, one ``live.update.deleted``; nothing for updates readers cannot see
(awaiting approval, or on a live page that is not public)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, Author
from live import stream
from live.tests.factories import make_live_article
from webhooks.models import Delivery

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_jobs")]


def test_an_update_posted_edited_pinned_and_deleted_is_told_once_each(
    editor, endpoint, receiver, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    with capture(execute=True):
        article = make_live_article(title="Election night")
    with capture(execute=True):
        update = stream.post(article, editor, body="Polls close.", headline="Polls close-marker")
    with capture(execute=True):
        update = stream.edit(update, editor, version=update.version, body="Polls have closed.")
    with capture(execute=True):
        update = stream.edit(update, editor, version=update.version, pinned=True)  # readers see no new text
    with capture(execute=True):
        stream.delete(update, editor, version=update.version)
    live_types = [kind for kind in receiver.types() if kind.startswith("live.")]
    assert live_types == ["live.update.published", "live.update.updated", "live.update.deleted"]
    published, updated, deleted = receiver.verified()[1:]
    assert published["data"]["id"] == update.pk and published["data"]["article_id"] == article.pk
    assert published["data"]["headline"] == "Polls close-marker"
    assert published["data"]["url"].endswith(f"#update-{update.pk}")
    assert "Polls have closed." in updated["data"]["body_html"]
    assert deleted["data"]["body_html"] == ""
    assert len(set(receiver.ids())) == 4


def test_an_update_awaiting_approval_is_told_when_approved(
    editor, writer, endpoint, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        article = make_live_article(title="Storm", live_moderated=True)
        article.bylines.create(author=Author.objects.get(user=writer), position=0)
    with django_capture_on_commit_callbacks(execute=True):
        update = stream.post(article, writer, body="Trees down on the A6.")
    assert [k for k in receiver.types() if k.startswith("live.")] == []
    with django_capture_on_commit_callbacks(execute=True):
        stream.approve(update, editor, version=update.version)
    assert [k for k in receiver.types() if k.startswith("live.")] == ["live.update.published"]


HIDDEN = [{"status": Article.Status.DRAFT}, {"published_at": timezone.now() + timedelta(days=1)}]


@pytest.mark.parametrize("fields", HIDDEN, ids=["draft", "scheduled"])
def test_updates_on_a_page_readers_cannot_see_tell_nobody(
    editor, endpoint, receiver, django_capture_on_commit_callbacks, fields
):
    article = make_live_article(title="Not yet")
    Article.objects.filter(pk=article.pk).update(**fields)
    article.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        stream.post(article, editor, body="Hidden.", posted_at=timezone.now())
    assert not Delivery.objects.filter(kind__startswith="live.").exists()
