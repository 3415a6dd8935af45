"""Numbers out of range and values that are not numbers, posted in the admin's numeric fields: the form answers
with an error, never a 500 (what `make survey` walks against gunicorn, here through the test client)."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from articles.models import Article, Autosave, Pin, Section
from articles.tests.factories import change_url, draft_by, form_data, make_article, make_author, refresh

pytestmark = pytest.mark.django_db

NOT_KEYS = ["-1", str(2**31), str(2**63), str(2**70), "1.5", "abc"]


@pytest.mark.parametrize("value", NOT_KEYS)
def test_an_autocomplete_field_with_a_value_that_is_no_key_is_a_form_error(admin_client, value):
    """The lead picture, a byline's author, an author's photo and a pin's article refuse the value by name."""
    article = make_article(authors=[make_author("Ann Byline")])
    author = make_author("Bo Photo")
    pages = [
        (change_url(article), form_data(article, lead_image=value), "lead_image"),
        (change_url(article), form_data(article, **{"bylines-0-author": value}), "bylines-0-author"),
        (reverse("admin:articles_author_change", args=[author.pk]),
         {"name": author.name, "slug": author.slug, "photo": value}, "photo"),
        (reverse("admin:articles_pin_add"), {"article": value, "place": "top", "position": "0"}, "article"),
    ]  # fmt: skip
    for url, data, field in pages:
        response = admin_client.post(url, data)
        assert response.status_code == 200, (field, response.status_code)
        assert "Select a valid choice" in response.content.decode(), field
    assert refresh(article).lead_image is None and not Pin.objects.exists()


@pytest.mark.parametrize("value", [str(2**63), str(2**70)])
def test_a_list_edited_in_place_with_an_id_out_of_range_changes_nothing(admin_client, value):
    """The sections' list, edited in place, with a row id no database holds: refused, and no section moves."""
    section = Section.objects.create(name="Harbour", slug="harbour", position=3)
    data = {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-0-id": value, "form-0-position": "1",
            "form-0-in_navigation": "on", "_save": "Save"}  # fmt: skip
    response = admin_client.post(reverse("admin:articles_section_changelist"), data)
    assert response.status_code in (200, 302)
    assert Section.objects.get(pk=section.pk).position == 3


@pytest.mark.parametrize("count", [str(2**31), "999999"])
def test_an_inline_count_out_of_range_builds_no_more_rows_than_it_may_have(admin_client, count):
    """A change form posted with a huge row count is refused with a few rows drawn, not 2,000 (a worker timeout)."""
    article = make_article(authors=[make_author()])
    response = admin_client.post(change_url(article), form_data(article, **{"corrections-TOTAL_FORMS": count}))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Please submit at most 100 forms" in page and "corrections-150-text" not in page
    tag_page = admin_client.post(reverse("admin:taggit_tag_add"), {"name": "Harbour", "slug": "harbour",
                                 "taggit_taggeditem_items-TOTAL_FORMS": count,
                                 "taggit_taggeditem_items-INITIAL_FORMS": "0"})  # fmt: skip
    assert tag_page.status_code == 200 and "Please submit at most 100 forms" in tag_page.content.decode()


@pytest.mark.parametrize("initial", ["-1", "0"])
def test_a_stored_byline_posted_as_a_new_row_is_a_form_error(admin_client, initial):
    """A post that counts fewer stored rows than it carries offers the stored byline again as new: refused."""
    article = make_article(authors=[make_author("Ann Byline")])
    data = form_data(article, title="Not saved", **{"bylines-INITIAL_FORMS": initial})
    response = admin_client.post(change_url(article), data)
    assert response.status_code == 200 and "already used by the byline" in response.content.decode()
    assert refresh(article).title != "Not saved" and article.bylines.count() == 1


