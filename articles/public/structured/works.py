"""The works JSON-LD describes: an article."""

from articles.models import SiteSettings
from articles.public import seo
from articles.public.structured.things import publisher


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
        data["image"] = [seo.social_image(article)]
    return {key: value for key, value in data.items() if value not in (None, "", [])}
