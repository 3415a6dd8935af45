"""The curated front page, the breaking-news banner and the site settings, through the admin and the pages."""

import io
import json
import re
from datetime import timedelta

import feedparser
import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from articles.models import Article, Banner, Pin, Section, SiteSettings
from articles.tests.factories import make_article
from articles.workflow import transitions

pytestmark = pytest.mark.django_db


def titles(page):
    return re.findall(r'<h2 class="card-title[^"]*"><a href="[^"]+">([^<]+)</a></h2>', page)


def block(page, heading_id):
    match = re.search(rf'<section class="front-section" aria-labelledby="{heading_id}">(.*?)</section>', page, re.S)
    return titles(match.group(1)) if match else []


@pytest.fixture
def newsroom():
    sections = {name: Section.objects.create(name=name, position=n) for n, name in enumerate(["Politics", "World"])}
    stories = {}
    for n in range(14):
        section = sections["Politics"] if n % 2 else sections["World"]
        stories[n] = make_article(
            title=f"Story {n}", section=section, published_at=timezone.now() - timedelta(hours=n + 1)
        )
    return sections, stories


def test_the_pinned_lead_and_top_stories_open_the_front_page_and_nothing_appears_twice(client, newsroom):
    _, stories = newsroom
    Pin.objects.create(article=stories[9], place=Pin.Place.LEAD)
    Pin.objects.create(article=stories[5], position=2)
    Pin.objects.create(article=stories[12], position=1)
    page = client.get("/").content.decode()
    shown = titles(page)
    assert shown[:3] == ["Story 9", "Story 12", "Story 5"]
    assert 'class="card-title lead-title"><a href="/articles/story-9/">' in page
    assert len(shown) == len(set(shown)) == 14  # every story once: the lead, the top, the sections, the rest
    assert block(page, "front-world") == ["Story 0", "Story 2", "Story 4"]
    assert block(page, "front-politics") == ["Story 1", "Story 3", "Story 7"]
    assert block(page, "front-latest") == ["Story 6", "Story 8", "Story 10", "Story 11", "Story 13"]


def test_without_pins_the_newest_story_leads(client, newsroom):
    page = client.get("/").content.decode()
    assert titles(page)[0] == "Story 0" and "Top stories" not in page


