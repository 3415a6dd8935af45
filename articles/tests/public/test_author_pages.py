"""Author pages and the author admin: role, expertise, bio, contact and the newsroom's standards, as readers see
them, and the admin's checks on what editors type."""

import re

import pytest
from django.urls import reverse

from articles.models import Author
from articles.site import newsroom_pages
from articles.tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db

AUTHOR_FORM = {"name": "Rosa Marin", "slug": "", "job_title": "", "bio": "", "expertise": "", "photo": "", "user": "",
               "email": "", "public_email": "", "website": "", "profiles": ""}  # fmt: skip


def author_form(**typed):
    return {**AUTHOR_FORM, **typed}


@pytest.fixture
def standards(monkeypatch):
    """The newsroom's ethics policy and contact page, as the app that keeps them would register them."""
    monkeypatch.setattr(newsroom_pages, "_PROVIDERS", [])
    newsroom_pages.register(
        lambda: [
            newsroom_pages.PageLink("Ethics policy", "/about/ethics/", "ethics", "ethicsPolicy"),
            newsroom_pages.PageLink("Contact and tips", "/about/contact/", "contact", "actionableFeedbackPolicy"),
            newsroom_pages.PageLink("Masthead", "/about/masthead/", "masthead", "masthead"),
        ]
    )


def reporter(**fields):
    author = make_author(
        "Rosa Marin",
        job_title="Health reporter",
        expertise="Public health\n\nHospitals\n",
        bio="Covers the *region's* hospitals.",
        public_email="rosa@newsroom.example",
        website="https://rosa.example/",
        profiles="https://social.example/@rosa\nhttps://code.example/rosa",
        **fields,
    )
    make_article(title="Ward reopens", authors=[author])
    return author


class TestAuthorAdmin:
    def test_an_editor_sets_role_expertise_profiles_and_public_email(self, client_for, editor):
        """The author form saves the role, the subjects, the profiles (blank lines dropped) and the public e-mail."""
        response = client_for(editor).post(
            reverse("admin:articles_author_add"),
            author_form(
                job_title="Health reporter",
                expertise="Hospitals\nPublic health",
                profiles="https://social.example/@rosa\n\n  https://code.example/rosa  ",
                public_email="rosa@newsroom.example",
            ),  # fmt: skip
        )
        assert response.status_code == 302
        author = Author.objects.get()
        assert (author.job_title, author.subjects) == ("Health reporter", ["Hospitals", "Public health"])
        assert author.profiles == "https://social.example/@rosa\nhttps://code.example/rosa"
        assert author.public_email == "rosa@newsroom.example"

    @pytest.mark.parametrize(
        ("profiles", "message"),
        [
            ("https://social.example/@rosa\nhttp://old.example/rosa", "Line 2, “http://old.example/rosa”, is not an"),
            ("social.example/@rosa", "Line 1, “social.example/@rosa”, is not an https:// address."),
            ("https://ok.example\n\njavascript:alert(1)", "Line 3, “javascript:alert(1)”, is not an https:// address."),
            ("https://exa mple.com/x", "Line 1, “https://exa mple.com/x”, is not an https:// address."),
        ],
    )
    def test_a_profile_that_is_not_an_https_address_is_named(self, client_for, editor, profiles, message):
        """Each line of the profiles that is not an https:// address is refused, named by its number and text."""
        response = client_for(editor).post(reverse("admin:articles_author_add"), author_form(profiles=profiles))
        assert response.status_code == 200
        assert message in " ".join(response.context["adminform"].form.errors["profiles"])
        assert not Author.objects.exists()

    def test_a_bad_public_email_is_a_form_error(self, client_for, editor):
        """The public e-mail must be an address."""
        response = client_for(editor).post(reverse("admin:articles_author_add"), author_form(public_email="rosa at"))
        assert response.context["adminform"].form.errors["public_email"] == ["Enter a valid email address."]

    def test_writers_see_the_public_fields_not_the_private_ones(self, client_for, writer):
        """A writer sees an author's role and public e-mail, never their private e-mail."""
        author = reporter(email="private-7q@newsroom.example")
        page = client_for(writer).get(reverse("admin:articles_author_change", args=[author.pk])).content.decode()
        assert "rosa@newsroom.example" in page and "Health reporter" in page
        assert "private-7q@newsroom.example" not in page


class TestAuthorPage:
    def test_the_page_shows_role_expertise_bio_and_contact(self, client, standards):
        """Role, expertise as a list, the bio, a mailto link, the website and each profile with rel="me"."""
        author = reporter()
        response = client.get(author.get_absolute_url())
        page = response.content.decode()
        assert page.count("<h1>") == 1
        assert '<p class="author-role">Health reporter</p>' in page
        assert "<ul><li>Public health</li><li>Hospitals</li></ul>" in page
        assert "Covers the <em>region&#x27;s</em> hospitals." in page or "Covers the <em>region’s</em>" in page
        assert '<a href="mailto:rosa@newsroom.example">rosa@newsroom.example</a>' in page
        assert '<a href="https://rosa.example/" rel="me noopener">' in page
        assert '<a href="https://social.example/@rosa" rel="me noopener">social.example/@rosa</a>' in page
        assert '<a href="https://code.example/rosa" rel="me noopener">code.example/rosa</a>' in page

    def test_the_page_links_the_ethics_policy_and_contact_page(self, client, standards):
        """The newsroom's ethics policy and contact page are linked, and no other of its pages."""
        page = client.get(reporter().get_absolute_url()).content.decode()
        standards = re.search(r'<p class="author-standards">(.*?)</p>', page).group(1)
        assert standards == (
            'How we work: <a href="/about/ethics/">Ethics policy</a> · <a href="/about/contact/">Contact and tips</a>'
        )

    def test_an_author_with_nothing_more_shows_no_empty_sections(self, client, monkeypatch):
        """No role, expertise, contact or registered pages: none of their headings or links is printed."""
        monkeypatch.setattr(newsroom_pages, "_PROVIDERS", [])
        author = make_author("Sam Plain")
        make_article(authors=[author])
        page = client.get(author.get_absolute_url()).content.decode()
        assert "Sam Plain" in page
        for marker in ("author-role", "author-expertise", "author-contact", "author-standards", "mailto:"):
            assert marker not in page

    def test_an_edit_in_the_admin_reaches_the_cached_page(self, client, client_for, editor, standards, settings):
        """The page is cached; an editor's change of role shows on the next visit."""
        author = reporter()
        reader = client.__class__()
        assert "Health reporter" in reader.get(author.get_absolute_url()).content.decode()
        assert reader.get(author.get_absolute_url())["X-Cache"] == "hit"
        data = author_form(name=author.name, slug=author.slug, job_title="Science editor", expertise=author.expertise,
                           public_email=author.public_email, website=author.website, profiles=author.profiles,
                           bio=author.bio)  # fmt: skip
        response = client_for(editor).post(reverse("admin:articles_author_change", args=[author.pk]), data)
        assert response.status_code == 302
        page = reader.get(author.get_absolute_url()).content.decode()
        assert "Science editor" in page and "Health reporter" not in page
        assert reader.get(author.get_absolute_url())["X-Cache"] == "hit"
