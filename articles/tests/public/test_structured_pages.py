"""The JSON-LD of the front page (the publisher and the website) and of an author's page (a ProfilePage), as a
crawler reads it, checked offline against schema.org's vocabulary and Google's requirements."""

import datetime
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from articles.models import SiteSettings, site_today
from articles.tests.factories import make_article, make_author, make_picture
from tests import structured_data
from tests.structured_data import extract, page_problems, recommended_missing

pytestmark = pytest.mark.django_db
SITE = "http://127.0.0.1:8000"


def read(client, path):
    page = client.get(path).content.decode()
    assert page_problems(page) == []
    return extract(page)


def test_the_front_page_names_the_publisher_with_its_policies_and_the_website(client, policies):
    """Two blocks: the NewsMediaOrganization (name, address, logo, profiles, each policy page) and the WebSite,
    whose publisher it is."""
    site = SiteSettings.current()
    site.publisher_name, site.tagline = "Harbour Media", "News from the quay."
    site.social_profiles = "https://social.example/@harbour\nnot an address"
    site.save()
    make_article()
    organization, website = read(client, "/")
    assert organization == {
        "@context": "https://schema.org",
        "@id": SITE + "/#publisher",
        "@type": "NewsMediaOrganization",
        "name": "Harbour Media",
        "url": SITE + "/",
        "logo": {"@type": "ImageObject", "url": SITE + "/static/logo.png", "contentUrl": SITE + "/static/logo.png"},
        "sameAs": ["https://social.example/@harbour"],
        "ethicsPolicy": SITE + "/about/ethics/",
        "correctionsPolicy": SITE + "/about/corrections/",
        "masthead": SITE + "/about/masthead/",
        "actionableFeedbackPolicy": SITE + "/about/contact/",
        "publishingPrinciples": SITE + "/about/ethics/",
    }
    assert website == {
        "@context": "https://schema.org", "@type": "WebSite", "name": site.name, "url": SITE + "/",
        "inLanguage": site.language, "publisher": {"@id": SITE + "/#publisher"}, "description": "News from the quay.",
    }  # fmt: skip
    assert recommended_missing(organization) == set()


def test_the_front_page_of_a_newsroom_without_pages_names_no_policy(client):
    """No newsroom pages registered: the publisher alone, still valid."""
    organization, _ = read(client, "/")
    assert organization["@type"] == "NewsMediaOrganization" and "ethicsPolicy" not in organization


def test_an_author_page_is_a_profile_page_of_a_person(client):
    """Name, page, role, subjects, profiles and website, photo with its rights, bio as plain text, public e-mail."""
    photo = make_picture(alt="Ana", credit="Staff", licence_url="https://licence.example/")
    author = make_author("Ana Ruiz", job_title="Health editor", expertise="Public health\n\nHospitals  \n",
                         profiles="https://social.example/@ana\nhttp://insecure.example/ana",
                         website="https://ana.example/", bio="Covers **health** & care.", photo=photo,
                         public_email="ana@news.example", email="private@news.example")  # fmt: skip
    make_article(authors=[author])
    (profile,) = read(client, author.get_absolute_url())
    person = profile["mainEntity"]
    assert profile["@type"] == "ProfilePage" and profile["url"] == person["url"] == f"{SITE}/authors/ana-ruiz/"
    assert person["@type"] == "Person" and person["name"] == "Ana Ruiz" and person["jobTitle"] == "Health editor"
    assert person["knowsAbout"] == ["Public health", "Hospitals"]
    assert person["sameAs"] == ["https://social.example/@ana", "https://ana.example/"]
    assert person["description"] == "Covers health & care." and person["email"] == "ana@news.example"
    assert person["image"]["@type"] == "ImageObject" and person["image"]["license"] == "https://licence.example/"
    assert "private@news.example" not in client.get(author.get_absolute_url()).content.decode()


def test_an_author_with_only_a_name_is_a_person_with_only_a_name_and_page(client):
    """Nothing empty is stated: no e-mail unless public, no role, subjects or profiles when not set."""
    author = make_author("Ben Ode", email="private@news.example")
    make_article(authors=[author])
    (profile,) = read(client, author.get_absolute_url())
    assert profile["mainEntity"] == {"@type": "Person", "name": "Ben Ode", "url": f"{SITE}/authors/ben-ode/"}


def test_an_author_photo_whose_rights_ended_is_not_named(client, time_machine):
    """From the day the photo's rights run out, the Person has no image, with no edit."""
    photo = make_picture(alt="Cy", rights_expire_on=site_today() + datetime.timedelta(days=1))
    author = make_author("Cy Dee", photo=photo)
    make_article(authors=[author])
    assert "image" in read(client, author.get_absolute_url())[0]["mainEntity"]
    time_machine.move_to(timezone.now() + datetime.timedelta(days=2))
    assert "image" not in read(client, author.get_absolute_url())[0]["mainEntity"]


def test_an_author_edit_shows_in_the_profile_page(client):
    """A new role and new subjects show at once (the author's page is retired from the page cache)."""
    author = make_author("Di Eve", job_title="Reporter")
    make_article(authors=[author])
    assert read(client, author.get_absolute_url())[0]["mainEntity"]["jobTitle"] == "Reporter"
    author.job_title, author.expertise = "Editor", "Courts"
    author.save()
    person = read(client, author.get_absolute_url())[0]["mainEntity"]
    assert person["jobTitle"] == "Editor" and person["knowsAbout"] == ["Courts"]


def test_the_site_check_follows_the_front_pages_links_and_fails_on_an_error(client, monkeypatch, capsys):
    """``make structured-data``'s check reads the front page and the pages it links to; an error makes it fail."""
    author = make_author("Ana Ruiz", job_title="Reporter")
    article = make_article(title="Checked-7Q", authors=[author])
    monkeypatch.setattr(structured_data, "fetch", lambda url: client.get(urlsplit(url).path).content.decode())
    assert structured_data.main([SITE + "/"]) == 0
    printed = capsys.readouterr().out
    for url in (SITE + "/", SITE + article.get_absolute_url(), SITE + author.get_absolute_url()):
        assert f"{url}: 0 error(s)" in printed
    monkeypatch.setattr(structured_data, "GOOGLE_REQUIRED", structured_data.GOOGLE_REQUIRED | {"Person": {"email"}})
    assert structured_data.main([SITE + author.get_absolute_url()]) == 1
    assert "Person lacks email (required)" in capsys.readouterr().out
