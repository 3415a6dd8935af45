"""The Google News sitemap, parsed as XML: the last 48 hours only, 1,000 at most, never a draft or a scheduled
article, named by the publisher in the language Google wants; older articles stay in the ordinary sitemap."""

from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, SiteSettings
from articles.public.seo import news_language
from articles.tests.factories import make_article

pytestmark = pytest.mark.django_db
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "news": "http://www.google.com/schemas/sitemap-news/0.9"}


def entries(client):
    """(address, name, language, title) of each entry, in order."""
    response = client.get(reverse("articles:news_sitemap"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    root = ElementTree.fromstring(response.content)  # noqa: S314 (our own sitemap)
    return [
        (
            url.findtext("s:loc", namespaces=NS),
            url.findtext("news:news/news:publication/news:name", namespaces=NS),
            url.findtext("news:news/news:publication/news:language", namespaces=NS),
            url.findtext("news:news/news:title", namespaces=NS),
        )
        for url in root.findall("s:url", NS)
    ]


def test_the_window_is_48_hours_and_never_holds_a_draft_or_a_scheduled_article(client, time_machine):
    """47h59 ago is in, 48h01 ago is out (and in the ordinary sitemap), drafts and scheduled articles never."""
    now = timezone.now()
    time_machine.move_to(now, tick=False)
    inside = make_article(title="Inside-7Q", published_at=now - timedelta(hours=47, minutes=59))
    outside = make_article(title="Outside-7Q", published_at=now - timedelta(hours=48, minutes=1))
    make_article(title="Draft-7Q", status=Article.Status.DRAFT, published_at=now - timedelta(hours=1))
    make_article(title="Scheduled-7Q", published_at=now + timedelta(hours=1))
    assert [title for *_, title in entries(client)] == ["Inside-7Q"]
    assert inside.get_absolute_url() in entries(client)[0][0]
    ordinary = client.get("/sitemap-articles.xml").content.decode()
    assert outside.get_absolute_url() in ordinary and inside.get_absolute_url() in ordinary


def test_at_most_1000_articles_the_newest(client):
    """1,001 articles of the last hours: the 1,000 newest are listed."""
    now = timezone.now()
    Article.objects.bulk_create(
        Article(title=f"Story {n}", slug=f"story-{n}", status=Article.Status.PUBLISHED,
                published_at=now - timedelta(minutes=n + 1))
        for n in range(1001)
    )  # fmt: skip
    titles = [title for *_, title in entries(client)]
    assert len(titles) == 1000 and titles[0] == "Story 0" and titles[-1] == "Story 999"


def test_the_publication_is_named_by_the_publisher_in_the_sites_language(client):
    """news:name is the publisher's name (the site's when none), news:language the site's as Google wants it."""
    site = SiteSettings.current()
    site.publisher_name, site.language = "Harbour Media", "zh-Hant-TW"
    site.save()
    make_article()
    assert {(name, language) for _, name, language, _ in entries(client)} == {("Harbour Media", "zh-tw")}
    site.publisher_name, site.language = "", "pt-BR"
    site.save()
    assert {(name, language) for _, name, language, _ in entries(client)} == {(site.name, "pt")}


@pytest.mark.parametrize(
    "tag, language",
    [("en", "en"), ("en-GB", "en"), ("pt-BR", "pt"), ("fil", "fil"), ("zh-CN", "zh-cn"), ("zh-Hans", "zh-cn"),
     ("zh-Hans-SG", "zh-cn"), ("zh-TW", "zh-tw"), ("zh-Hant", "zh-tw"), ("zh-HK", "zh-tw"), ("zh", "zh")],
)  # fmt: skip
def test_the_language_is_iso_639_but_for_chinese_scripts(tag, language):
    """ISO 639 codes, except Simplified and Traditional Chinese, which Google names zh-cn and zh-tw."""
    assert news_language(tag) == language


def test_control_characters_in_a_headline_or_the_publishers_name_leave_it_valid_xml(client):
    """Characters XML cannot carry, pasted into a headline or the publisher's name, are left out; the rest stays."""
    site = SiteSettings.current()
    site.publisher_name = "Harbour\x01 Media\x1b"
    site.save()
    make_article(title='Port\x02 <deal> & "terms"\x1f ]]>')
    assert [(name, title) for _, name, _, title in entries(client)] == [("Harbour Media", 'Port <deal> & "terms" ]]>')]
