"""Feeds of updates: one per live page, in RSS 2.0, Atom 1.0 and JSON Feed 1.1, each shown update an entry,
newest first. The site's own feeds list the live page as the article it is, never its updates. Like them, each
names its WebSub hubs and itself (``articles.public.feeds.hub_links``)."""

import copy
import datetime as dt
import hashlib
from urllib.parse import urlsplit

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import path, reverse
from django.utils.html import format_html, strip_tags
from django.utils.text import Truncator
from django.views.decorators.http import condition

from articles.models import SiteSettings
from articles.models import surrogates as names
from articles.public.feedformats import hub_addresses, links_made_absolute
from articles.public.feeds import formats, hub_links, own_address
from live import tokens
from live.models import Stream, Update
from live.public import page
from pagecache.decorators import cache_for_readers
from pagecache.generation import generation, release
from pagecache.keys import tag
from pagecache.validators import last_modified

ENTRIES = 50
TITLE_WORDS = 12


def first_words(update, count=TITLE_WORDS):
    """The first words of an update's text."""
    return Truncator(" ".join(strip_tags(update.body_html).split())).words(count)


class UpdatesFeed(Feed):
    """The shown updates of one live page (``self.article``, found before the feed is rendered)."""

    def __call__(self, request, article):
        # Each request its own copy: the article and the request are never seen by another thread.
        feed = copy.copy(self)
        feed.request, feed.article = request, article
        return Feed.__call__(feed, request, slug=article.slug)

    def get_object(self, request, slug):
        return self.article

    def title(self, article):
        return f"{article.title}: live updates"

    def link(self, article):
        return SiteSettings.current().absolute(article.get_absolute_url())

    def description(self, article):
        return article.dek or f"Live updates from {SiteSettings.current().name}."

    def feed_url(self, article):
        return own_address(self.request)

    def feed_extra_kwargs(self, article):
        return {"hubs": hub_addresses()}

    def items(self, article):
        return []  # the entries are written by get_feed

    def get_feed(self, article, request):
        feed = super().get_feed(article, request)
        feed.feed["language"] = SiteSettings.current().language
        tag(names.SITE, names.article(article.pk), names.stream(article.pk))
        shown = Update.objects.shown().filter(article=article).prefetch_related("authors")
        updates = list(shown.order_by("-posted_at", "-pk")[:ENTRIES])
        tag(*(names.author(author.pk) for update in updates for author in update.authors.all()))
        feed.entries = [feed.entry(**self.update_entry(article, update)) for update in updates]
        feed.latest = max((update.edited_at or update.posted_at for update in updates), default=None)
        return feed

    def update_entry(self, article, update):
        site = SiteSettings.current()
        url = site.absolute(page.permalink(article, update))  # leads to the page holding the update now
        bylines = [(author.name, site.absolute(author.get_absolute_url())) for author in update.authors.all()]
        content = update.body_html
        if update.correction:
            content += format_html("<p><strong>Correction:</strong> {}</p>", update.correction)
        host = urlsplit(site.public_url).hostname
        return {
            "title": update.headline or first_words(update),
            "link": url,
            "description": first_words(update, count=40),
            # Stable through a new slug or a move to an older page of the stream: the host, the year, the id.
            "unique_id": f"tag:{host},{update.created_at:%Y}:live-update:{update.pk}",
            "unique_id_is_permalink": False,
            "enclosures": [],
            "pubdate": update.posted_at,
            "updateddate": update.edited_at or update.posted_at,
            "author_name": bylines[0][0] if bylines else None,
            "author_link": bylines[0][1] if bylines else None,
            "categories": ["Key event"] if update.key_event else [],
            "bylines": bylines,
            "content_html": links_made_absolute(content, site.public_url, url),
            "image": None,
        }


def _validators(fmt, article):
    """(ETag, Last-Modified) of a feed of updates: they change with any change to the stream (its position),
    to what the page cache shows at large (its generation) and to the code (its release). None while the shared
    cache is down: no 304 is given then."""
    token = generation()
    if token is None:
        return None, None
    stream = Stream.objects.filter(pk=article.pk).values_list("seq", "changed_at").first() or (0, None)
    digest = hashlib.blake2b(f"{fmt}|{release()}|{token}|{article.pk}|{stream[0]}".encode(), digest_size=12)
    stated = max(article.modified_at.timestamp(), stream[1].timestamp() if stream[1] else 0)
    seconds = last_modified(stated, token)
    return digest.hexdigest(), None if seconds is None else dt.datetime.fromtimestamp(seconds, dt.UTC)


def feed_view(feed, fmt):
    """``feed`` for the live page at the URL's slug, behind Django's ``condition``: 304 when the reader's copy
    is current."""

    def view(request, slug):
        article = page.readable_page(slug)
        if article is None:
            raise Http404("There is no live page at this address.")
        etag, modified = _validators(fmt, article)

        @condition(etag_func=lambda *_, **__: etag, last_modified_func=lambda *_, **__: modified)
        def render(request):
            response = feed(request, article)
            if modified is not None:
                del response["Last-Modified"]  # condition() sets the stream's own
            return response

        return hub_links(request, render(request))

    return view


def feed_urls():
    return [
        path(
            f"articles/<uslug:slug>/live/feed/{fmt}/",
            cache_for_readers(feed_view(cls(), fmt), variant=tokens.variant),
            name=f"feed_{fmt}",
        )
        for fmt, cls in formats(UpdatesFeed).items()
    ]


def feed_links(request, article):
    """The article page's part: its feeds of updates, for ``<link rel="alternate">`` in its head."""
    if not article.is_live_page:
        return None
    kinds = (("rss", "application/rss+xml", "RSS"), ("atom", "application/atom+xml", "Atom"),
             ("json", "application/feed+json", "JSON Feed"))  # fmt: skip
    return {
        "feeds": [
            {
                "href": reverse(f"live:feed_{fmt}", kwargs={"slug": article.slug}),
                "type": mime,
                "title": f"{article.title}: live updates ({label})",
            }
            for fmt, mime, label in kinds
        ]
    }
