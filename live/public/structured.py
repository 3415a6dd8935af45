"""A live page for search engines: a ``LiveBlogPosting`` (schema.org, as Google's live blog guidelines ask) with
the article's own facts (``articles.public.structured.works.news_article``), its coverage times and its latest shown
updates, each a ``BlogPosting``."""

import html

from articles.markup import reading
from articles.models import SiteSettings
from articles.public import structured
from articles.public.structured import things, works
from live.public.page import permalink

HEADLINE_WORDS = 12
HEADLINE_LENGTH = 110  # Google shows no more of a headline


def text_of(update):
    """The update's body as plain text."""
    return html.unescape(reading.plain_text(update.body_html))


def headline_of(update):
    """The update's headline, else the first words of its body."""
    if update.headline:
        return update.headline[:HEADLINE_LENGTH]
    words = text_of(update).split()
    shown = " ".join(words[:HEADLINE_WORDS])
    return (shown + ("…" if len(words) > HEADLINE_WORDS else ""))[:HEADLINE_LENGTH]


def blog_posting(update, site, credited):
    url = site.absolute(permalink(update.article, update))
    data = {
        "@type": "BlogPosting",
        "@id": site.absolute(f"{update.article.get_absolute_url()}#{update.anchor}"),
        "headline": headline_of(update),
        "datePublished": update.posted_at.isoformat(),
        "articleBody": text_of(update),
        "url": url,
        "author": [
            {"@type": "Person", "name": author.name, "url": site.absolute(author.get_absolute_url())}
            for author in update.authors.all()
        ],
    }
    if update.edited_at:
        data["dateModified"] = update.edited_at.isoformat()
    if not data["author"]:
        data["author"] = credited
    return data


def live_blog_posting(live):
    """schema.org LiveBlogPosting for a live page (``page.LivePage``), as a dict ready for JSON."""
    article, site = live.article, SiteSettings.current()
    coverage = {"@type": "LiveBlogPosting", "coverageStartTime": article.live_from.isoformat()}
    data = works.news_article(article) | coverage
    if article.live_until is not None:
        data["coverageEndTime"] = article.live_until.isoformat()
    updates = live.latest
    for update in updates:
        update.article = article  # the page's own: no query for each permalink
    if updates:
        credited = data.get("author") or things.publisher()  # an update credited to no one is the page's
        data["liveBlogUpdate"] = [blog_posting(update, site, credited) for update in updates]
        stated = article.updated_at or article.published_at
        newest = max(update.edited_at or update.posted_at for update in updates)
        if stated is not None and newest > stated:
            data["dateModified"] = newest.isoformat()
    return data


def json_ld(live):
    return structured.json_ld(live_blog_posting(live))
