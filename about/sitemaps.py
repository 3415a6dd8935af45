from about.models import NewsroomPage
from articles.public.sitemaps import Sitemap


class NewsroomPageSitemap(Sitemap):
    """The published pages, in the ordinary sitemap (never the news sitemap: they are not news)."""

    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return NewsroomPage.objects.public().only("slug", "modified_at")

    def lastmod(self, page):
        return page.modified_at
