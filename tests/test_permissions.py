"""Who gets what: every URL in the URLconf, as an anonymous reader, a writer and an editor.

The reader site's table below must name every public URL pattern (a new one fails the completeness test
until someone decides who may see it); the admin is walked for every registered model.
"""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from about.tests.factories import make_page
from api.tests.key_factories import make_key
from articles.models import Article, Banner, Pin, Section, ShareLink
from articles.tests.factories import make_article, make_author, make_picture
from newsletters.tests.factories import make_edition, make_newsletter, make_subscriber

pytestmark = pytest.mark.django_db

DRAFT_TITLE = "Unreleased draft zq7"


def walk(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace != "admin":
                yield from walk(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


@pytest.fixture
def site(writer, editor):
    author = make_author("Public Reporter")
    section = Section.objects.create(name="Local")
    story = make_article(title="Public story", authors=[author], tags=["Harbour"], section=section)
    draft = make_article(title=DRAFT_TITLE, status=Article.Status.DRAFT, published_at=None, created_by=writer,
                         authors=[author], tags=["Secret-tag"])  # fmt: skip
    link = ShareLink.objects.create(article=draft, expires_at=timezone.now() + timedelta(days=1))
    Pin.objects.create(article=draft)  # pinned before it is published: never shown
    Banner.objects.create(text="Storm warning", expires_at=timezone.now() + timedelta(hours=1))
    make_picture(alt="A harbour")
    briefing = make_newsletter("Morning briefing")
    make_subscriber(briefing)
    edition = make_edition(briefing, [story, draft], intro="Good morning.")
    make_key("Partner app")
    page = make_page(title="Ethics policy", slug="ethics-policy", role="ethics")
    page.body = "Revised."
    page.save()
    make_page(title=DRAFT_TITLE, slug="unpublished-page", published=False)
    return {"author": author, "story": story, "draft": draft, "link": link, "edition": edition, "page": page}


def reader_urls(site):
    """URL name → (URL, status for anonymous readers)."""
    year = site["story"].published_at.year
    author, tag = site["author"].slug, "harbour"
    return {
        "healthz": ("/healthz", 200),
        "readyz": ("/readyz", 200),
        "favicon": ("/favicon.ico", 301),
        "articles:home": ("/", 200),
        "articles:latest": ("/latest/", 200),
        "articles:section": ("/sections/local/", 200),
        "articles:section_feed_rss": ("/sections/local/feed/rss/", 200),
        "articles:section_feed_atom": ("/sections/local/feed/atom/", 200),
        "articles:section_feed_json": ("/sections/local/feed/json/", 200),
        "articles:article": (site["story"].get_absolute_url(), 200),
        "articles:author": (f"/authors/{author}/", 200),
        "articles:tags": ("/tags/", 200),
        "articles:tag": (f"/tags/{tag}/", 200),
        "articles:archive": ("/archive/", 200),
        "articles:archive_year": (f"/archive/{year}/", 200),
        "articles:archive_month": (f"/archive/{year}/{site['story'].published_at.month}/", 200),
        "articles:search": ("/search/?q=story", 200),
        "articles:feed_rss": ("/feed/rss/", 200),
        "articles:feed_atom": ("/feed/atom/", 200),
        "articles:feed_json": ("/feed/json/", 200),
        "articles:tag_feed_rss": (f"/tags/{tag}/feed/rss/", 200),
        "articles:tag_feed_atom": (f"/tags/{tag}/feed/atom/", 200),
        "articles:tag_feed_json": (f"/tags/{tag}/feed/json/", 200),
        "articles:author_feed_rss": (f"/authors/{author}/feed/rss/", 200),
        "articles:author_feed_atom": (f"/authors/{author}/feed/atom/", 200),
        "articles:author_feed_json": (f"/authors/{author}/feed/json/", 200),
        "articles:preview": (reverse("articles:preview", args=[site["draft"].pk]), 404),
        "articles:share": ("/share/forged-token:abc/", 404),
        "articles:robots": ("/robots.txt", 200),
        "articles:news_sitemap": ("/sitemap-news.xml", 200),
        "articles:sitemap_index": ("/sitemap.xml", 200),
        "articles:sitemap": ("/sitemap-articles.xml", 200),
        "articles:corrections": ("/corrections/", 200),
        "articles:corrections_feed_rss": ("/corrections/feed/rss/", 200),
        "articles:corrections_feed_atom": ("/corrections/feed/atom/", 200),
        "articles:corrections_feed_json": ("/corrections/feed/json/", 200),
        "live:poll": (reverse("live:poll", args=[site["draft"].slug]), 404),
        "live:feed_rss": (reverse("live:feed_rss", args=[site["draft"].slug]), 404),
        "live:feed_atom": (reverse("live:feed_atom", args=[site["draft"].slug]), 404),
        "live:feed_json": (reverse("live:feed_json", args=[site["draft"].slug]), 404),
        "live:update": (reverse("live:update", args=[site["draft"].slug, 1]), 404),
        "api:openapi-json": ("/api/v1/openapi.json", 200),
        "api:openapi-view": ("/api/v1/docs", 200),
        "api:api-root": ("/api/v1/", 404),
        "api:unknown": ("/api/v1/nowhere", 404),
        "api:article_list": ("/api/v1/articles", 200),
        "api:article_detail": (f"/api/v1/articles/{site['draft'].pk}", 404),
        "api:update_list": (f"/api/v1/articles/{site['draft'].pk}/updates", 404),
        "api:section_list": ("/api/v1/sections", 200),
        "api:section_detail": ("/api/v1/sections/local", 200),
        "api:tag_list": ("/api/v1/tags", 200),
        "api:tag_detail": (f"/api/v1/tags/{tag}", 200),
        "api:author_list": ("/api/v1/authors", 200),
        "api:author_detail": (f"/api/v1/authors/{author}", 200),
        "api:picture_list": ("/api/v1/pictures", 200),
        "api:picture_detail": ("/api/v1/pictures/999999", 404),
        "api:correction_list": ("/api/v1/corrections", 200),
        "about:index": ("/about/", 200),
        "about:page": ("/about/ethics-policy/", 200),
        "newsletters:index": ("/newsletters/", 200),
        "newsletters:subscribe": ("/newsletters/subscribe/", 302),
        "newsletters:link": ("/newsletters/link/", 302),
        "newsletters:confirm": ("/newsletters/confirm/forged-token:abc/", 400),
        "newsletters:preferences": ("/newsletters/preferences/forged-token:abc/", 400),
        "newsletters:unsubscribe": ("/newsletters/unsubscribe/forged-token:abc/", 400),
    }


def test_every_public_url_pattern_is_audited(site):
    assert set(walk(get_resolver().url_patterns)) == set(reader_urls(site))


def test_anonymous_readers_get_public_pages_and_nothing_else(client, site):
    """Each public page answers as listed and never shows the draft, its tag or anything of the admin."""
    for name, (url, status) in reader_urls(site).items():
        response = client.get(url)
        assert response.status_code == status, (name, url)
        body = response.content.decode()
        assert DRAFT_TITLE not in body and "Secret-tag" not in body and "secret-tag" not in body, (name, url)
    assert client.get(site["draft"].get_absolute_url()).status_code == 404
    assert client.get("/tags/secret-tag/").status_code == 404
    assert client.get("/tags/secret-tag/feed/rss/").status_code == 404
    assert client.get("/about/unpublished-page/").status_code == 404


def test_a_valid_share_link_is_the_only_way_in_for_readers(client, site):
    assert DRAFT_TITLE in client.get(site["link"].get_absolute_url()).content.decode()
    site["link"].revoked = True
    site["link"].save()
    assert client.get(site["link"].get_absolute_url()).status_code == 404


def admin_urls(site):
    """Every admin page of every registered model, plus the admin's own and the article extras."""
    urls = {"index": reverse("admin:index"), "password_change": reverse("admin:password_change")}
    for model in admin.site._registry:
        opts = model._meta
        obj = site["draft"] if model is Article else model._default_manager.first()
        base = f"admin:{opts.app_label}_{opts.model_name}"
        urls[f"{opts.label} list"] = reverse(f"{base}_changelist")
        urls[f"{opts.label} add"] = reverse(f"{base}_add")
        if obj is not None:
            for action in ("change", "delete", "history"):
                urls[f"{opts.label} {action}"] = reverse(f"{base}_{action}", args=[obj.pk])
        urls[f"{opts.app_label} app"] = reverse("admin:app_list", args=[opts.app_label])
    draft = site["draft"]
    urls["article revisions"] = reverse("admin:articles_article_revisions", args=[draft.pk])
    urls["article preview page"] = reverse("articles:preview", args=[draft.pk])
    urls["desk preferences"] = reverse("admin:desk_preferences")
    edition = site["edition"]
    for name in ("preview", "preview_message", "preview_text", "send"):
        urls[f"newsletter issue {name}"] = reverse(f"admin:newsletters_edition_{name}", args=[edition.pk])
    urls["subscribers export"] = reverse("admin:newsletters_subscriber_export")
    urls["subscribers import"] = reverse("admin:newsletters_subscriber_import")
    page = site["page"]
    urls["newsroom page revision"] = reverse(
        "admin:about_newsroompage_simple_history", args=[page.pk, page.history.last().history_id]
    )
    return urls


def test_anonymous_users_are_sent_to_the_login_for_every_admin_page(client, site):
    for name, url in admin_urls(site).items():
        if name == "article preview page":
            continue
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/"), name


# Writers: their articles, and a read-only look at authors, tags, sections and kinds of work (a view permission
# includes history); the updates of the live pages they are credited on.
WRITER_ALLOWED = {"index", "password_change", "articles app", "taggit app", "desk preferences",
                  "articles.Article list", "articles.Article add", "articles.Article change",
                  "articles.Article history", "article revisions", "article preview page",
                  "articles.Author list", "articles.Author change", "articles.Author history",
                  "taggit.Tag list", "taggit.Tag change", "taggit.Tag history",
                  "articles.Section list", "articles.Section change", "articles.Section history",
                  "articles.KindOfWork list", "articles.KindOfWork change", "articles.KindOfWork history",
                  "articles.Image list", "articles.Image add", "articles.Image change",
                  "articles.Image history", "live app", "live.Update list", "live.Update add",
                  "newsletters app", "newsletters.Newsletter list", "newsletters.Newsletter change",
                  "newsletters.Newsletter history", "newsletters.Edition list", "newsletters.Edition change",
                  "newsletters.Edition history", "newsletter issue preview", "newsletter issue preview_message",
                  "newsletter issue preview_text", "about app", "about.NewsroomPage list",
                  "about.NewsroomPage change", "about.NewsroomPage history", "newsroom page revision"}  # fmt: skip
# Writers read the lists and issues (and preview them); only editors send, and see and move subscribers.
# Writers read the newsroom's pages and their revisions; only editors write, restore, add and delete them.
# Writers upload, describe and use library pictures; only editors delete them.
# Editors: also deleting articles, managing authors, tags, sections and kinds of work, the front page's pins, the
# banner and the site settings (one record: its list leads to it, and it is neither added nor deleted), and the
# content API's keys (writers see nothing of them). Accounts, groups and login records: superusers only.
EDITOR_ALLOWED = WRITER_ALLOWED | {"articles.Article delete", "articles.Author add", "articles.Author delete",
                                   "taggit.Tag add", "taggit.Tag delete",
                                   "articles.Section add", "articles.Section delete",
                                   "articles.KindOfWork add", "articles.KindOfWork delete",
                                   "articles.Pin list", "articles.Pin add", "articles.Pin change",
                                   "articles.Pin delete", "articles.Pin history",
                                   "articles.Banner list", "articles.Banner add", "articles.Banner change",
                                   "articles.Banner delete", "articles.Banner history",
                                   "articles.SiteSettings change", "articles.SiteSettings history",
                                   "articles.Image delete",
                                   "newsletters.Newsletter add", "newsletters.Newsletter delete",
                                   "newsletters.Edition add", "newsletters.Edition delete", "newsletter issue send",
                                   "newsletters.Subscriber list", "newsletters.Subscriber change",
                                   "newsletters.Subscriber delete", "newsletters.Subscriber history",
                                   "subscribers export", "subscribers import",
                                   "api app", "api.ApiKey list", "api.ApiKey add", "api.ApiKey change",
                                   "api.ApiKey delete", "api.ApiKey history",
                                   "webhooks app", "webhooks.Endpoint list", "webhooks.Endpoint add",
                                   "webhooks.Endpoint change", "webhooks.Endpoint delete",
                                   "webhooks.Endpoint history", "webhooks.Delivery list",
                                   "webhooks.Delivery change", "webhooks.Delivery history",
                                   "about.NewsroomPage add", "about.NewsroomPage delete"}  # fmt: skip


@pytest.mark.parametrize("role", ["writer", "editor"])
def test_staff_see_exactly_what_their_role_allows(client_for, site, role, request):
    """Writers reach their own drafts; editors more; neither reaches accounts, groups or login records."""
    user = request.getfixturevalue(role)
    client = client_for(user)
    allowed = WRITER_ALLOWED if role == "writer" else EDITOR_ALLOWED
    for name, url in admin_urls(site).items():
        status = client.get(url).status_code
        if name in allowed:
            assert status == 200, (role, name, status)
        else:
            assert status in (403, 302, 404), (role, name, status)


def test_a_writer_cannot_open_another_writers_draft(client_for, site, other_writer):
    client = client_for(other_writer)
    draft = site["draft"]
    assert client.get(reverse("admin:articles_article_change", args=[draft.pk])).status_code in (403, 302)
    assert client.get(reverse("articles:preview", args=[draft.pk])).status_code == 403
    changelist = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert DRAFT_TITLE not in changelist
