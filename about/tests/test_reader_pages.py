"""The newsroom's pages for readers: each page and the index, hidden until published, and linked from the footer
of every reader page, which the page cache refreshes when the list changes."""

import pytest
from django.db import DatabaseError
from django.test import Client

from about.models import NewsroomPage, Role
from about.tests.factories import make_page
from articles.models import Section, SiteSettings
from articles.site import newsroom_pages
from articles.tests.factories import make_article

pytestmark = pytest.mark.django_db


def footer(response):
    """The footer's list of the newsroom's pages, as (title, address) pairs."""
    html = response.content.decode()
    start = html.find('<nav class="footer-pages"')
    if start == -1:
        return []
    nav = html[start : html.index("</nav>", start)]
    return [(part.split(">", 1)[1].split("<", 1)[0], part.split('"', 1)[0]) for part in nav.split('<a href="')[1:]]


def test_a_published_page_shows_its_text_summary_date_and_canonical_address(client):
    """A published page shows its Markdown safely, its summary, its date and its canonical address, cached."""
    page = make_page(title="Ethics policy", slug="ethics-policy", summary="How we work-V1.",
                     body="## Sources\n\nWe name them.<script>alert(1)</script>")  # fmt: skip
    response = client.get("/about/ethics-policy/")
    assert response.status_code == 200 and response.templates[0].name == "about/newsroompage_detail.html"
    html = response.content.decode()
    assert html.count("<h1") == 1 and "<h1>Ethics policy</h1>" in html
    assert '<meta name="description" content="How we work-V1.">' in html
    assert '<link rel="canonical" href="http://127.0.0.1:8000/about/ethics-policy/">' in html
    assert '<h2 id="md-sources">Sources</h2>' in html and "<script>alert" not in html
    assert f'datetime="{page.modified_at.replace(microsecond=0).isoformat()}"' in html
    assert "public" in response["Cache-Control"]


def test_an_unpublished_page_is_not_found_by_readers_and_a_preview_for_editors(client, client_for, editor):
    """Readers get a 404; an editor sees it with a preview banner, noindex and never cached."""
    make_page(title="Draft policy-U1", slug="draft-policy", published=False)
    response = client.get("/about/draft-policy/")
    assert response.status_code == 404 and b"Draft policy-U1" not in response.content
    assert b"Draft policy-U1" not in client.get("/about/").content
    preview = client_for(editor).get("/about/draft-policy/")
    html = preview.content.decode()
    assert preview.status_code == 200 and "Draft policy-U1" in html and 'class="preview-banner"' in html
    assert '<meta name="robots" content="noindex, nofollow">' in html and "no-store" in preview["Cache-Control"]


def test_the_index_lists_the_published_pages_in_the_editors_order(client):
    """/about/ lists the published pages alone, in their position order, with their summaries."""
    make_page(title="Masthead-I2", position=2)
    make_page(title="About us-I1", position=1, summary="Who we are-I3")
    make_page(title="Hidden-I4", published=False)
    html = client.get("/about/").content.decode()
    assert html.index("About us-I1") < html.index("Masthead-I2") and "Who we are-I3" in html
    assert "Hidden-I4" not in html and html.count("<h1") == 1


def test_the_pages_carry_the_keys_of_what_they_show(client, settings):
    """The index and a page name the pages they show and the list (the footer's), for the edge to purge them."""
    settings.NEWSROOM_EDGE_PURGE_URLS = ["http://127.0.0.1:9/.purge"]
    about, masthead = make_page(slug="about-us"), make_page(slug="masthead")
    assert {"pages", f"pg{about.pk}", f"pg{masthead.pk}"} <= set(client.get("/about/")["xkey"].split())
    assert {"pages", f"pg{about.pk}"} <= set(client.get("/about/about-us/")["xkey"].split())


