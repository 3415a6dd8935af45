"""A new article's form comes filled in with the obvious: the writer's own byline and the section they last used."""

import pytest
from django.urls import reverse

from articles.models import Article, Section
from articles.tests.factories import (
    article_form,
    change_url,
    draft_by,
    form_data,
    make_article,
    make_author,
    refresh,
)

pytestmark = pytest.mark.django_db
ADD_URL = reverse("admin:articles_article_add")


def byline_rows(response):
    """The byline rows of a rendered change form, as forms."""
    (formset,) = [f.formset for f in response.context["inline_admin_formsets"] if f.formset.prefix == "bylines"]
    return formset.forms


def initial_author(response):
    return [form.initial.get("author") for form in byline_rows(response)]


@pytest.fixture
def sections():
    return Section.objects.create(name="Harbour", slug="harbour"), Section.objects.create(name="City", slug="city")


class TestNewArticleDefaults:
    def test_a_writer_gets_their_own_byline_and_last_section(self, writer, client_for, sections):
        harbour, city = sections
        draft_by(writer, section=city)
        client = client_for(writer)
        client.post(change_url(mine := draft_by(writer, section=None)), form_data(refresh(mine), section=harbour.pk))
        response = client.get(ADD_URL)
        assert initial_author(response) == [writer.author.pk]
        assert response.context["adminform"].form.initial["section"] == harbour.pk
        page = response.content.decode()
        assert f'<option value="{writer.author.pk}" selected>Wendy Writer</option>' in page
        assert f'<option value="{harbour.pk}" selected>Harbour</option>' in page

    def test_an_editor_with_an_author_record_gets_theirs(self, editor, client_for, sections):
        author = make_author("Eddie Editor", user=editor)
        client = client_for(editor)
        other = make_article(title="Someone's story", section=sections[0])
        client.post(change_url(other), form_data(refresh(other), section=sections[1].pk))
        response = client.get(ADD_URL)
        assert initial_author(response) == [author.pk]
        assert response.context["adminform"].form.initial["section"] == sections[1].pk

    def test_an_editor_without_an_author_record_gets_no_byline(self, editor, client_for):
        make_author("Somebody Else")
        response = client_for(editor).get(ADD_URL)
        assert initial_author(response) == [None]
        assert "section" not in response.context["adminform"].form.initial

    def test_the_address_chooses_the_section_over_the_last_used(self, writer, client_for, sections):
        client = client_for(writer)
        client.post(change_url(mine := draft_by(writer)), form_data(refresh(mine), section=sections[0].pk))
        assert client.get(ADD_URL).context["adminform"].form.initial["section"] == sections[0].pk
        response = client.get(f"{ADD_URL}?section={sections[1].pk}")
        assert response.context["adminform"].form.initial["section"] == str(sections[1].pk)

    def test_an_existing_article_gets_no_default_byline(self, writer, client_for, sections):
        article = make_article(title="Imported", status=Article.Status.DRAFT, section=None, created_by=writer)
        response = client_for(writer).get(change_url(article))
        assert initial_author(response) == [None]
        assert response.context["adminform"].form.initial.get("section") is None


class TestSavingTheDefaults:
    def test_the_default_byline_is_saved(self, writer, client_for):
        data = article_form(title="Harbour reopens", **byline(writer.author))
        assert client_for(writer).post(ADD_URL, data).status_code == 302
        article = Article.objects.get(title="Harbour reopens")
        assert [b.author for b in article.bylines.all()] == [writer.author]

    def test_a_removed_default_byline_stays_removed(self, writer, client_for):
        assert client_for(writer).post(ADD_URL, article_form(title="Nobody's story")).status_code == 302
        assert not Article.objects.get(title="Nobody's story").bylines.exists()

    def test_another_author_chosen_instead_is_kept(self, writer, client_for):
        other = make_author("Ann Lee")
        client = client_for(writer)
        response = client.post(ADD_URL, article_form(title="Ann's story", **byline(other, role="Photos")))
        assert response.status_code == 302
        article = Article.objects.get(title="Ann's story")
        assert [(b.author, b.role) for b in article.bylines.all()] == [(other, "Photos")]
        rows = byline_rows(client.get(change_url(article)))
        assert [form.instance.author_id for form in rows if form.instance.pk] == [other.pk]


def byline(author, role=""):
    return {"bylines-TOTAL_FORMS": 1, "bylines-0-author": author.pk, "bylines-0-position": 0, "bylines-0-role": role}
