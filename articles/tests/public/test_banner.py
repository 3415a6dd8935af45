"""The breaking-news banner never gives away a story before it is out, and its link never leaves for another
site by a trick of spelling; through the pages (page cache on) and the admin."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Banner, ShareLink
from articles.tests.factories import make_article, make_author
from articles.workflow import transitions

pytestmark = pytest.mark.django_db

MS = timedelta(milliseconds=1)
PAGES = ["/", "/latest/", "/tags/", "/archive/", "/corrections/"]


@pytest.fixture
def moment():
    return timezone.now().replace(microsecond=0) + timedelta(minutes=5)


@pytest.fixture(autouse=True)
def front(db):
    return make_article(title="Harbour reopens")


def banner_to(link):
    return Banner.objects.create(text="Breaking: the story", link=link, expires_at=timezone.now() + timedelta(days=1))


def shown(client, url, slug):
    page = client.get(url).content.decode()
    assert ("Breaking: the story" in page) == (slug in page), url  # the slug shows only in the banner's link
    return "Breaking: the story" in page


UNSEEN = {
    "draft": {"status": Article.Status.DRAFT, "published_at": None},
    "in review": {"status": Article.Status.REVIEW, "published_at": None},
    "scheduled": {"published_at": timezone.now() + timedelta(days=1)},
    "embargoed": {"embargo_until": timezone.now() + timedelta(days=1)},
    "expired": {"expires_at": timezone.now() - timedelta(minutes=1)},
    "withdrawn": {"status": Article.Status.WITHDRAWN},
}


@pytest.mark.parametrize("state", UNSEEN)
@pytest.mark.parametrize("spelling", ["path", "full address", "share link"])
def test_a_banner_to_an_article_readers_cannot_see_is_not_shown(client, state, spelling):
    article = make_article(title="Merger agreed", slug="secret-merger-agreed", **UNSEEN[state])
    link = {"path": article.get_absolute_url(), "full address": f"http://127.0.0.1:8000{article.get_absolute_url()}",
            "share link": ShareLink.objects.create(article=article).get_absolute_url()}[spelling]  # fmt: skip
    banner_to(link)
    for url in PAGES:
        assert not shown(client, url, link), url


def test_a_banner_to_an_address_no_article_has_yet_is_not_shown(client):
    banner_to("/articles/secret-merger-agreed/")
    assert not shown(client, "/", "secret-merger-agreed")


@pytest.mark.parametrize("link", ["", "/sections/politics/", "https://example.org/live", "/articles/harbour-reopens/"])
def test_a_banner_to_anything_readers_can_see_is_shown(client, link):
    banner_to(link)
    for url in PAGES:
        assert shown(client, url, f'href="{link}"' if link else "Breaking: the story"), url


def test_a_banner_to_an_earlier_address_of_a_published_article_is_shown(client, front):
    front.slug = "harbour-reopens-at-last"
    front.save()
    banner_to("/articles/harbour-reopens/")
    assert shown(client, "/", 'href="/articles/harbour-reopens/"')


@pytest.mark.parametrize("when", ["published_at", "embargo_until"])
def test_the_banner_shows_the_moment_its_article_goes_out(client, moment, when, time_machine):
    """A scheduled publication or an embargo's end is a moment no cached page outlives, the banner included."""
    article = make_article(title="Merger agreed", slug="secret-merger-agreed", **{when: moment})
    banner_to(article.get_absolute_url())
    time_machine.move_to(moment - MS, tick=False)
    for url in PAGES:
        assert not shown(client, url, article.slug) and not shown(client, url, article.slug), url
    for now in (moment, moment + MS):
        time_machine.move_to(now, tick=False)
        for url in PAGES:
            assert shown(client, url, article.slug) and shown(client, url, article.slug), (url, now - moment)


def test_the_banner_shows_as_soon_as_its_draft_is_published(client, editor):
    article = make_article(title="Merger agreed", slug="secret-merger-agreed", status=Article.Status.DRAFT,
                           published_at=None, authors=[make_author("Ann Byline")])  # fmt: skip
    banner_to(article.get_absolute_url())
    assert not shown(client, "/", article.slug) and not shown(client, "/", article.slug)
    transitions.apply(article, "publish", editor)
    assert shown(client, "/", article.slug)


