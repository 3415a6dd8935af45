"""What search engines and social sites read: robots.txt, the Google News sitemap, NewsArticle and
BreadcrumbList JSON-LD."""

import json
from datetime import timedelta

from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, SiteSettings


def social_image(article):
    """The absolute address of the 1200×630 card for social sites, else of the lead image as it is."""
    card = article.lead_image_renditions.get("social")
    return SiteSettings.current().absolute(default_storage.url(card) if card else article.image_url)


def publisher():
    """schema.org Organization for the publisher, from the site settings."""
    site = SiteSettings.current()
    logo = site.absolute(site.publisher_logo.url if site.publisher_logo else static("logo.png"))
    data = {"@type": "Organization", "name": site.publisher_name or site.name, "url": site.public_url + "/",
            "logo": {"@type": "ImageObject", "url": logo}}  # fmt: skip
    if site.profiles:
        data["sameAs"] = site.profiles
    return data


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


def news_sitemap(request):
    """Articles of the last 48 hours, in the Google News sitemap format."""
    since = timezone.now() - timedelta(hours=48)
    articles = Article.objects.published().filter(published_at__gte=since).newest_first()[:1000]
    return TemplateResponse(
        request,
        "articles/sitemap_news.xml",
        {
            "articles": articles,
            "language": SiteSettings.current().language.split("-")[0].lower(),
        },  # fmt: skip
        content_type="application/xml; charset=utf-8",
    )


def news_article(article):
    """schema.org NewsArticle for one article, as a dict ready for JSON."""
    site = SiteSettings.current()
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title[:110],
        "description": article.dek,
        "url": site.absolute(article.get_absolute_url()),
        "mainEntityOfPage": site.absolute(article.get_absolute_url()),
        "datePublished": article.published_at.isoformat() if article.published_at else None,
        "dateModified": (article.updated_at or article.published_at).isoformat() if article.published_at else None,
        "author": [
            {"@type": "Person", "name": byline.name, "url": site.absolute(byline.url)}
            for byline in article.bylines_shown
        ],
        "articleSection": article.section.name if article.section_id is not None else None,
        "keywords": [tag.name for tag in article.tags_shown],
        "inLanguage": site.language,
        "publisher": publisher(),
    }
    if article.image_url:
        data["image"] = [social_image(article)]
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def json_ld(data):
    """JSON safe to place inside a <script> element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