def test_a_pinned_article_readers_may_not_see_simply_drops_out(client, newsroom, editor):
    _, stories = newsroom
    draft = make_article(title="Pinned draft", status=Article.Status.DRAFT, published_at=None)
    scheduled = make_article(title="Pinned for later", published_at=timezone.now() + timedelta(hours=2))
    Pin.objects.create(article=draft, place=Pin.Place.LEAD)
    Pin.objects.create(article=scheduled, position=1)
    Pin.objects.create(article=stories[3], position=2)
    transitions.apply(stories[3], "withdraw", editor, public_note="Legal")
    response = client.get("/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Pinned draft" not in page and "Pinned for later" not in page and "Story 3" not in page
    assert titles(page)[0] == "Story 0"


def test_a_pin_expires_by_itself(client, newsroom, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    _, stories = newsroom
    Pin.objects.create(article=stories[13], place=Pin.Place.LEAD, expires_at=timezone.now() + timedelta(minutes=10))
    assert titles(client.get("/").content.decode())[0] == "Story 13"
    assert client.get("/")["X-Cache"] == "hit"
    time_machine.shift(timedelta(minutes=10, seconds=1))
    response = client.get("/")
    assert response["X-Cache"] == "miss" and titles(response.content.decode())[0] == "Story 0"


def test_every_front_page_change_retires_the_cached_page(client, newsroom, client_for, editor):
    sections, stories = newsroom
    client.get("/")
    assert client.get("/")["X-Cache"] == "hit"
    pin = Pin.objects.create(article=stories[13], place=Pin.Place.LEAD)
    response = client.get("/")
    assert response["X-Cache"] == "miss" and titles(response.content.decode())[0] == "Story 13"
    pin.delete()
    assert titles(client.get("/").content.decode())[0] == "Story 0"
    sections["World"].name = "International"
    sections["World"].save()
    page = client.get("/").content.decode()
    assert ">International</a></h2>" in page and ">International</a></li>" in page
    article = client.get(stories[0].get_absolute_url()).content.decode()
    assert '"articleSection":"International"' in article and ">International</a></p>" in article


def test_editors_pin_stories_in_the_admin_and_writers_cannot(client_for, editor, writer, newsroom):
    _, stories = newsroom
    data = {"article": stories[4].pk, "place": "lead", "position": 0, "expires_at_0": "", "expires_at_1": ""}
    assert client_for(writer).post(reverse("admin:articles_pin_add"), data).status_code == 403
    assert not Pin.objects.exists()
    client = client_for(editor)
    response = client.post(reverse("admin:articles_pin_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    pin = Pin.objects.get()
    assert pin.article == stories[4] and pin.pinned_by == editor
    client.logout()
    assert titles(client.get("/").content.decode())[0] == "Story 4"


# The breaking-news banner


def test_a_live_banner_shows_on_every_reader_page_and_leaves_at_its_expiry(client, newsroom, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    _, stories = newsroom
    pages = [
        "/",
        "/latest/",
        "/sections/politics/",
        stories[0].get_absolute_url(),
        "/tags/",
        "/archive/",
        "/search/?q=x",
    ]
    for url in pages:
        client.get(url)  # cached before the banner
    Banner.objects.create(text="Polls close at 8 p.m.", link="/sections/politics/",
                          expires_at=timezone.now() + timedelta(minutes=30))  # fmt: skip
    for url in pages:
        page = client.get(url).content.decode()
        assert '<p class="breaking" role="status"><strong>Breaking</strong> <a href="/sections/politics/">' \
               "Polls close at 8 p.m.</a></p>" in page, url  # fmt: skip
    time_machine.shift(timedelta(minutes=30, seconds=1))  # no job runs: the cache never outlives the expiry
    for url in pages:
        assert "Polls close" not in client.get(url).content.decode(), url


def test_a_banner_scheduled_for_later_appears_at_its_time(client, newsroom, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    Banner.objects.create(text="Results expected", starts_at=timezone.now() + timedelta(minutes=5),
                          expires_at=timezone.now() + timedelta(hours=1))  # fmt: skip
    assert "Results expected" not in client.get("/").content.decode()
    time_machine.shift(timedelta(minutes=5, seconds=1))
    assert "Results expected" in client.get("/").content.decode()


def test_the_banner_form_refuses_bad_links_and_backwards_times(client_for, editor, writer):
    now = timezone.localtime()
    earlier = now - timedelta(hours=1)  # the day before, in the first hour of a day
    data = {"text": "Storm", "link": "javascript:alert(1)", "starts_at_0": now.strftime("%Y-%m-%d"),
            "starts_at_1": now.strftime("%H:%M:%S"), "expires_at_0": earlier.strftime("%Y-%m-%d"),
            "expires_at_1": earlier.strftime("%H:%M:%S")}  # fmt: skip
    assert client_for(writer).post(reverse("admin:articles_banner_add"), data).status_code == 403
    page = client_for(editor).post(reverse("admin:articles_banner_add"), data).content.decode()
    assert "Enter a valid URL." in page and "The banner must end after it starts." in page
    assert not Banner.objects.exists()


# The site settings


def png(name="logo.png", size=(900, 300)):
    out = io.BytesIO()
    Image.new("RGB", size, (150, 30, 30)).save(out, "PNG")
    out.name = name
    out.seek(0)
    return out


def settings_form(**changes):
    site = SiteSettings.load()
    data = {name: getattr(site, name) for name in ("name", "tagline", "public_url", "publisher_name", "language",
                                                   "time_zone", "footer_text", "contact_email", "twitter_handle",
                                                   "social_profiles", "headline_limit", "version")}  # fmt: skip
    return {**data, **changes}


def test_one_settings_record_made_by_the_migration_from_the_environment(client_for, editor):
    assert SiteSettings.objects.count() == 1
    site = SiteSettings.objects.get()
    assert (site.name, site.public_url, site.language, site.time_zone) == ("Newsroom", "http://127.0.0.1:8000",
                                                                           "en-us", "UTC")  # fmt: skip
    client = client_for(editor)
    assert client.get(reverse("admin:articles_sitesettings_changelist"))["Location"] == reverse(
        "admin:articles_sitesettings_change", args=[site.pk]
    )
    assert client.get(reverse("admin:articles_sitesettings_add")).status_code == 403
    assert (
        client.post(reverse("admin:articles_sitesettings_delete", args=[site.pk]), {"post": "yes"}).status_code == 403
    )
    assert SiteSettings.objects.count() == 1


def test_the_sites_identity_edited_in_the_admin_reaches_everything(client_for, editor, writer, newsroom, media_root):
    """Pages, feeds, JSON-LD, Open Graph and the admin read the settings; the cached pages are retired."""
    _, stories = newsroom
    reader = client_for(editor).__class__()
    before = reader.get(stories[0].get_absolute_url()).content.decode()
    assert "<title>Story 0 — Newsroom</title>" in before
    reader.get("/feed/rss/")
    changes = lambda: settings_form(  # noqa: E731 - new files for each post
                            name="The Harbour Gazette", tagline="News from the bay", public_url="https://gazette.example/",
                            publisher_name="Gazette Media", twitter_handle="gazette", language="en-gb",
                            time_zone="Europe/Lisbon", footer_text="Printed on the quay.",
                            contact_email="desk@gazette.example", logo=png(), publisher_logo=png("pub.png"),
                            social_image=png("social.png", (2000, 2000)))  # fmt: skip
    assert (
        client_for(writer).post(reverse("admin:articles_sitesettings_change", args=[1]), changes()).status_code == 403
    )
    client = client_for(editor)
    response = client.post(reverse("admin:articles_sitesettings_change", args=[1]), changes())
    assert response.status_code == 302, response.context["adminform"].form.errors
    admin_page = client.get(reverse("admin:index")).content.decode()
    assert "The Harbour Gazette newsroom" in admin_page and "Django administration" not in admin_page
    client.logout()
    assert "The Harbour Gazette newsroom" in client.get(reverse("admin:login")).content.decode()

    site = SiteSettings.load()
    assert site.public_url == "https://gazette.example" and site.twitter_handle == "@gazette"
    assert Image.open(site.social_image).size == (1200, 630) and Image.open(site.logo).size == (600, 200)
    page = reader.get(stories[0].get_absolute_url()).content.decode()
    assert "<title>Story 0 — The Harbour Gazette</title>" in page and '<html lang="en-gb">' in page
    assert '<meta name="twitter:site" content="@gazette">' in page and "Printed on the quay." in page
    assert 'href="mailto:desk@gazette.example"' in page and f'src="{site.logo.url}"' in page
    assert f'<link rel="canonical" href="https://gazette.example{stories[0].get_absolute_url()}">' in page
    news = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page).group(1))
    assert news["publisher"]["name"] == "Gazette Media" and news["inLanguage"] == "en-gb"
    assert news["publisher"]["logo"]["url"] == "https://gazette.example" + site.publisher_logo.url
    assert re.search(r'<time datetime="[^"]+">\d+ \w+ \d{4}, \d\d:\d\d WE[S]?T</time>', page)  # Lisbon time
    home = reader.get("/").content.decode()
    assert f'<meta property="og:image" content="https://gazette.example{site.social_image.url}">' in home
    feed = feedparser.parse(reader.get("/feed/rss/").content)
    assert feed.feed.title == "The Harbour Gazette" and feed.feed.language == "en-gb"
    assert feed.entries[0].link == "https://gazette.example" + stories[0].get_absolute_url()
    assert feed.entries[0].id.startswith("tag:gazette.example,")


def test_the_settings_refuse_a_bad_handle_language_or_time_zone(client_for, editor):
    bad = settings_form(twitter_handle="not a handle!", language="english please", time_zone="Mars/Olympus")
    page = client_for(editor).post(reverse("admin:articles_sitesettings_change", args=[1]), bad).content.decode()
    assert "A handle such as @newsroom" in page and "A language tag such as en" in page
    assert "Select a valid choice" in page and SiteSettings.load().twitter_handle == ""


def test_the_settings_save_again_once_a_logo_is_stored(client_for, editor):
    """With a logo stored, the form saves unchanged, with a new name, with a social image and with a publisher
    logo (the stored logo is not read again); a bad upload is still refused on the form."""
    client = client_for(editor)
    url = reverse("admin:articles_sitesettings_change", args=[1])
    assert client.post(url, settings_form(logo=png())).status_code == 302
    logo = SiteSettings.load().logo.name
    assert client.post(url, settings_form()).status_code == 302
    assert client.post(url, settings_form(name="Logo Gazette 7Q")).status_code == 302
    assert client.post(url, settings_form(social_image=png("social.png", (2000, 2000)))).status_code == 302
    assert client.post(url, settings_form(publisher_logo=png("pub.png"))).status_code == 302
    site = SiteSettings.load()
    assert site.name == "Logo Gazette 7Q" and site.logo.name == logo
    assert (site.logo_width, site.logo_height) == (600, 200)
    assert Image.open(site.social_image).size == (1200, 630) and Image.open(site.publisher_logo).size == (600, 200)
    broken = io.BytesIO(b"GIF89a" + b"\x00" * 200)
    broken.name = "broken.gif"
    refused = client.post(url, settings_form(name="Not saved", social_image=broken))
    assert refused.status_code == 200 and refused.context["adminform"].form.errors["social_image"]
    assert SiteSettings.load().name == "Logo Gazette 7Q" and SiteSettings.load().social_image == site.social_image
    default_storage.delete(logo)  # a logo lost from storage leaves the rest of the settings editable
    assert client.post(url, settings_form(name="Logo Gazette 8Q")).status_code == 302
    assert SiteSettings.load().name == "Logo Gazette 8Q" and SiteSettings.load().logo.name == logo


def test_settings_opened_before_someone_saved_are_refused_and_store_nothing(
    client_for, editor, admin_user, media_root, django_capture_on_commit_callbacks
):
    """Two pages opened at the same version: the first save wins; the second is refused with both names shown,
    and the logo it uploaded is not stored."""
    url = reverse("admin:articles_sitesettings_change", args=[1])
    theirs, mine = settings_form(name="Their Gazette 7Q"), settings_form(name="My Gazette 7Q")
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for(editor).post(url, theirs | {"logo": png()}).status_code == 302
    stored = sorted(path for path in media_root.rglob("*") if path.is_file())
    response = client_for(admin_user).post(url, mine | {"logo": png("mine.png")})
    page = response.content.decode()
    assert response.status_code == 200 and "eddie saved the site settings" in page
    table = re.sub(
        r"\s+", " ", re.sub(r"<[^>]+>", " ", re.search(r"<table class='stale-values'.*?</table>", page).group(0))
    )
    assert "Name Their Gazette 7Q My Gazette 7Q" in table and "mine.png (new)" in table
    site = SiteSettings.load()
    assert (
        site.name == "Their Gazette 7Q" and sorted(path for path in media_root.rglob("*") if path.is_file()) == stored
    )
    assert [path.name for path in stored] == [site.logo.name.rsplit("/", 1)[-1]]


def test_the_500_page_names_the_site_as_last_read_without_asking_the_database(client, monkeypatch):
    from articles.public import views

    site = SiteSettings.load()
    site.name = "The Harbour Gazette"
    site.save()
    make_article()
    client.get("/tags/")  # this process reads the settings

    def broken(self):
        raise RuntimeError("boom")

    monkeypatch.setattr(views.ArticleListView, "get_queryset", broken)
    client.raise_request_exception = False
    response = client.get("/latest/")
    assert response.status_code == 500 and "The Harbour Gazette" in response.content.decode()
