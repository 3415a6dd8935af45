from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import sitemaps
from django.urls import reverse

from .models import Article, Author, published_tags


class Sitemap(sitemaps.Sitemap):
    """Addresses on the configured public site, as in canonical links, whatever host the request used."""

    protocol = urlsplit(settings.NEWSROOM_SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.NEWSROOM_SITE_URL).netloc


class ArticleSitemap(Sitemap):
    changefreq = "daily"
    limit = 5000

    def items(self):
        return Article.objects.published().newest_first().only("slug", "published_at", "updated_at", "modified_at")

    def lastmod(self, article):
        return article.updated_at or article.published_at


class TagSitemap(Sitemap):
    changefreq = "hourly"

    def items(self):
        return published_tags()

    def location(self, tag):
        return reverse("articles:tag", kwargs={"slug": tag.slug})


class AuthorSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return Author.objects.filter(articles__in=Article.objects.published()).distinct().order_by("name")


class PageSitemap(Sitemap):
    changefreq = "hourly"
    priority = 1.0

    def items(self):
        return ["articles:home", "articles:tags", "articles:archive"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {"pages": PageSitemap, "articles": ArticleSitemap, "tags": TagSitemap, "authors": AuthorSitemap}
