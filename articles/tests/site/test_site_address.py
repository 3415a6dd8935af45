"""One address for the site: the public address in Site settings decides which links in bodies, bios and
corrections leave the site, as it decides canonical links, feeds and e-mails; an editor moving it is followed
at once, by new texts and by those already stored."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Author, Correction, SiteSettings
from articles.tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db

NEW, OLD = "https://news.example.org", "http://127.0.0.1:8000"
LINKS = f"See [the new address]({NEW}/a/), [the old one]({OLD}/b/) and [elsewhere](https://example.net/c/)."


MOVED = {"the new address": False, "the old one": True, "elsewhere": True}
BEFORE = {"the new address": True, "the old one": False, "elsewhere": True}


def marks(html):
    """{link text: whether it is marked as leaving the site}."""
    found = re.findall(r'<a href="[^"]+"( rel="noopener noreferrer")?>([^<]+)</a>', html)
    return {text: bool(rel) for rel, text in found if text in MOVED}


def move_the_site(client, url):
    site = SiteSettings.load()
    fields = ("name", "tagline", "publisher_name", "language", "time_zone", "footer_text", "contact_email",
              "twitter_handle", "social_profiles", "headline_limit", "version")  # fmt: skip
    data = {name: getattr(site, name) for name in fields} | {"public_url": url}
    response = client.post(reverse("admin:articles_sitesettings_change", args=[site.pk]), data)
    assert response.status_code == 302, response.content.decode()
    assert SiteSettings.objects.get().public_url == url


def edit_body(client, article, body):
    """The article's change form as the editor sends it, with a new body."""
    local = timezone.localtime(article.published_at)
    data = {"title": article.title, "slug": article.slug, "dek": article.dek, "body": body, "tags": "",
            "version": article.version, "lead_image": "", "lead_image_url": "", "lead_image_alt": "",
            "lead_image_caption": "", "lead_image_credit": "", "transition_comment": "", "withdrawal_note": "",
            "published_at_0": local.strftime("%Y-%m-%d"), "published_at_1": local.strftime("%H:%M:%S.%f")}  # fmt: skip
    for prefix in ("bylines", "corrections", "share_links", "aliases", "transitions"):
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}
    response = client.post(reverse("admin:articles_article_change", args=[article.pk]), data)
    assert response.status_code == 302, response.content.decode()


def test_a_body_saved_after_the_address_moves_marks_links_by_the_new_host(client_for, editor, client):
    article = make_article(title="Harbour reopens")
    desk = client_for(editor)
    move_the_site(desk, NEW)
    edit_body(desk, article, LINKS)
    assert marks(Article.objects.get(pk=article.pk).body_html) == MOVED
    preview = desk.post(reverse("admin:articles_article_preview_markdown"), {"body": LINKS, "title": "x"}).json()
    assert marks(preview["html"]) == MOVED
    desk.logout()
    assert marks(client.get(article.get_absolute_url()).content.decode()) == MOVED


def test_texts_stored_before_the_move_are_rendered_again_by_the_new_host(client_for, editor, client):
    article = make_article(title="Harbour reopens", body=LINKS, tags=["Harbour"])
    other = make_article(title="Nothing to do with it", body="No links here.")
    author = make_author("Ann Byline", bio=LINKS)
    correction = Correction.objects.create(article=article, text=LINKS)
    rendered_before = Article.objects.get(pk=other.pk).body_html
    assert marks(article.body_html) == marks(author.bio_html) == marks(correction.text_html) == BEFORE
    page = client.get(article.get_absolute_url()).content.decode()  # cached before the move
    move_the_site(client_for(editor), NEW)
    stored = Article.objects.get(pk=article.pk)
    assert marks(stored.body_html) == MOVED and stored.version == article.version  # not an edit
    assert marks(Author.objects.get(pk=author.pk).bio_html) == MOVED
    assert marks(Correction.objects.get(pk=correction.pk).text_html) == MOVED
    assert Article.objects.get(pk=other.pk).body_html == rendered_before
    client.logout()
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'<link rel="canonical" href="{NEW}{article.get_absolute_url()}">' in page
    assert marks(page[page.index('<div class="body">') :]) == MOVED


def test_moving_only_the_port_or_the_scheme_changes_no_stored_text(client_for, editor):
    article = make_article(body=LINKS)
    move_the_site(client_for(editor), "https://127.0.0.1:8443")
    assert Article.objects.get(pk=article.pk).body_html == article.body_html


def test_an_import_marks_links_by_the_sites_address(tmp_path):
    from io import StringIO

    from django.core.management import call_command

    site = SiteSettings.load()
    site.public_url = NEW
    site.save()
    (tmp_path / "moved.md").write_text(f"---\ntitle: Moved\ndate: 2024-05-01T10:00:00Z\n---\n{LINKS}\n")
    call_command("import_markdown", str(tmp_path), stdout=StringIO())
    assert marks(Article.objects.get(title="Moved").body_html) == MOVED


def test_the_sitemap_index_names_its_sitemaps_on_the_sites_address(client_for, editor, client):
    """As canonical links and every sitemap's entries do, whatever host the request came by."""
    make_article(title="Harbour reopens")
    move_the_site(client_for(editor), NEW)
    client.logout()
    index = client.get("/sitemap.xml", HTTP_HOST="localhost").content.decode()
    assert f"<loc>{NEW}/sitemap-articles.xml</loc>" in index and "localhost" not in index
    assert f"<loc>{NEW}/articles/" in client.get("/sitemap-articles.xml", HTTP_HOST="localhost").content.decode()
