from django.contrib.sitemaps import views as sitemap_views
from django.urls import path, register_converter

from articles.public import feeds, parts, seo, sitemaps, views
from articles.public.sitemaps import SITEMAPS
from pagecache.decorators import cache_for_readers, reader_view, validated


class UnicodeSlugConverter:
    """Like Django's "slug" converter, but letting through the Unicode slugs that titles give."""

    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(UnicodeSlugConverter, "uslug")

app_name = "articles"
urlpatterns = [
    path("", cache_for_readers(views.FrontPageView.as_view()), name="home"),
    path("latest/", cache_for_readers(views.ArticleListView.as_view()), name="latest"),
    path(
        "sections/<uslug:slug>/",
        cache_for_readers(views.follow_renamed_section(views.SectionDetailView.as_view())),
        name="section",
    ),
    path(
        "articles/<uslug:slug>/",
        cache_for_readers(views.ArticleDetailView.as_view(), variant=parts.article_variant),
        name="article",
    ),
    path("authors/<uslug:slug>/", cache_for_readers(views.AuthorDetailView.as_view()), name="author"),
    path("tags/", cache_for_readers(views.TagListView.as_view()), name="tags"),
    path("tags/<uslug:slug>/", cache_for_readers(views.TagDetailView.as_view()), name="tag"),
    path("archive/", cache_for_readers(views.ArchiveView.as_view()), name="archive"),
    path("archive/<int:year>/", cache_for_readers(views.ArchiveView.as_view()), name="archive_year"),
    path("archive/<int:year>/<int:month>/", cache_for_readers(views.ArchiveView.as_view()), name="archive_month"),
    path("search/", reader_view(views.SearchView.as_view()), name="search"),
    *feeds.feed_urls("feed/", "feed", feeds.LatestArticlesFeed, feeds.site_articles),
    *feeds.feed_urls("tags/<uslug:slug>/feed/", "tag_feed", feeds.TagFeed, feeds.tag_articles),
    *feeds.feed_urls(
        "sections/<uslug:slug>/feed/",
        "section_feed",
        feeds.SectionFeed,
        feeds.section_articles,
        wrap=views.follow_renamed_section,
    ),
    *feeds.feed_urls("authors/<uslug:slug>/feed/", "author_feed", feeds.AuthorFeed, feeds.author_articles),
    path("corrections/", cache_for_readers(views.CorrectionListView.as_view()), name="corrections"),
    *feeds.feed_urls(
        "corrections/feed/",
        "corrections_feed",
        feeds.CorrectionsFeed,
        feeds.public_corrections,
        stamp=("created_at", "created_at"),
    ),  # fmt: skip
    path("preview/<int:pk>/", reader_view(views.preview), name="preview"),
    path("share/<str:signed>/", reader_view(views.share), name="share"),
    path("robots.txt", reader_view(seo.robots_txt), name="robots"),
    path("sitemap-news.xml", validated(seo.news_sitemap), name="news_sitemap"),
    path(
        "sitemap.xml",
        validated(sitemaps.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "articles:sitemap"},
        name="sitemap_index",
    ),
    path("sitemap-<section>.xml", validated(sitemap_views.sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
]