def form(link, **changes):
    now, later = timezone.localtime(), timezone.localtime() + timedelta(hours=2)
    return {"text": "Breaking: the story", "link": link, "starts_at_0": now.strftime("%Y-%m-%d"),
            "starts_at_1": now.strftime("%H:%M:%S"), "expires_at_0": later.strftime("%Y-%m-%d"),
            "expires_at_1": later.strftime("%H:%M:%S"), **changes}  # fmt: skip


def test_the_admin_warns_when_a_banner_leads_to_an_article_readers_cannot_see(client_for, editor, front):
    article = make_article(title="Merger agreed", published_at=timezone.now() + timedelta(hours=1))
    client = client_for(editor)
    page = client.post(reverse("admin:articles_banner_add"), form(article.get_absolute_url()), follow=True)
    text = page.content.decode()
    assert "Readers do not see this banner yet." in text and "“Merger agreed”, which readers cannot see yet" in text
    listing = client.get(reverse("admin:articles_banner_changelist")).content.decode()
    assert 'class="field-shown"><img src="/static/admin/img/icon-no.svg" alt="False">' in listing
    page = client.post(reverse("admin:articles_banner_add"), form(front.get_absolute_url()), follow=True)
    assert "Readers do not see this banner yet." not in page.content.decode()
    assert Banner.objects.count() == 2


@pytest.mark.parametrize(
    "link",
    ["/\\evil.example", "/\t/evil.example", "/\\/evil.example", "/\n/evil.example", "/\r\n/evil.example",
     "//evil.example", "///evil.example", "/\x00/evil.example", "/\u200b/evil.example", " //evil.example",
     "https://evil.example\\@127.0.0.1:8000/", "https://127.0.0.1:8000/\\evil", "javascript:alert(1)"],
)  # fmt: skip
def test_the_banner_form_refuses_links_that_browsers_read_as_another_site(client_for, editor, link):
    page = client_for(editor).post(reverse("admin:articles_banner_add"), form(link))
    assert page.status_code == 200 and not Banner.objects.exists(), repr(link)
    text = page.content.decode()
    reasons = ["A link has no backslashes", "single slash", "Enter a valid URL.", "Null characters are not allowed."]
    assert any(reason in text for reason in reasons), repr(link)


def test_a_stored_banner_with_such_a_link_is_not_shown(client):
    banner_to("/\\evil.example")
    assert not shown(client, "/", "evil.example")


@pytest.mark.parametrize(
    "link",
    ["/articles/secret-merger-agreed", "/articles/secret-merger-agreed//", "/./articles/secret-merger-agreed/",
     "/articles/x/../secret-merger-agreed/", "/Articles/secret-merger-agreed/", "/articles/SECRET-MERGER-AGREED/",
     "/articles/%2Fsecret-merger-agreed/", "/articles/secret-merger-agreed/amp/",
     "/articles/secret%2Dmerger%2Dagreed/", "http://localhost:8000/articles/secret-merger-agreed/",
     "http://desk@127.0.0.1:8000/articles/secret-merger-agreed/", "http://127.0.0.1:80/articles/secret-merger-agreed/",
     "https://social.example/share?u=http://127.0.0.1:8000/articles/secret-merger-agreed/"],
)  # fmt: skip
def test_no_spelling_of_a_link_names_an_article_readers_cannot_see(client, link):
    make_article(title="Merger agreed", slug="secret-merger-agreed", status=Article.Status.DRAFT, published_at=None)
    banner_to(link)
    for url in ["/", "/latest/"]:
        page = client.get(url).content.decode()
        assert "Breaking: the story" not in page and "secret-merger-agreed" not in page.lower(), (url, link)


@pytest.mark.parametrize("prefix", ["/./", "/x/../", "//"])
def test_a_share_link_spelled_with_dot_segments_is_checked_as_the_share_link(client, prefix):
    article = make_article(title="Merger agreed", status=Article.Status.DRAFT, published_at=None)
    share = ShareLink.objects.create(article=article).get_absolute_url()
    banner_to(prefix + share.lstrip("/"))
    assert not shown(client, "/", share.rstrip("/").rsplit("/", 1)[-1])
