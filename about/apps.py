from django.apps import AppConfig


class AboutConfig(AppConfig):
    name = "about"
    verbose_name = "The newsroom's pages"

    def ready(self):
        from about import edgekeys, links
        from about.models import NewsroomPage
        from about.sitemaps import NewsroomPageSitemap
        from articles.public.sitemaps import register_sitemap
        from articles.site import newsroom_pages
        from pagecache.registry import register_model

        # Readers see the pages, and every page's footer lists them: a change retires the cached pages, and
        # purges at the edge the keys it names (``about.edgekeys``).
        register_model(NewsroomPage)
        edgekeys.register(NewsroomPage)
        newsroom_pages.register(links.page_links)
        register_sitemap("about", NewsroomPageSitemap)
