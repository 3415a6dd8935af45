"""Two editors adding the same name at the same moment: both forms validate, one save reaches the unique index
second. That editor gets the form back with the clash named, never an error page, and nothing half-saved.

On SQLite the admin's transaction begins IMMEDIATE, holding the write lock from validation to save, so two saves
cannot interleave there: these run on PostgreSQL (DATABASE_URL=postgres://…)."""

import threading

import pytest
from django.db import connection, connections
from django.db.models.signals import pre_save
from django.urls import reverse
from taggit.models import Tag

from articles.models import Article, Author, Section
from articles.tests.factories import article_form

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="saves interleave on PostgreSQL, not on SQLite"),
]


@pytest.fixture
def rival():
    """``rival(Model, **fields)``: when the admin's save of a Model begins (its validation passed), another editor's
    save of that row lands first, from another connection, committed."""
    arranged = []

    def arrange(model, **fields):
        def first_save_lands_first(sender, instance, **kwargs):
            if arranged.count(model):
                return
            arranged.append(model)

            def save():
                try:
                    model.objects.create(**fields)
                finally:
                    connections.close_all()

            other = threading.Thread(target=save)
            other.start()
            other.join(10)

        pre_save.connect(first_save_lands_first, sender=model, weak=False, dispatch_uid=f"rival-{model.__name__}")
        arranged.append(first_save_lands_first)

    yield arrange
    for model in (Article, Author, Section, Tag):
        pre_save.disconnect(sender=model, dispatch_uid=f"rival-{model.__name__}")


def test_a_section_name_saved_by_someone_else_meanwhile_is_a_form_error(client_for, editor, rival):
    rival(Section, name="Embargo Desk")
    response = client_for(editor).post(
        reverse("admin:articles_section_add"),
        {"name": "embargo desk", "slug": "", "description": "", "position": 3, "in_navigation": "on",
         "aliases-TOTAL_FORMS": 0, "aliases-INITIAL_FORMS": 0},
    )  # fmt: skip
    winner = Section.objects.get()
    assert response.status_code == 200 and winner.name == "Embargo Desk"
    assert f"The section “Embargo Desk” (id {winner.pk}) already has this name" in response.content.decode()


def test_an_author_name_saved_by_someone_else_meanwhile_is_a_form_error(client_for, editor, rival):
    rival(Author, name="Amy Photo")
    response = client_for(editor).post(
        reverse("admin:articles_author_add"),
        {"name": "Amy Photo", "slug": "", "bio": "", "photo": "", "user": "", "email": "", "website": ""},
    )
    winner = Author.objects.get(name="Amy Photo")
    assert response.status_code == 200 and Author.objects.filter(name__iexact="amy photo").count() == 1
    assert f"The author “Amy Photo” (id {winner.pk}) already has this name" in response.content.decode()


def test_an_article_address_typed_and_taken_meanwhile_is_a_form_error(client_for, editor, rival):
    rival(Article, title="Pier closes", slug="pier-closes", status=Article.Status.DRAFT)
    typed = article_form(title="Pier closes", slug="pier-closes", dek="The pier shuts.", body="Text.")
    response = client_for(editor).post(reverse("admin:articles_article_add"), typed)
    assert response.status_code == 200 and Article.objects.count() == 1
    assert "slug" in response.context["adminform"].form.errors


def test_an_article_address_left_blank_is_made_again_past_the_one_taken_meanwhile(client_for, editor, rival):
    rival(Article, title="Pier closes", slug="pier-closes", status=Article.Status.DRAFT)
    typed = article_form(title="Pier closes", slug="", dek="The pier shuts.", body="Text.")
    response = client_for(editor).post(reverse("admin:articles_article_add"), typed)
    assert response.status_code == 302
    assert sorted(Article.objects.values_list("slug", flat=True)) == ["pier-closes", "pier-closes-2"]


def test_a_tag_added_by_someone_else_meanwhile_is_a_form_error(client_for, editor, rival, django_user_model):
    rival(Tag, name="Harbour", slug="harbour")
    chief = django_user_model.objects.create_superuser("chief", password=None)
    response = client_for(chief).post(
        reverse("admin:taggit_tag_add"),
        {"name": "Harbour", "slug": "harbour", "taggit_taggeditem_items-TOTAL_FORMS": 0,
         "taggit_taggeditem_items-INITIAL_FORMS": 0},
    )  # fmt: skip
    assert response.status_code == 200 and Tag.objects.count() == 1
    assert "name" in response.context["adminform"].form.errors
