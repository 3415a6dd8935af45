"""Editing off the happy path: redirects that belong to one article, share links that die with a withdrawal,
and forms that cannot skip the stale-save check."""

import pytest
from django.urls import reverse

from articles.models import Article, ArticleAlias, ShareLink
from articles.tests.factories import change_url, draft_by, form_data, make_article, make_author, refresh
from articles.workflow import transitions

pytestmark = pytest.mark.django_db


class TestOldAddresses:
    @pytest.fixture
    def renamed(self):
        article = make_article(title="Port strike", slug="port-strike")
        article.slug = "port-strike-ends"
        article.save()
        return refresh(article)

    def test_a_renamed_article_redirects(self, renamed, client):
        response = client.get("/articles/port-strike/")
        assert response.status_code == 301 and response["Location"] == "/articles/port-strike-ends/"

    def test_a_draft_cannot_take_another_articles_old_address(self, renamed, writer, client_for, client):
        draft = draft_by(writer, title="Something else")
        response = client_for(writer).post(change_url(draft), form_data(refresh(draft), slug="port-strike"))
        page = response.content.decode()
        assert response.status_code == 200
        assert "old address of “Port strike”" in page and f"(id {renamed.pk})" in page
        assert refresh(draft).slug != "port-strike"
        assert ArticleAlias.objects.get(path="/articles/port-strike/").article_id == renamed.pk
        client.logout()
        assert client.get("/articles/port-strike/").status_code == 301

    def test_a_model_save_never_deletes_another_articles_alias(self, renamed):
        other = make_article(title="Other")
        other.slug = "port-strike"
        other.save()
        assert ArticleAlias.objects.get(path="/articles/port-strike/").article_id == renamed.pk

    def test_generated_slugs_avoid_old_addresses(self, renamed):
        assert make_article(title="Port strike").slug == "port-strike-2"

    def test_an_article_can_take_back_its_own_old_address(self, renamed, editor, client_for):
        response = client_for(editor).post(change_url(renamed), form_data(renamed, slug="port-strike"))
        assert response.status_code == 302
        assert refresh(renamed).slug == "port-strike"
        assert list(ArticleAlias.objects.values_list("path", flat=True)) == ["/articles/port-strike-ends/"]

    def test_generated_unicode_slugs_avoid_old_addresses(self):
        article = make_article(title="Кот", slug="кот")
        article.slug = "кот-и-пес"
        article.save()
        assert make_article(title="Кот").slug == "кот-2"

    def test_unicode_slugs_redirect_after_a_rename(self, client):
        article = make_article(title="Кот", slug="кот")
        article.slug = "кот-и-пес"
        article.save()
        response = client.get("/articles/кот/")
        assert response.status_code == 301


class TestShareLinksAndWithdrawal:
    def test_withdrawing_revokes_share_links(self, editor, client):
        article = make_article(title="Contested story", dek="d", authors=[make_author()])
        link = ShareLink.objects.create(article=article)
        url = link.get_absolute_url()
        assert client.get(url).status_code == 200
        transitions.apply(article, "withdraw", editor, public_note="Legal.")
        link.refresh_from_db()
        assert link.revoked
        response = client.get(url)
        assert response.status_code == 404 and b"Contested story" not in response.content

    def test_a_link_to_a_withdrawn_article_is_refused_even_if_not_revoked(self, client):
        article = make_article(title="Contested story", status=Article.Status.WITHDRAWN)
        link = ShareLink.objects.create(article=article)
        assert client.get(link.get_absolute_url()).status_code == 404


class TestVersionIsRequired:
    def test_a_post_without_the_version_is_refused(self, writer, editor, client_for):
        article = draft_by(writer, body="Original.")
        client = client_for(editor)
        client.post(change_url(article), form_data(refresh(article), body="Saved by someone else."))
        data = form_data(refresh(article), body="Overwrite attempt.")
        del data["version"]
        response = client.post(change_url(article), data)
        assert response.status_code == 200
        assert "did not say which version" in response.content.decode()
        assert refresh(article).body == "Saved by someone else."


class TestWhoSeesWhat:
    def test_editors_can_tie_a_byline_to_a_login(self, editor, writer, client_for):
        author = make_author("Guest Writer")
        client = client_for(editor)
        page = client.get(reverse("admin:articles_author_change", args=[author.pk])).content.decode()
        assert f'<option value="{writer.pk}">wendy</option>' in page
        response = client.post(
            reverse("admin:articles_author_change", args=[author.pk]),
            {
                "name": "Guest Writer",
                "slug": author.slug,
                "bio": "",
                "user": writer.pk + 1000,
                "email": "",
                "website": "",
            },  # fmt: skip
        )
        assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
        other = make_author("Other Person")
        from django.contrib.auth.models import User

        login = User.objects.create_user("staffer", is_staff=True)
        response = client.post(
            reverse("admin:articles_author_change", args=[other.pk]),
            {"name": "Other Person", "slug": other.slug, "bio": "", "user": login.pk, "email": "", "website": ""},
        )
        assert response.status_code == 302
        other.refresh_from_db()
        assert other.user == login

    def test_writers_do_not_see_authors_email_addresses(self, writer, client_for):
        author = make_author("Private Person", email="private.person@example.org")
        client = client_for(writer)
        for url in (
            reverse("admin:articles_author_changelist"),
            reverse("admin:articles_author_change", args=[author.pk]),
        ):
            response = client.get(url)
            assert response.status_code == 200
            assert "private.person@example.org" not in response.content.decode(), url
        assert (
            "Private Person"
            not in client.get(
                reverse("admin:articles_author_changelist") + "?q=private.person%40example.org"
            ).content.decode()
        )

    def test_writers_cannot_create_tags(self, writer, client_for):
        from taggit.models import Tag

        Tag.objects.create(name="Harbour")
        draft = draft_by(writer)
        client = client_for(writer)
        response = client.post(change_url(draft), form_data(refresh(draft), tags="harbour, Secret Merger"))
        assert response.status_code == 200
        assert "“Secret Merger” does not exist yet" in response.content.decode()
        assert not Tag.objects.filter(name="Secret Merger").exists()
        response = client.post(change_url(draft), form_data(refresh(draft), tags="harbour"))
        assert response.status_code == 302
        assert [t.name for t in refresh(draft).tags.all()] == ["Harbour"]

    def test_editors_can_create_tags(self, editor, client_for):
        draft = draft_by(editor)
        response = client_for(editor).post(change_url(draft), form_data(refresh(draft), tags="Brand New,"))
        assert response.status_code == 302
        assert [t.name for t in refresh(draft).tags.all()] == ["Brand New"]

    def test_a_writers_tag_filter_lists_only_tags_of_articles_they_can_see(self, writer, other_writer, client_for):
        mine = draft_by(writer)
        mine.tags.add("Harbour")
        theirs = draft_by(other_writer)
        theirs.tags.add("Secret Merger")
        page = client_for(writer).get(reverse("admin:articles_article_changelist")).content.decode()
        assert "Harbour" in page and "Secret Merger" not in page