def test_two_bylines_trade_authors_and_a_deleted_one_gives_its_author_to_another(admin_client):
    """Trading the authors of two rows, or deleting a row and crediting its author on another, saves."""
    ann, bo, cy = make_author("Ann Byline"), make_author("Bo Byline"), make_author("Cy Byline")
    article = make_article(authors=[ann, bo, cy])
    rows = list(article.bylines.order_by("position"))
    traded = {"bylines-0-author": bo.pk, "bylines-1-author": ann.pk}
    assert admin_client.post(change_url(article), form_data(article, **traded)).status_code == 302
    assert [b.author.name for b in refresh(article).bylines.all()] == ["Bo Byline", "Ann Byline", "Cy Byline"]
    article = refresh(article)
    rows = list(article.bylines.order_by("position"))
    given = {"bylines-0-DELETE": "on", "bylines-2-author": rows[0].author_id}
    assert admin_client.post(change_url(article), form_data(article, **given)).status_code == 302
    assert [b.author.name for b in refresh(article).bylines.all()] == ["Ann Byline", "Bo Byline"]


@pytest.fixture
def raw_editor(editor, client):
    """The editor's client, answering 500s instead of raising them."""
    client.force_login(editor)
    client.raise_request_exception = False  # a 500 is an answer to assert on, not an exception
    return client


OUT_OF_RANGE = [-1, 2**31, 2**40, 2**63, 2**70]


class TestNumbersFromRequests:
    """Whole numbers from requests are range-checked before the database sees them: a 400 or a form error naming
    the problem, the same on SQLite and PostgreSQL, never a 500 and never a number stored as something else."""

    @pytest.mark.parametrize("version", OUT_OF_RANGE)
    def test_autosave_refuses_a_version_out_of_range(self, raw_editor, writer, version):
        article = draft_by(writer)
        url = reverse("admin:articles_article_autosave", args=[article.pk])
        response = raw_editor.post(url, {"title": "t", "dek": "", "body": "b", "version": version})
        assert response.status_code == 400
        assert response.json()["error"].startswith("Not autosaved: version: Ensure this value is")
        assert not Autosave.objects.exists()

    def test_autosave_keeps_the_version_as_sent(self, raw_editor, writer, editor):
        article = draft_by(writer)
        url = reverse("admin:articles_article_autosave", args=[article.pk])
        assert raw_editor.post(url, {"body": "b", "version": 2**31 - 1}).status_code == 200
        assert Autosave.objects.get(user=editor).version == 2**31 - 1  # not wrapped, not truncated
        response = raw_editor.post(url, {"body": "b", "version": "two"})
        assert response.status_code == 400 and "version: Enter a whole number" in response.json()["error"]

    @pytest.mark.parametrize("version", OUT_OF_RANGE)
    def test_the_change_form_refuses_a_version_out_of_range(self, raw_editor, writer, version):
        article = draft_by(writer, body="As saved.")
        response = raw_editor.post(change_url(article), form_data(refresh(article), body="Changed.", version=version))
        assert response.status_code == 200
        assert "This form&#x27;s version is not one an article can have (Ensure this value is" in (
            response.context["adminform"].form.non_field_errors().as_ul()
        )
        assert refresh(article).body == "As saved." and not Autosave.objects.exists()

    @pytest.mark.parametrize("value", ["x", "1.5", 2**70])
    @pytest.mark.parametrize("list_name", ["admin:articles_article_changelist", "admin:auth_user_changelist"])
    def test_list_actions_refuse_rows_that_are_no_key(self, raw_editor, writer, value, list_name):
        article = draft_by(writer)
        action = "submit_selected" if "article" in list_name else "delete_selected"
        response = raw_editor.post(reverse(list_name), {"action": action, "_selected_action": [article.pk, value]})
        assert response.status_code == 400
        assert "Selected rows are given by their numbers" in response.content.decode()
        assert refresh(article).status == Article.Status.DRAFT and User.objects.count() == 2

    def test_revision_numbers_out_of_range_compare_nothing(self, raw_editor, writer):
        article = draft_by(writer)
        url = reverse("admin:articles_article_revisions", args=[article.pk])
        for value in [*OUT_OF_RANGE, "x"]:
            assert raw_editor.get(url, {"from": value, "to": value}).status_code == 200
        for value in (2**31, 2**70):
            restore = reverse("admin:articles_article_restore", args=[article.pk, value])
            assert raw_editor.post(restore).status_code == 404
