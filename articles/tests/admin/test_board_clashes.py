"""Two editors pinning the same story at the same moment, from the board or from the pin's own form: both posts
validate, one pin reaches the unique index second. That editor is told the story is pinned already, never shown an
error page, and the front page keeps one pin of it.

On SQLite the admin's transaction begins IMMEDIATE, holding the write lock from validation to save, so two saves
cannot interleave there: these run on PostgreSQL (DATABASE_URL=postgres://…)."""

import threading

import pytest
from django.db import connection, connections
from django.db.models.signals import pre_save
from django.urls import reverse

from articles.models import Pin
from articles.tests.factories import make_article

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="saves interleave on PostgreSQL, not on SQLite"),
]


@pytest.fixture
def rival_pin():
    """``rival_pin(article)``: when the editor's pin is about to be saved (its validation passed), another editor's
    pin of ``article`` lands first, from another connection, committed."""

    def arrange(article):
        def first_save_lands_first(sender, instance, **kwargs):
            pre_save.disconnect(sender=Pin, dispatch_uid="rival-pin")

            def save():
                try:
                    Pin.objects.create(article_id=article.pk, place=Pin.Place.LEAD, position=0)
                finally:
                    connections.close_all()

            other = threading.Thread(target=save)
            other.start()
            other.join(10)

        pre_save.connect(first_save_lands_first, sender=Pin, weak=False, dispatch_uid="rival-pin")

    yield arrange
    pre_save.disconnect(sender=Pin, dispatch_uid="rival-pin")


def test_a_story_pinned_from_the_board_by_someone_else_meanwhile_is_said_to_be_pinned(client_for, editor, rival_pin):
    story = make_article(title="Ferry returns-zq")
    rival_pin(story)
    posted = {"action": "add", "article": story.pk, "place": "top"}
    response = client_for(editor).post(reverse("admin:articles_pin_board"), posted)
    assert response.status_code == 200
    assert "“Ferry returns-zq” is pinned already, as a lead story: move that card." in response.content.decode()
    assert list(Pin.objects.values_list("article_id", "place")) == [(story.pk, "lead")]


def test_a_story_pinned_from_the_pins_form_by_someone_else_meanwhile_is_a_form_error(client_for, editor, rival_pin):
    story = make_article(title="Ferry returns-zq")
    rival_pin(story)
    posted = {"article": story.pk, "place": "top", "expires_at_0": "", "expires_at_1": ""}
    response = client_for(editor).post(reverse("admin:articles_pin_add"), posted)
    assert response.status_code == 200 and "article" in response.context["adminform"].form.errors
    assert list(Pin.objects.values_list("article_id", "place")) == [(story.pk, "lead")]
