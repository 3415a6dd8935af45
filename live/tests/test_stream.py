import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections

from articles.tests.factories import make_article, make_author
from live import stream
from live.models import Stream, Update
from live.tests.factories import make_live_article

pytestmark = pytest.mark.django_db


def test_a_post_is_numbered_rendered_counted_and_revised(editor):
    article = make_live_article()
    first = stream.post(article, editor, body="The polls **close**.", key_event=True)
    second = stream.post(article, editor, body="First results.", headline="Results")
    assert (first.seq, second.seq) == (1, 2)
    assert "<strong>close</strong>" in first.body_html
    counts = Stream.objects.get(pk=article.pk)
    assert (counts.seq, counts.shown_count, counts.key_count) == (2, 2, 1)
    assert counts.last_posted_at == second.posted_at
    assert [rev.version for rev in first.revisions.all()] == [1]


def test_an_edit_from_an_older_version_is_refused_and_nothing_is_overwritten(editor):
    article = make_live_article()
    update = stream.post(article, editor, body="Turnout is 40%.")
    stream.edit(update, editor, version=1, body="Turnout is 45%.", correction="An earlier version gave 40%.")
    with pytest.raises(stream.StaleUpdate, match="version 2; you had version 1"):
        stream.edit(update, editor, version=1, body="Turnout is 50%.")
    stored = Update.objects.get(pk=update.pk)
    assert stored.body == "Turnout is 45%." and stored.version == 2 and stored.edited_at is not None
    assert stored.seq == 2 and [rev.body for rev in stored.revisions.all()] == ["Turnout is 45%.", "Turnout is 40%."]


def test_a_deleted_update_is_counted_out_and_kept_in_its_revisions(editor):
    article = make_live_article()
    update = stream.post(article, editor, body="Wrong.", key_event=True)
    stream.delete(update, editor, version=1)
    stream.delete(update, editor, version=1)  # twice: nothing more happens
    counts = Stream.objects.get(pk=article.pk)
    assert (counts.seq, counts.shown_count, counts.key_count) == (2, 0, 0)
    assert not Update.objects.shown().exists()
    assert Update.objects.get(pk=update.pk).revisions.first().deleted


def test_bad_input_is_named(editor):
    article = make_live_article()
    with pytest.raises(ValidationError, match="needs some text"):
        stream.post(article, editor, body="   ")
    assert not Update.objects.exists()


def test_writers_post_only_where_credited_and_wait_for_approval_where_the_page_says(writer, other_writer, editor):
    article = make_live_article(authors=[writer.author], live_moderated=True)
    with pytest.raises(PermissionDenied):
        stream.post(article, other_writer, body="Not mine to post.")
    with pytest.raises(PermissionDenied):
        stream.post(make_article(authors=[writer.author]), writer, body="Not a live page.")
    update = stream.post(article, writer, body="From the count.")
    assert update.status == Update.Status.PENDING and list(update.authors.all()) == [writer.author]
    assert Stream.objects.get(pk=article.pk).shown_count == 0
    with pytest.raises(PermissionDenied):
        stream.approve(update, writer, version=1)
    stream.approve(update, editor, version=1)
    assert Stream.objects.get(pk=article.pk).shown_count == 1


def test_authors_can_be_credited(editor):
    article = make_live_article()
    reporters = [make_author("Ann"), make_author("Bo")]
    update = stream.post(article, editor, body="Joint.", authors=reporters)
    assert set(update.authors.all()) == set(reporters)


@pytest.mark.django_db(transaction=True)
def test_two_people_posting_at_once_both_land_in_order(editor):
    if connection.vendor != "postgresql":
        pytest.skip("saves interleave on PostgreSQL, not on SQLite")
    article = make_live_article()
    stream.post(article, editor, body="Opening.")
    errors, barrier = [], threading.Barrier(4)

    def post(n):
        try:
            barrier.wait()
            stream.post(article, editor, body=f"Post {n}.")
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(Update.objects.values_list("seq", flat=True)) == [1, 2, 3, 4, 5]
    assert Stream.objects.get(pk=article.pk).shown_count == 5


def test_an_editor_who_writes_as_no_author_credits_the_pages_bylines(editor):
    reporters = [make_author("Ann"), make_author("Bo")]
    article = make_live_article(authors=reporters)
    update = stream.post(article, editor, body="From the scene.")
    assert list(update.authors.order_by("name")) == reporters