def test_the_footer_of_every_reader_page_links_the_footer_pages(client):
    """Published pages in the footer, in order, on the front page, an article, a section, the index and a 404."""
    section = Section.objects.create(name="Harbour", slug="harbour")
    story = make_article(section=section)
    about = make_page(title="About us", slug="about-us", position=1)
    make_page(title="Contact and tips", slug="contact-and-tips", position=2, role=Role.CONTACT)
    make_page(title="Not in footer-F1", in_footer=False)
    make_page(title="Unpublished-F2", published=False)
    expected = [("About us", "/about/about-us/"), ("Contact and tips", "/about/contact-and-tips/")]
    for path in ("/", story.get_absolute_url(), "/sections/harbour/", "/about/", about.get_absolute_url(),
                 "/no-such-page/"):  # fmt: skip
        response = client.get(path)
        assert footer(response) == expected, path
        assert b'aria-label="About Newsroom"' in response.content, path
    site = SiteSettings.load()
    site.contact_email = "desk-F3@example.org"
    site.save()
    assert b'Corrections and tips: <a href="mailto:desk-F3@example.org">' in client.get("/").content


def test_a_cached_page_shows_a_change_to_the_footer_at_once(settings):
    """Served from the page cache, then a page renamed, unpublished, added: the next reader sees each change."""
    settings.NEWSROOM_EDGE_PURGE_URLS = ["http://127.0.0.1:9/.purge"]
    page = make_page(title="Old title-C1", slug="masthead")
    reader = Client()
    first = reader.get("/latest/")
    assert first["X-Cache"] == "miss" and "pages" in first["xkey"].split()
    assert reader.get("/latest/")["X-Cache"] == "hit"
    page.title = "New title-C2"
    page.save()
    assert footer(reader.get("/latest/")) == [("New title-C2", "/about/masthead/")]
    page.published = False
    page.save()
    assert footer(reader.get("/latest/")) == []
    make_page(title="Contact-C3", slug="contact")
    assert footer(reader.get("/latest/")) == [("Contact-C3", "/about/contact/")]
    NewsroomPage.objects.update(in_footer=False)
    assert footer(reader.get("/latest/")) == []


def test_the_links_are_read_once_per_generation_and_survive_the_database_failing(client, monkeypatch):
    """The provider asks the database once per generation; when it fails, pages render with no links."""
    make_page(title="About us-G1", slug="about-us")
    assert [link.title for link in newsroom_pages.page_links()] == ["About us-G1"]

    def down(*args, **kwargs):
        raise DatabaseError("the database does not answer")

    monkeypatch.setattr(NewsroomPage.objects, "public", down)
    assert [link.title for link in newsroom_pages.page_links()] == ["About us-G1"]  # this generation's, kept
    make_page(title="Masthead-G2", slug="masthead", role=Role.MASTHEAD)  # a new generation: read again, and fails
    assert newsroom_pages.page_links() == []
    assert client.get("/latest/").status_code == 200


def test_the_registry_gives_each_page_its_role_and_schema_property():
    """The registry answers a published page by its role, with its address and schema.org property."""
    make_page(title="Corrections policy", slug="corrections", role=Role.CORRECTIONS)
    link = newsroom_pages.by_role(Role.CORRECTIONS)
    assert (link.path, link.schema_property, link.in_footer) == ("/about/corrections/", "correctionsPolicy", True)
    assert newsroom_pages.by_role(Role.ETHICS) is None


@pytest.mark.parametrize("title", ["Masthead", "Redaktion und Impressum ÄÖ", "关于我们"])
def test_the_footer_marks_the_page_being_read_whatever_the_script_of_its_address(client, title):
    """The footer's link to the page being read is aria-current, for an address in any script as for ASCII."""
    page = make_page(title=title)
    html = client.get(page.get_absolute_url()).content.decode()
    nav = html[html.index('<nav class="footer-pages"') :]
    assert f'<a href="{page.get_absolute_url()}" aria-current="page">' in nav
