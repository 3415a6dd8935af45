"""What search engines and social sites read: robots.txt, the Google News sitemap, the social card, whether a
lead picture may be previewed large, the breadcrumb trail and its BreadcrumbList JSON-LD (the rest of the
JSON-LD is ``articles.public.structured``'s)."""

from datetime import timedelta

from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, SiteSettings


def social_image(article):
    """The absolute address of the 1200×630 card for social sites, else of the lead image as it is."""
    card = article.lead_image_renditions.get("social")
    return SiteSettings.current().absolute(default_storage.url(card) if card else article.image_url)


LARGE_PREVIEW_WIDTH = 1200  # Google Discover shows large pictures of pages that allow them and are this wide


def large_image_preview(article):
    """Whether search engines may show the article's lead picture large (``max-image-preview:large``): a library
    picture readers may see whose largest rendition (the file itself, before renditions) is wide enough."""
    image = article.shown_lead_image
    if image is None:
        return False
    sources = image.renditions.get("sources") or []
    return max((source["width"] for source in sources), default=image.width) >= LARGE_PREVIEW_WIDTH


def breadcrumbs(article):
    """The trail to an article: (name, address) from the front page through its section."""
    trail = [(SiteSettings.current().name, reverse("articles:home"))]
    if article.section_id is not None:
        trail.append((article.section.name, article.section.get_absolute_url()))
    return [*trail, (article.title, article.get_absolute_url())]


def breadcrumb_list(article):
    """schema.org BreadcrumbList for ``breadcrumbs(article)``."""
    site = SiteSettings.current()
    items = [
        {"@type": "ListItem", "position": n, "name": name, "item": site.absolute(url)}
        for n, (name, url) in enumerate(breadcrumbs(article), start=1)
    ]
    return {"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": items}


def robots_txt(request):
    site = SiteSettings.current()
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /preview/",
        "Disallow: /share/",
        "Disallow: /search/",
        f"Sitemap: {site.absolute(reverse('articles:sitemap_index'))}",
        f"Sitemap: {site.absolute(reverse('articles:news_sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


NEWS_WINDOW = timedelta(hours=48)  # Google News: a news sitemap lists the articles of the last two days
NEWS_LIMIT = 1000  # and no more than 1,000 of them
# Google wants an ISO 639 code, except for Chinese, whose two scripts are named zh-cn and zh-tw.
CHINESE = {"hans": "zh-cn", "cn": "zh-cn", "sg": "zh-cn", "hant": "zh-tw", "tw": "zh-tw", "hk": "zh-tw", "mo": "zh-tw"}


def news_language(tag):
    """The language of a BCP 47 tag (``SiteSettings.language``) as Google News wants it: en-GB is en, pt-BR pt,
    zh-Hans and zh-CN zh-cn, zh-Hant, zh-TW and zh-HK zh-tw."""
    parts = tag.lower().replace("_", "-").split("-")
    if parts[0] == "zh":
        return next((CHINESE[part] for part in parts[1:] if part in CHINESE), "zh")
    return parts[0]


def news_sitemap(request):
    """Articles published in the last 48 hours, newest first, 1,000 at most, in the Google News sitemap format
    (older ones are in the ordinary sitemap): named by the publisher and its language, from the site settings."""
    site = SiteSettings.current()
    since = timezone.now() - NEWS_WINDOW
    recent = Article.objects.published().filter(published_at__gte=since).newest_first()
    articles = recent.only("slug", "title", "published_at")[:NEWS_LIMIT]
    return TemplateResponse(
        request,
        "articles/sitemap_news.xml",
        {
            "articles": articles,
            "publication": site.publisher_name or site.name,
            "language": news_language(site.language),
        },  # fmt: skip
        content_type="application/xml; charset=utf-8",
    )
