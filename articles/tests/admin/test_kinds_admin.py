"""Kinds of work in the admin: the editors' list and its refusals, and the kind a writer chooses for a draft."""

import re

import pytest
from django.urls import reverse

from articles.models import Article, KindOfWork
from articles.tests.factories import draft_by, form_data, make_article, refresh
from articles.tests.factories import kind_of_work as kind

pytestmark = pytest.mark.django_db

LIST = reverse("admin:articles_kindofwork_changelist")


def test_the_list_shows_each_kind_in_order_with_its_type_and_articles(client_for, editor):
    """Editors see the kinds in their position order, with schema type, sponsored and how many articles use them."""
    make_article(title="Opinion one", kind=kind("Opinion"))
    make_article(title="Opinion two", kind=kind("Opinion"), status=Article.Status.DRAFT, published_at=None)
    response = client_for(editor).get(LIST)
    assert response.status_code == 200
    rows = list(response.context["cl"].result_list)
    assert [row.name for row in rows] == list(KindOfWork.objects.values_list("name", flat=True))
    assert {row.name: row.article_count for row in rows}["Opinion"] == 2
    page = response.content.decode()
    assert "OpinionNewsArticle (opinion, columns, editorials)" in page
    assert re.search(r'<th[^>]*class="[^"]*column-article_count', page)


def test_a_kind_in_use_is_not_deleted_and_the_page_names_its_articles(client_for, editor):
    """Deleting a kind articles use answers a page naming them (never a 500), and the kind stays."""
    opinion = kind("Opinion")
    make_article(title="Harbour column kept-9R", kind=opinion)
    url = reverse("admin:articles_kindofwork_delete", args=[opinion.pk])
    client = client_for(editor)
    for response in (client.get(url), client.post(url, {"post": "yes"})):
        assert response.status_code == 200
        page = response.content.decode()
        assert "would require deleting the following protected related objects" in page
        assert "Harbour column kept-9R" in page
    assert KindOfWork.objects.filter(pk=opinion.pk).exists()


def test_the_bulk_delete_of_kinds_in_use_is_refused_clearly(client_for, editor):
    """The list's delete action on a kind in use says why it cannot, and deletes nothing."""
    review = kind("Review")
    make_article(title="Concert review kept-4T", kind=review)
    data = {"action": "delete_selected", "_selected_action": [review.pk, kind("Explainer").pk], "post": "yes"}
    response = client_for(editor).post(LIST, data)
    assert response.status_code == 200
    assert "Concert review kept-4T" in response.content.decode()
    assert KindOfWork.objects.filter(name__in=["Review", "Explainer"]).count() == 2


def test_an_unused_kind_is_deleted(client_for, editor):
    """A kind no article uses goes when an editor deletes it."""
    explainer = kind("Explainer")
    url = reverse("admin:articles_kindofwork_delete", args=[explainer.pk])
    response = client_for(editor).post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not KindOfWork.objects.filter(pk=explainer.pk).exists()


def test_a_name_taken_in_another_letter_case_is_refused(client_for, editor):
    """Adding "opinion" beside "Opinion" is an error on the form, not a second kind."""
    data = {"name": "opinion", "slug": "", "description": "", "schema_type": "NewsArticle", "position": 9}
    response = client_for(editor).post(reverse("admin:articles_kindofwork_add"), data)
    assert response.status_code == 200 and response.context["adminform"].form.errors
    assert KindOfWork.objects.filter(name__iexact="opinion").count() == 1


