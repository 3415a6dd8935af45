"""Sections: fronts, navigation, feeds, sitemap, breadcrumbs and JSON-LD, renamed addresses, import and export."""

import io
import json
import re
from datetime import timedelta

import feedparser
import pytest
from django.core.management import CommandError, call_command
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


# Import and export


def write(folder, name, text):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_import_takes_the_section_from_front_matter_categories_or_folder(tmp_path):
    write(tmp_path, "a.md", "---\ntitle: Named\ndate: 2026-01-02\nsection: World News\n---\nBody.\n")
    write(tmp_path, "b.md", "---\ntitle: Categorised\ndate: 2026-01-02\ncategories: [Business, Ports]\n---\nBody.\n")
    write(tmp_path, "content/culture/c.md", "---\ntitle: Foldered\ndate: 2026-01-02\n---\nBody.\n")
    write(tmp_path, "science/d/index.md", "---\ntitle: Bundled\ndate: 2026-01-02\n---\nBody.\n")
    write(tmp_path, "e/index.md", "---\ntitle: Bundle at the root\ndate: 2026-01-02\n---\nBody.\n")
    call_command("import_markdown", str(tmp_path), stdout=io.StringIO())
    found = {a.title: a.section and (a.section.name, a.section.slug) for a in Article.objects.select_related("section")}
    assert found == {
        "Named": ("World News", "world-news"),
        "Categorised": ("Business", "business"),
        "Foldered": ("Culture", "culture"),
        "Bundled": ("Science", "science"),
        "Bundle at the root": None,
    }
    assert sorted(Article.objects.get(title="Categorised").tags.names()) == ["Business", "Ports"]


def test_import_reuses_a_section_by_name_or_folder(tmp_path, politics):
    write(tmp_path, "politics/a.md", "---\ntitle: Foldered\ndate: 2026-01-02\n---\nBody.\n")
    write(tmp_path, "b.md", "---\ntitle: Named\ndate: 2026-01-02\nsection: POLITICS\n---\nBody.\n")
    call_command("import_markdown", str(tmp_path), stdout=io.StringIO())
    assert Section.objects.count() == 1 and Article.objects.filter(section=politics).count() == 2


def test_export_writes_the_section_back_the_way_it_came_and_round_trips(tmp_path):
    source = tmp_path / "in"
    write(source, "a.md", "---\ntitle: Named\ndate: 2026-01-02\nsection: World News\n---\nBody.\n")
    write(source, "b.md", "---\ntitle: Categorised\ndate: 2026-01-02\ncategories: [Business]\n---\nBody.\n")
    write(source, "content/culture/c.md", "---\ntitle: Foldered\ndate: 2026-01-02\n---\nBody.\n")
    call_command("import_markdown", str(source), stdout=io.StringIO())
    made = Article.objects.create(title="Filed in the admin", section=Section.objects.get(slug="culture"))
    out = tmp_path / "out"
    call_command("export_markdown", str(out), stdout=io.StringIO())
    assert "section: World News" in (out / "a.md").read_text()
    assert "categories:\n- Business" in (out / "b.md").read_text()
    assert "section" not in (out / "culture" / "c.md").read_text()
    assert (out / "culture" / f"{made.slug}.md").exists()

    before = {a.slug: a.section.slug for a in Article.objects.select_related("section")}
    Article.objects.all().delete()
    Section.objects.all().delete()
    call_command("import_markdown", str(out), stdout=io.StringIO())
    assert {a.slug: a.section.slug for a in Article.objects.select_related("section")} == before
    again = tmp_path / "again"
    call_command("export_markdown", str(again), stdout=io.StringIO())
    for path in out.rglob("*.md"):
        assert (again / path.relative_to(out)).read_text() == path.read_text(), path


def test_import_turns_any_folder_or_section_value_into_a_working_address(client, tmp_path):
    """A folder with spaces or punctuation, or a section given as a list, still makes a section whose
    addresses work; a section that is not text is reported for that file."""
    write(tmp_path, "content/Local News!/a.md", "---\ntitle: Foldered\ndate: 2026-01-02\n---\nBody.\n")
    write(tmp_path, "b.md", "---\ntitle: Listed\ndate: 2026-01-02\nsection: [Sport, Football]\n---\nBody.\n")
    write(tmp_path, "c.md", "---\ntitle: Mapped\ndate: 2026-01-02\nsection: {name: Sport}\n---\nBody.\n")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="1 file"):
        call_command("import_markdown", str(tmp_path), stdout=out, stderr=err)
    assert "c.md" in err.getvalue() + out.getvalue() and "section" in err.getvalue() + out.getvalue()
    found = {a.title: (a.section.name, a.section.slug) for a in Article.objects.select_related("section")}
    assert found == {"Foldered": ("Local News!", "local-news"), "Listed": ("Sport", "sport")}
    assert client.get("/").status_code == 200
    assert client.get("/sections/local-news/").status_code == 200
