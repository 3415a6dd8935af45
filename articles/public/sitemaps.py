from urllib.parse import urlsplit

from django.contrib import sitemaps
from django.contrib.sitemaps import views
from django.urls import reverse

from articles.models import Article, Author, SiteSettings


class Sitemap(sitemaps.Sitemap):
    """Addresses on the configured public site, as in canonical links, whatever host the request used."""

    def get_protocol(self, protocol=None):
        return urlsplit(SiteSettings.current().public_url).scheme

    def get_domain(self, site=None):
        return urlsplit(SiteSettings.current().public_url).netloc


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
        return Article.objects.published().tags()

    def location(self, tag):
        return reverse("articles:tag", kwargs={"slug": tag.slug})


class AuthorSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return Author.objects.filter(articles__in=Article.objects.published()).distinct().order_by("name")


class SectionSitemap(Sitemap):
    changefreq = "hourly"
    priority = 0.8

    def items(self):
        return Article.objects.published().sections()


class PageSitemap(Sitemap):
    changefreq = "hourly"
    priority = 1.0

    def items(self):
        return ["articles:home", "articles:latest", "articles:tags", "articles:archive", "articles:corrections"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {"pages": PageSitemap, "sections": SectionSitemap, "articles": ArticleSitemap, "tags": TagSitemap,
            "authors": AuthorSitemap}  # fmt: skip


def register_sitemap(name, sitemap):
    """Another app's addresses in the ordinary sitemap, as ``sitemap-<name>.xml`` (from its ``AppConfig.ready()``)."""
    SITEMAPS.setdefault(name, sitemap)


def index(request, **options):
    """Django's sitemap index, each sitemap's address on the site's public address, as their entries are (Django
    names the host the request came by)."""
    response = views.index(request, **options)
    public_url = SiteSettings.current().public_url
    for item in response.context_data["sitemaps"]:
        item.location = public_url + urlsplit(item.location)._replace(scheme="", netloc="").geturl()
    return response
