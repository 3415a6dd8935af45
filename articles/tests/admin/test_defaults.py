"""A new article's form comes filled in with the obvious: the writer's own byline and the section they last used.
Tags are names chosen from the existing ones (created only by those who may), and come back as typed."""

import html
import re

import pytest
from django.urls import reverse, reverse_lazy
from taggit.models import Tag

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


def tag_box(page):
    """What the tags box of a rendered form holds, as a browser reads it."""
    return html.unescape(re.search(r'name="tags" value="([^"]*)"', page)[1])


def byline(author, role=""):
    return {"bylines-TOTAL_FORMS": 1, "bylines-0-author": author.pk, "bylines-0-position": 0, "bylines-0-role": role}


class TestTags:
    def test_multi_word_tags_come_back_as_they_were_given(self, editor, client_for):
        Tag.objects.create(name="Harbour works")
        draft = draft_by(editor)
        client = client_for(editor)
        response = client.post(change_url(draft), form_data(refresh(draft), tags="Harbour works, Tide"))
        assert response.status_code == 302
        assert sorted(t.name for t in refresh(draft).tags.all()) == ["Harbour works", "Tide"]
        page = client.get(change_url(draft)).content.decode()
        assert tag_box(page) == "Harbour works, Tide"
        assert 'data-chosen="[&quot;Harbour works&quot;, &quot;Tide&quot;]"' in page

    def test_the_form_saved_again_unchanged_keeps_them(self, editor, client_for):
        draft = draft_by(editor)
        draft.tags.add("Harbour works", "Tide")
        client = client_for(editor)
        shown = tag_box(client.get(change_url(draft)).content.decode())
        response = client.post(change_url(draft), form_data(refresh(draft), tags=shown))
        assert response.status_code == 302
        assert sorted(t.name for t in refresh(draft).tags.all()) == ["Harbour works", "Tide"]

    def test_a_single_multi_word_tag_stays_one_tag(self, editor, client_for):
        draft = draft_by(editor)
        client_for(editor).post(change_url(draft), form_data(refresh(draft), tags="Harbour works"))
        assert [t.name for t in refresh(draft).tags.all()] == ["Harbour works"]

    def test_a_tag_with_a_comma_is_quoted(self, editor, client_for):
        draft = draft_by(editor)
        client = client_for(editor)
        client.post(change_url(draft), form_data(refresh(draft), tags='"Ports, harbours", Tide'))
        assert sorted(t.name for t in refresh(draft).tags.all()) == ["Ports, harbours", "Tide"]
        assert tag_box(client.get(change_url(draft)).content.decode()) == '"Ports, harbours", Tide'

    def test_a_writer_posting_a_new_tag_is_refused(self, writer, client_for):
        Tag.objects.create(name="Harbour works")
        draft = draft_by(writer)
        response = client_for(writer).post(change_url(draft), form_data(refresh(draft), tags="Harbour works, Gossip"))
        assert response.status_code == 200
        assert "“Gossip” does not exist yet" in response.content.decode()
        assert not refresh(draft).tags.exists() and not Tag.objects.filter(name="Gossip").exists()

    def test_an_editor_creates_a_new_tag(self, editor, client_for):
        draft = draft_by(editor)
        response = client_for(editor).post(change_url(draft), form_data(refresh(draft), tags="Sea wall repairs"))
        assert response.status_code == 302
        assert [t.name for t in refresh(draft).tags.all()] == ["Sea wall repairs"]

    def test_an_overlong_tag_name_is_refused_by_name(self, editor, client_for):
        draft = draft_by(editor)
        response = client_for(editor).post(change_url(draft), form_data(refresh(draft), tags="x" * 101))
        assert response.status_code == 200
        assert "at most 100 characters" in response.content.decode()

    @pytest.mark.parametrize(
        ("typed", "names"),
        [('"' * 50, []), (",,,", []), ('"Tide", "', ["Tide"]), ('Tide, "Harbour, works', ["Tide", "Harbour", "works"])],
    )
    def test_odd_input_is_read_as_names(self, editor, client_for, typed, names):
        draft = draft_by(editor)
        assert client_for(editor).post(change_url(draft), form_data(refresh(draft), tags=typed)).status_code == 302
        assert sorted(t.name for t in refresh(draft).tags.all()) == sorted(names)

    def test_the_chooser_says_who_may_create(self, writer, editor, client_for):
        page = client_for(writer).get(ADD_URL).content.decode()
        assert 'data-may-create="false"' in page and reverse("admin:taggit_tag_search") in page
        page = client_for(editor).get(ADD_URL).content.decode()
        assert 'data-may-create="true"' in page


class TestTagSearch:
    URL = reverse_lazy("admin:taggit_tag_search")

    def test_staff_get_matching_tags_as_json(self, writer, client_for):
        for name in ("Harbour works", "Harbour", "Old harbour", "Tide"):
            Tag.objects.create(name=name)
        response = client_for(writer).get(self.URL, {"q": "harb"})
        assert response.status_code == 200 and response["Content-Type"] == "application/json"
        assert response.json() == {
            "results": [{"name": "Harbour"}, {"name": "Harbour works"}, {"name": "Old harbour"}],
            "may_create": False,
        }

    def test_editors_are_told_they_may_create(self, editor, client_for):
        assert client_for(editor).get(self.URL, {"q": "x"}).json() == {"results": [], "may_create": True}

    def test_nobody_else_gets_an_answer(self, client, django_user_model):
        Tag.objects.create(name="Harbour")
        response = client.get(self.URL, {"q": "harb"})
        assert response.status_code == 302 and "Harbour" not in response.content.decode()
        reader = django_user_model.objects.create_user("reader", password="x-Reader-pass-1")
        client.force_login(reader)
        response = client.get(self.URL, {"q": "harb"})
        assert response.status_code == 302 and "Harbour" not in response.content.decode()

    def test_staff_without_tag_access_are_refused(self, client, django_user_model):
        Tag.objects.create(name="Harbour")
        staff = django_user_model.objects.create_user("clerk", password="x-Clerk-pass-1", is_staff=True)
        client.force_login(staff)
        assert client.get(self.URL, {"q": "harb"}).status_code == 403
