"""Numbers out of range and values that are not numbers, posted in the admin's numeric fields: the form answers
with an error, never a 500 (what `make survey` walks against gunicorn, here through the test client)."""

import pytest
from django.urls import reverse

from articles.models import Pin, Section
from articles.tests.factories import change_url, form_data, make_article, make_author, refresh

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
