"""Every tag an editor names gets an address readers can open: a name with no letter or digit in it, or one whose
address would be longer than the column holds, is given one that fits, and the story tagged with it opens. A tag
whose stored name holds a double quote survives the tags box, which cannot write one."""

import html
import re

import pytest
from django.test import Client
from django.urls import reverse
from taggit.models import Tag

from articles.models import Article
from articles.tests.factories import article_form, change_url, draft_by, form_data, make_author, refresh

pytestmark = pytest.mark.django_db

SLUG_LENGTH = Tag._meta.get_field("slug").max_length


def tag_box(page):
    """What the tags box of a rendered form holds, as a browser reads it."""
    return html.unescape(re.search(r'name="tags" value="([^"]*)"', page)[1])


def tagged(client, title, tags):
    """A published article tagged ``tags`` through the add form, as an editor types them."""
    data = article_form(title=title, dek="What happened.", body="The story.", tags=tags)
    data |= {"bylines-TOTAL_FORMS": 1, "bylines-0-author": make_author().pk, "bylines-0-position": 0}
    response = client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get(title=title)
    Article.objects.filter(pk=article.pk).update(status=Article.Status.PUBLISHED, published_at=article.created_at)
    return Article.objects.get(pk=article.pk)


@pytest.mark.parametrize("name", ["!!!", "+", "﷽", "\u200b"])
def test_a_tag_named_without_letters_gets_an_address_and_its_story_opens(editor, client_for, name):
    article = tagged(client_for(editor), "Odd tag-zq", name)
    tag = article.tags.get()
    assert tag.slug and len(tag.slug) <= SLUG_LENGTH
    reader = Client(raise_request_exception=False)
    assert reader.get(article.get_absolute_url()).status_code == 200
    assert reader.get(reverse("articles:tag", kwargs={"slug": tag.slug})).status_code == 200
    assert reader.get("/tags/").status_code == 200


def test_two_tags_without_letters_get_two_addresses(editor, client_for):
    client = client_for(editor)
    first = tagged(client, "First odd tag-zq", "!!!").tags.get()
    second = tagged(client, "Second odd tag-zq", "???").tags.get()
    assert first.slug and second.slug and first.slug != second.slug


@pytest.mark.parametrize(
    "names",
    [
        ["ﬀ" * 60],  # each ligature is two letters in the address: 120
        ["a" * 99 + "!", "a" * 99 + "?"],  # one address, then the same with "_1": 101
        ["ﬀ" * 60, "ﬀ" * 59 + "!", "ﬀ" * 59 + "?"],  # three cut to the same length
    ],
)
def test_an_address_longer_than_the_column_is_cut_to_fit_and_kept_unique(editor, client_for, names):
    """Names within the limit whose address is longer are saved (PostgreSQL refuses a longer value with an error
    page), each with an address of its own."""
    client = client_for(editor)
    for n, name in enumerate(names):
        tagged(client, f"Long tag {n}-zq", f'"{name}"')
    slugs = list(Tag.objects.values_list("slug", flat=True))
    assert len(slugs) == len(names) == len(set(slugs))
    assert all(0 < len(slug) <= SLUG_LENGTH for slug in slugs), [len(slug) for slug in slugs]


class TestQuotesInStoredNames:
    """A tag named with a double quote (made in the tags' own list, or imported) cannot be written in the tags box,
    where double quotes only group: the box's name without them stands for it, and it is kept, not refused as new
    nor made again without its quotes."""

    @pytest.fixture
    def quoted(self):
        return Tag.objects.create(name='5" screens', slug="five-inch-screens")

    def test_a_writer_saves_a_draft_carrying_one_unchanged(self, writer, client_for, quoted):
        draft = draft_by(writer)
        draft.tags.add(quoted, "Tide")
        client = client_for(writer)
        shown = tag_box(client.get(change_url(draft)).content.decode())
        response = client.post(change_url(draft), form_data(refresh(draft), tags=shown, title="Saved again-zq"))
        assert response.status_code == 302
        assert sorted(t.name for t in refresh(draft).tags.all()) == ['5" screens', "Tide"]

    def test_a_writer_chooses_one_by_the_name_the_box_gives(self, writer, client_for, quoted):
        draft = draft_by(writer)
        response = client_for(writer).post(change_url(draft), form_data(refresh(draft), tags='5" screens'))
        assert response.status_code == 302 and [t.name for t in refresh(draft).tags.all()] == ['5" screens']

    def test_an_editor_saving_one_makes_no_second_tag(self, editor, client_for, quoted):
        draft = draft_by(editor)
        draft.tags.add(quoted)
        client = client_for(editor)
        shown = tag_box(client.get(change_url(draft)).content.decode())
        assert client.post(change_url(draft), form_data(refresh(draft), tags=shown)).status_code == 302
        assert list(Tag.objects.values_list("name", flat=True)) == ['5" screens']