def test_a_writer_chooses_a_kind_and_a_sponsor_on_their_draft(client_for, writer):
    """A writer's own draft takes a kind of work and a sponsor from the change form."""
    draft = draft_by(writer, title="Sea wall paid piece")
    sponsored = kind("Sponsored")
    data = form_data(draft, kind=sponsored.pk, sponsor="Harbour Ferries Ltd", _continue="1")
    response = client_for(writer).post(reverse("admin:articles_article_change", args=[draft.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    saved = refresh(draft)
    assert (saved.kind, saved.sponsor) == (sponsored, "Harbour Ferries Ltd")


def test_the_kind_is_offered_in_an_open_group_with_the_sponsor_beside_it(client_for, writer):
    """The kind select lists every kind in order, in a group that is not closed, the sponsor on the same line."""
    draft = draft_by(writer, title="Quay vote")
    response = client_for(writer).get(reverse("admin:articles_article_change", args=[draft.pk]))
    groups = {fieldset.name: fieldset for fieldset in response.context["adminform"]}
    group = groups["Kind of work"]
    assert "collapse" not in group.classes and list(group.fields) == [("kind", "sponsor")]
    field = response.context["adminform"].form.fields["kind"]
    assert [str(choice) for _, choice in field.choices][1:] == list(KindOfWork.objects.values_list("name", flat=True))
    page = response.content.decode()
    assert "Needed when the kind of work is sponsored" in page
    assert 'class="related-widget-wrapper-link add-related"' not in page.split('id="id_kind"')[1][:600]


def test_the_article_list_filters_by_kind(client_for, editor):
    """The article changelist narrows to one kind of work."""
    make_article(title="An analysis shown-2K", kind=kind("Analysis"))
    make_article(title="A news story hidden-2K", kind=kind("News"))
    url = reverse("admin:articles_article_changelist")
    response = client_for(editor).get(url, {"kind__id__exact": kind("Analysis").pk})
    titles = [article.title for article in response.context["cl"].result_list]
    assert titles == ["An analysis shown-2K"]
    assert "By kind of work" in response.content.decode()


def test_a_kind_published_as_advertiser_content_must_be_sponsored(client_for, editor):
    """Choosing AdvertiserContentArticle for a kind not ticked Sponsored is refused on the form: readers would see
    no "Sponsored content" label and the checklist would ask for no sponsor."""
    data = {"name": "Partner content", "slug": "", "description": "", "schema_type": "AdvertiserContentArticle",
            "position": 9}  # fmt: skip
    response = client_for(editor).post(reverse("admin:articles_kindofwork_add"), data)
    assert response.status_code == 200
    assert "schema_type" in response.context["adminform"].form.errors
    assert not KindOfWork.objects.filter(name="Partner content").exists()


def test_a_kind_saved_as_advertiser_content_is_sponsored():
    """Saved outside a form (a script, a shell), a kind published as AdvertiserContentArticle is a sponsored
    kind: its pieces are labelled "Sponsored content" and need a sponsor."""
    partner = KindOfWork.objects.create(name="Partner content", schema_type="AdvertiserContentArticle")
    assert partner.sponsored
    article = make_article(title="Ferry guide", kind=partner, sponsor="")
    assert article.kind_label.sponsored and article.kind_label.text == "Sponsored content"


def test_kinds_whose_names_make_the_same_address_each_get_their_own(client_for, editor):
    """Names in a script slugs cannot spell, or differing only in punctuation, added with no slug typed, are
    saved with one of their own (``kind``, ``kind-2``; ``opinion-2``): never a 500."""
    client, add = client_for(editor), reverse("admin:articles_kindofwork_add")
    for name in ("意见", "评论", "Opinion!"):
        data = {"name": name, "slug": "", "description": "", "schema_type": "OpinionNewsArticle", "position": 0}
        assert client.post(add, data).status_code == 302, name
    slugs = dict(KindOfWork.objects.filter(name__in=["意见", "评论", "Opinion!"]).values_list("name", "slug"))
    assert slugs == {"意见": "kind", "评论": "kind-2", "Opinion!": "opinion-2"}
    edited = KindOfWork.objects.get(name="评论")
    data = {"name": "评论", "slug": edited.slug, "description": "Columns.", "schema_type": "OpinionNewsArticle",
            "position": 0}  # fmt: skip
    assert client.post(reverse("admin:articles_kindofwork_change", args=[edited.pk]), data).status_code == 302
