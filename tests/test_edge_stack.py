"""Each freshness rule of the edge, through the whole chain: a change committed here (as an editor's save
commits it) is purged by a real Celery worker at a real ``varnishd`` in front of the app served by gunicorn, and
shows to an anonymous reader polling through Varnish. Every page is a hit at the edge before the change, so what
readers see next is the purge's doing; a page that shows nothing that changed stays a hit. A scheduled moment
needs no purge: the edge keeps no page past it. What is signed in, previewed, shared or posted is never stored.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, Banner, Correction, Pin, Section, SiteSettings
from articles.tests.factories import make_article, make_author
from edge.models import Purge
from tests.edgestack import wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("worker")]

EDGE_SECONDS = 3600  # long: within a test, only a purge (or a scheduled moment) can change a stored page


@pytest.fixture
def desk(edge):
    """Two sections with an article each, and the pages that show them."""
    harbour = Section.objects.create(name="Harbour", position=1)
    weather = Section.objects.create(name="Weather", position=2)
    ferries = make_article(title="Ferries run late", section=harbour, authors=[make_author()], tags=["Ferries"])
    storm = make_article(title="Storm passes north", section=weather, authors=[make_author()], tags=["Skies"])
    return {"harbour": harbour, "weather": weather, "ferries": ferries, "storm": storm}


def pages(article):
    section = article.section.slug
    return {
        "home": "/",
        "latest": "/latest/",
        "section": f"/sections/{section}/",
        "feed": "/feed/rss/",
        "section_feed": f"/sections/{section}/feed/rss/",
        "article": article.get_absolute_url(),
    }


def every_page_type(article):
    author = article.bylines.get().author.slug
    return pages(article) | {
        "tag": "/tags/ferries/",
        "tags": "/tags/",
        "author": f"/authors/{author}/",
        "corrections": "/corrections/",
        "archive": "/archive/",
        "missing": "/articles/no-such-story/",
    }


def test_a_publication_shows_on_every_list_that_holds_it(edge, desk):
    ferries = desk["ferries"]
    watch = pages(ferries) | {"tag": "/tags/ferries/"}
    del watch["article"]
    unrelated = desk["storm"].get_absolute_url()
    edge.cached(*watch.values(), unrelated)
    _, before, _ = edge.get(unrelated)
    draft = make_article(title="Night ferry returns", section=desk["harbour"], status="draft", published_at=None)
    draft.tags.add(Tag.objects.get(name="Ferries"))
    draft.status, draft.published_at = Article.Status.PUBLISHED, timezone.now() - timedelta(seconds=1)
    draft.save()
    for path in watch.values():
        edge.shows(path, "Night ferry returns")
    edge.shows(draft.get_absolute_url(), "Night ferry returns")
    # The other section's article shows nothing that changed: still the copy stored before, older now.
    status, after, _ = edge.get(unrelated)
    assert status == 200 and after["X-Cache"] == "HIT"
    assert after["X-Varnish"].split()[1] == before["X-Varnish"].split()[1]  # the very copy stored before
    assert int(after["Age"]) >= int(before["Age"])
    edge.wait_until(unrelated, lambda status, headers, body: int(headers["Age"]) > int(before["Age"]))
    assert edge.get(unrelated)[1]["X-Cache"] == "HIT"


def test_an_edit_shows_on_its_page_home_and_section(edge, desk):
    ferries = desk["ferries"]
    watch = [pages(ferries)[name] for name in ("article", "home", "section")]
    edge.cached(*watch)
    ferries.title = "Ferries run on time again"
    ferries.save()
    for path in watch:
        edge.shows(path, "Ferries run on time again")


def test_a_withdrawal_is_gone_from_its_page_home_and_feeds(edge, desk):
    ferries = desk["ferries"]
    watch = pages(ferries)
    edge.cached(*watch.values())
    ferries.status = Article.Status.WITHDRAWN
    ferries.withdrawal_note = "Withdrawn after a legal complaint."
    ferries.save()
    edge.wait_until(watch.pop("article"), lambda status, headers, body: status == 410)
    for path in watch.values():
        edge.hides(path, "Ferries run late")


def test_a_correction_shows_on_the_article_and_the_corrections(edge, desk):
    ferries = desk["ferries"]
    make_article(title="An older fix", section=desk["weather"]).corrections.create(text="An old correction.")
    watch = [ferries.get_absolute_url(), "/corrections/"]
    edge.cached(*watch)
    Correction.objects.create(article=ferries, text="An earlier version misnamed the pier.")
    for path in watch:
        edge.shows(path, "misnamed the pier")


def test_a_banner_shows_on_every_page_type(edge, desk):
    ferries = desk["ferries"]
    watch = [path for name, path in every_page_type(ferries).items() if "feed" not in name]  # feeds have none
    edge.cached(*watch)
    Banner.objects.create(text="Polls close at eight", expires_at=timezone.now() + timedelta(hours=2))
    for path in watch:
        edge.shows(path, "Polls close at eight")


def test_a_pin_shows_on_home(edge, desk):
    edge.cached("/")
    pinned = make_article(title="Pinned harbour story", section=desk["harbour"], status="draft")
    Pin.objects.create(article=pinned, place=Pin.Place.LEAD)  # a draft pinned shows nowhere yet
    pinned.status = Article.Status.PUBLISHED
    pinned.save()
    edge.shows("/", "Pinned harbour story")
    edge.cached("/")
    old_lead = Pin.objects.get()
    old_lead.delete()
    Pin.objects.create(article=desk["storm"], place=Pin.Place.LEAD)
    edge.wait_until("/", lambda status, headers, body: body.find("Storm passes north") < body.find("Pinned harbour"))


def test_a_site_settings_change_shows_on_every_page_type(edge, desk):
    ferries = desk["ferries"]
    watch = every_page_type(ferries).values()
    edge.cached(*watch)
    site = SiteSettings.load()
    site.name = "The Harbour Gazette"
    site.save()
    for path in watch:
        edge.shows(path, "The Harbour Gazette")


def test_a_scheduled_publication_shows_at_its_moment_without_a_purge(edge, desk):
    moment = timezone.now() + timedelta(seconds=3)
    make_article(title="Embargoed report lands", section=desk["harbour"], published_at=moment)
    wait_for(lambda: not Purge.objects.exists())
    purges = len(edge.edge.log('ReqMethod eq "PURGE"').split("<< Request")) - 1
    edge.cached("/")
    # The edge keeps the home page no longer than the time left to the moment: its TTL says so.
    left = (moment - timezone.now()).total_seconds()
    log = edge.edge.log('ReqURL eq "/" and BerespStatus == 200')
    ttls = [float(line.split()[3]) for line in log.splitlines() if line.split()[1:3] == ["TTL", "RFC"]]
    assert ttls and 0 < ttls[-1] <= left + 1, (ttls, left)
    edge.shows("/", "Embargoed report lands")
    assert len(edge.edge.log('ReqMethod eq "PURGE"').split("<< Request")) - 1 == purges


def test_a_banner_follows_its_story_when_it_moves_or_is_withdrawn(edge, desk):
    ferries, storm = desk["ferries"], desk["storm"]
    Banner.objects.create(text="Live: ferry strike", article=ferries, expires_at=timezone.now() + timedelta(hours=2))
    elsewhere = [storm.get_absolute_url(), "/tags/", "/corrections/"]  # pages that show nothing else of it
    edge.cached(*elsewhere)
    ferries.slug = "ferry-strike-live"
    ferries.save()
    for path in elsewhere:
        edge.shows(path, 'href="/articles/ferry-strike-live/"')
    edge.cached(*elsewhere)
    ferries.status = Article.Status.WITHDRAWN
    ferries.withdrawal_note = "Withdrawn."
    ferries.save()
    for path in elsewhere:
        edge.hides(path, "Live: ferry strike")


def test_signed_in_pages_previews_shares_and_posts_are_never_stored(edge, desk, settings):
    from django.contrib.auth.hashers import PBKDF2PasswordHasher
    from django.contrib.auth.models import User

    from articles.models import ShareLink

    password = "Edge-stack-pass-2026"
    User.objects.create(username="chief", is_staff=True, is_superuser=True,
                        password=PBKDF2PasswordHasher().encode(password, "edgestacksalt"))  # fmt: skip
    draft = make_article(title="Draft under embargo", status="draft", published_at=None)
    settings.SECRET_KEY = edge.env["DJANGO_SECRET_KEY"]  # a share link is signed as the app signs it
    share = ShareLink.objects.create(article=draft).get_absolute_url()
    public = ["/", desk["ferries"].get_absolute_url(), "/latest/"]
    edge.cached(*public)
    ages = {path: int(edge.get(path)[1]["Age"]) for path in public}
    session = sign_in(edge, "chief", password)
    signed_in = [*public, "/admin/", f"/preview/{draft.pk}/"]
    for path in signed_in:
        for _ in range(2):
            status, headers, body = edge.get(path, Cookie=session)
            assert status == 200 and headers["X-Cache"] == "MISS" and headers["Age"] == "0", (path, status)
    for _ in range(2):
        status, headers, body = edge.get(share)
        assert status == 200 and "Draft under embargo" in body and headers["X-Cache"] == "MISS"
        status, headers, _ = edge.edge.request("POST", "/search/", body=b"q=ferry", headers={
            "Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
        assert headers["X-Cache"] == "MISS" and headers["Age"] == "0"
    log = edge.edge.log('ReqHeader:Cookie ~ "sessionid="')
    requests = [block for block in log.split("\n\n") if "<< Request" in block]
    assert len(requests) == 2 * len(signed_in)
    assert all("VCL_call       PASS" in block and "VCL_call       HIT" not in block for block in requests)
    for path in public:  # readers still get the copy stored before, never the editor's
        status, headers, body = edge.get(path)
        assert headers["X-Cache"] == "HIT" and int(headers["Age"]) >= ages[path] and "Log out" not in body
        assert "Set-Cookie" not in headers
    status, _, body = edge.get(f"/preview/{draft.pk}/")
    assert "Draft under embargo" not in body and status != 200


def sign_in(edge, username, password):
    """Sign in through the edge with the admin's form; the Cookie header the browser would then send."""
    import re

    status, headers, body = edge.get("/admin/login/")
    csrf_cookie = re.search(r"csrftoken=([^;]+)", headers["Set-Cookie"]).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    form = f"csrfmiddlewaretoken={token}&username={username}&password={password}&next=/admin/"
    status, headers, _ = edge.edge.request("POST", "/admin/login/", body=form.encode(), headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={csrf_cookie}"})  # fmt: skip
    assert status == 302, status
    cookies = dict(re.match(r"([^=]+)=([^;]*)", cookie).groups() for cookie in headers.get_all("Set-Cookie"))
    return f"csrftoken={cookies.get('csrftoken', csrf_cookie)}; sessionid={cookies['sessionid']}"
