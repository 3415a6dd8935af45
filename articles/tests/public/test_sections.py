"""Sections: fronts, navigation, feeds, sitemap, breadcrumbs and JSON-LD, renamed addresses (import and export are
tested in interchange/tests/test_sections.py)."""

import json
import re
from datetime import timedelta

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Section, SectionAlias
from articles.tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db


@pytest.fixture
def politics():
    return Section.objects.create(name="Politics", position=2, description="The council and the region.")


@pytest.fixture
def world():
    return Section.objects.create(name="World", position=1)


def json_ld(page):
    return [json.loads(block) for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', page)]


def test_a_section_front_leads_with_its_newest_story_and_lists_only_its_own(client, politics, world):
    older = make_article(title="Budget talks stall", section=politics, published_at=timezone.now() - timedelta(hours=3))
    newest = make_article(title="Night buses approved", section=politics, lead_image_url="https://img.example/bus.jpg")
    make_article(title="Ceasefire talks resume", section=world)
    make_article(title="Draft about the council", section=politics, status=Article.Status.DRAFT, published_at=None)
    page = client.get("/sections/politics/").content.decode()
    assert "<h1>Politics" in page and "The council and the region." in page
    assert page.index(newest.title) < page.index(older.title) and 'class="card card-lead"' in page
    assert "Ceasefire talks resume" not in page and "Draft about the council" not in page
    assert 'href="/sections/politics/feed/rss/"' in page


def test_a_section_front_is_paginated_like_the_other_lists(client, politics):
    for n in range(25):
        make_article(title=f"Council story {n}", section=politics, published_at=timezone.now() - timedelta(hours=n + 1))
    second = client.get("/sections/politics/?page=2").content.decode()
    assert second.count('class="card-title"') == 5 and "Council story 24" in second
    assert client.get("/sections/politics/?page=3").status_code == 404


def test_a_section_with_nothing_published_does_not_exist_for_readers(client, politics):
    make_article(title="Only a draft", section=politics, status=Article.Status.DRAFT, published_at=None)
    make_article(title="Only scheduled", section=politics, published_at=timezone.now() + timedelta(hours=1))
    assert client.get("/sections/politics/").status_code == 404
    assert client.get("/sections/politics/feed/rss/").status_code == 404
    assert client.get("/sections/nowhere/").status_code == 404
    assert "/sections/politics/" not in client.get("/").content.decode()  # not in the navigation either
    assert "/sections/politics/" not in client.get("/sitemap-sections.xml").content.decode()


def test_navigation_follows_the_editors_order_and_marks_the_current_section(client, politics, world):
    hidden = Section.objects.create(name="Obituaries", in_navigation=False)
    for section in (politics, world, hidden):
        make_article(title=f"A {section.name} story", section=section)
    nav = re.search(r'<nav class="site-nav".*?</nav>', client.get("/").content.decode(), re.S).group()
    assert nav.index(">World<") < nav.index(">Politics<") and "Obituaries" not in nav
    section_nav = re.search(r'<nav class="site-nav".*?</nav>', client.get("/sections/world/").content.decode(), re.S)
    assert '<a href="/sections/world/" aria-current="page">World</a>' in section_nav.group()
    article = Article.objects.get(title="A Politics story")
    article_nav = re.search(r'<nav class="site-nav".*?</nav>', client.get(article.get_absolute_url()).content.decode(),
                            re.S).group()  # fmt: skip
    assert '<a href="/sections/politics/" aria-current="true">Politics</a>' in article_nav
    assert client.get("/sections/obituaries/").status_code == 200  # out of the navigation, still a front


def test_the_section_is_the_kicker_else_the_first_tag(client, politics):
    filed = make_article(title="Filed story", section=politics, tags=["Buses", "Council"])
    unfiled = make_article(title="Unfiled story", tags=["Harbour"])
    assert (
        '<p class="kicker"><a href="/sections/politics/">Politics</a></p>'
        in client.get(filed.get_absolute_url()).content.decode()
    )
    assert (
        '<p class="kicker"><a href="/tags/harbour/">Harbour</a></p>'
        in client.get(unfiled.get_absolute_url()).content.decode()
    )


def test_an_article_has_a_breadcrumb_and_its_section_in_json_ld(client, politics):
    article = make_article(title="Night buses approved", section=politics, authors=[make_author("Ana Ruiz")])
    page = client.get(article.get_absolute_url()).content.decode()
    crumbs = re.search(r'<nav class="breadcrumb" aria-label="Breadcrumb">(.*?)</nav>', page, re.S).group(1)
    assert re.findall(r">([^<>]+)</(?:a|span)>", crumbs) == ["Newsroom", "Politics", "Night buses approved"]
    assert '<span aria-current="page">Night buses approved</span>' in crumbs
    news, trail = json_ld(page)
    assert news["@type"] == "NewsArticle" and news["articleSection"] == "Politics"
    assert trail["@type"] == "BreadcrumbList"
    assert [(i["position"], i["name"], i["item"]) for i in trail["itemListElement"]] == [
        (1, "Newsroom", "http://127.0.0.1:8000/"),
        (2, "Politics", "http://127.0.0.1:8000/sections/politics/"),
        (3, "Night buses approved", "http://127.0.0.1:8000" + article.get_absolute_url()),
    ]
    assert '<meta property="article:section" content="Politics">' in page


def test_an_article_without_a_section_has_a_shorter_trail(client):
    article = make_article(title="Unfiled story")
    news, trail = json_ld(client.get(article.get_absolute_url()).content.decode())
    assert "articleSection" not in news and [i["name"] for i in trail["itemListElement"]] == [
        "Newsroom",
        "Unfiled story",
    ]


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
def test_section_feeds_carry_only_the_sections_published_articles(client, politics, world, fmt):
    make_article(title="Council story", section=politics)
    make_article(title="World story", section=world)
    make_article(title="Council draft", section=politics, status=Article.Status.DRAFT, published_at=None)
    response = client.get(f"/sections/politics/feed/{fmt}/")
    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo or fmt == "json", parsed.bozo_exception
    if fmt == "json":
        titles = [item["title"] for item in json.loads(response.content)["items"]]
        assert json.loads(response.content)["title"] == "Newsroom: Politics"
    else:
        titles = [entry.title for entry in parsed.entries]
        assert parsed.feed.title == "Newsroom: Politics"
        assert parsed.entries[0].tags[0].term == "Politics"
    assert titles == ["Council story"]
    again = client.get(f"/sections/politics/feed/{fmt}/", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_sections_with_published_articles_are_in_the_sitemap(client, politics, world):
    make_article(section=politics)
    index = client.get("/sitemap.xml").content.decode()
    assert "sitemap-sections.xml" in index
    sitemap = client.get("/sitemap-sections.xml").content.decode()
    assert "<loc>http://127.0.0.1:8000/sections/politics/</loc>" in sitemap and "/sections/world/" not in sitemap


def test_renaming_a_sections_slug_keeps_its_old_addresses(client, politics):
    make_article(title="Council story", section=politics)
    politics.slug = "government"
    politics.save()
    front = client.get("/sections/politics/?page=1")
    assert front.status_code == 301 and front["Location"] == "/sections/government/?page=1"
    feed = client.get("/sections/politics/feed/atom/")
    assert feed.status_code == 301 and feed["Location"] == "/sections/government/feed/atom/"
    assert client.get("/sections/government/").status_code == 200
    # Renamed back, the address is the section's own again and no alias points at itself.
    politics.slug = "politics"
    politics.save()
    assert client.get("/sections/politics/").status_code == 200
    assert list(SectionAlias.objects.values_list("slug", flat=True)) == ["government"]
    assert client.get("/sections/government/")["Location"] == "/sections/politics/"


def test_a_new_section_never_takes_an_old_address_of_another(politics):
    politics.slug = "government"
    politics.save()
    assert Section.objects.create(name="Government").slug == "government-2"


def test_the_admin_refuses_a_slug_that_leads_to_another_section(client_for, editor, politics):
    politics.slug = "government"
    politics.save()
    response = client_for(editor).post(
        reverse("admin:articles_section_add"),
        {"name": "Politics again", "slug": "politics", "description": "", "position": 3, "in_navigation": "on",
         "aliases-TOTAL_FORMS": 0, "aliases-INITIAL_FORMS": 0},
    )  # fmt: skip
    assert response.status_code == 200 and "is an old address of “Politics”" in response.content.decode()
    assert Section.objects.count() == 1


@pytest.mark.parametrize("name", ["Embargo  Desk", "Embargo\tDesk", " Embargo \u00a0Desk ", "EMBARGO desk"])
def test_a_section_name_the_same_but_for_spacing_or_case_is_refused_naming_the_section(client_for, editor, name):
    """A name that is stored the same as another's (spaces collapsed, letter case aside) is refused in the
    form, saying which section has it, instead of reaching the unique index."""
    desk = Section.objects.create(name="Embargo Desk")
    response = client_for(editor).post(
        reverse("admin:articles_section_add"),
        {"name": name, "slug": "", "description": "", "position": 3, "in_navigation": "on",
         "aliases-TOTAL_FORMS": 0, "aliases-INITIAL_FORMS": 0},
    )  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 200
    assert f"The section “Embargo Desk” (id {desk.pk}) already has this name" in page
    assert "section_name_unique_ci" not in page
    assert list(Section.objects.values_list("name", flat=True)) == ["Embargo Desk"]


def test_renaming_a_section_to_another_sections_name_is_refused_but_its_own_spacing_may_change(client_for, editor):
    """An edit is checked against the other sections only: tidying a section's own name is no clash."""
    Section.objects.create(name="Embargo Desk")
    night = Section.objects.create(name="Night  desk")
    url = reverse("admin:articles_section_change", args=[night.pk])
    data = {"slug": night.slug, "description": "", "position": 0, "in_navigation": "on",
            "aliases-TOTAL_FORMS": 0, "aliases-INITIAL_FORMS": 0}  # fmt: skip
    client = client_for(editor)
    assert "already has this name" in client.post(url, {**data, "name": "embargo   desk"}).content.decode()
    assert client.post(url, {**data, "name": "Night\tDesk"}).status_code == 302
    assert Section.objects.get(pk=night.pk).name == "Night Desk"


def test_a_section_with_articles_cannot_be_deleted_from_under_them(client_for, editor, politics):
    make_article(section=politics)
    response = client_for(editor).post(reverse("admin:articles_section_delete", args=[politics.pk]), {"post": "yes"})
    assert response.status_code == 200 and Section.objects.filter(pk=politics.pk).exists()


def test_writers_file_their_drafts_in_a_section(client_for, writer, politics):
    client = client_for(writer)
    form = client.get(reverse("admin:articles_article_add")).content.decode()
    assert 'name="section"' in form and ">Politics</option>" in form
