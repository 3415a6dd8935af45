import copy
import datetime as dt
import hashlib
import mimetypes
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.encoding import iri_to_uri
from django.utils.feedgenerator import Enclosure
from django.utils.html import format_html
from django.views.decorators.http import condition
from taggit.models import Tag

from articles.models import Article, ArticleImage, Author, Correction, Section, SiteSettings
from articles.models import surrogates as names
from articles.public import fragments, shown
from articles.public.feedformats import AtomFeed, JsonFeed, RssFeed, hub_addresses, links_made_absolute
from pagecache.decorators import cache_for_readers
from pagecache.generation import generation, release
from pagecache.keys import tag
from pagecache.validators import last_modified

ENTRIES = 50


class LatestArticlesFeed(Feed):
    """The newest published articles; subclasses narrow it to a tag or an author."""

    feed_type = RssFeed

    def title(self, obj=None):
        return SiteSettings.current().name

    def description(self, obj=None):
        return SiteSettings.current().tagline

    def link(self, obj=None):
        return SiteSettings.current().absolute(reverse("articles:home"))

    def feed_url(self, obj=None):
        return own_address(self.request)

    def item_link(self, article):
        return SiteSettings.current().absolute(article.get_absolute_url())

    def feed_extra_kwargs(self, obj):
        return {"hubs": hub_addresses()}

    def __call__(self, request, *args, **kwargs):
        # Each request gets its own copy: what it keeps (the request, for the feed's own address) is never
        # seen by another thread serving another feed at the same time.
        feed = copy.copy(self)
        feed.request = request
        return Feed.__call__(feed, request, *args, **kwargs)

    def articles(self, obj):
        return Article.objects.published()

    def list_keys(self, obj):
        """The surrogate keys of which articles the feed lists (``articles.models.surrogates``)."""
        return [names.LATEST]

    def items(self, obj=None):
        return []  # the entries are added by get_feed, each rendered once per version

    def get_feed(self, obj, request):
        """The channel from Django's syndication framework; its entries from fragments (``fragments.feed_entries``):
        each article's entry is rendered once per version of what it shows, in each format, and bodies are
        only read for the entries rendered now."""
        feed = super().get_feed(obj, request)
        feed.feed["language"] = SiteSettings.current().language
        articles = self.articles(obj).defer("body", "body_html", "front_matter", "withdrawal_note")
        articles = list(articles.with_credits().newest_first()[:ENTRIES])
        # The pictures of every entry's body, in one query: tagged for the feed, and shown by the entries
        # rendered now.
        figures = list(ArticleImage.objects.filter(article_id__in=[a.pk for a in articles]).select_related("image"))
        tag(names.SITE, *self.list_keys(obj), *(names.picture(figure.image_id) for figure in figures))
        shown.cards(articles)
        feed.entries = fragments.feed_entries(
            feed.entry_format,
            articles,
            lambda article: feed.entry(**self.entry(article)),
            prepare=lambda missed: _load_bodies(missed, figures),
        )
        feed.latest = max((article.updated_at or article.published_at for article in articles), default=None)
        return feed

    def entry(self, article):
        """What the feed says of one article (as Django's ``Feed.get_feed`` gathers it for an item)."""
        author = self.item_author_name(article)
        return {
            "title": self.item_title(article),
            "link": self.item_link(article),
            "description": self.item_description(article),
            "unique_id": self.item_guid(article),
            "unique_id_is_permalink": self.item_guid_is_permalink,
            "enclosures": self.item_enclosures(article),
            "pubdate": self.item_pubdate(article),
            "updateddate": self.item_updateddate(article),
            "author_name": author,
            "author_link": self.item_author_link(article) if author is not None else None,
            "categories": self.item_categories(article),
            **self.item_extra_kwargs(article),
        }

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        return article.dek

    def item_guid(self, article):
        # Stable through headline and slug changes: the site's host, the year of creation, the id.
        host = urlsplit(SiteSettings.current().public_url).hostname
        return f"tag:{host},{article.created_at:%Y}:article:{article.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return article.updated_at or article.published_at

    def item_author_name(self, article):
        bylines = article.bylines_shown
        return bylines[0].name if bylines else None

    def item_author_link(self, article):
        bylines = article.bylines_shown
        return SiteSettings.current().absolute(bylines[0].url) if bylines else None

    def item_categories(self, article):
        """The section, the kind of work, then the tags, each name once."""
        names = {}
        for name in [thing.name for thing in (article.section, article.kind, *article.tags_shown) if thing]:
            names.setdefault(name.casefold(), name)
        return list(names.values())

    def item_enclosures(self, article):
        image = article.shown_lead_image
        if image is None:
            return []
        try:
            length = image.file.size
        except OSError:
            return []
        mime = mimetypes.guess_type(image.file.name)[0] or "image/jpeg"
        return [Enclosure(SiteSettings.current().absolute(image.url), str(length), mime)]

    def item_extra_kwargs(self, article):
        site = SiteSettings.current()
        url = site.absolute(article.get_absolute_url())
        image = None
        if article.image_url:
            mime = mimetypes.guess_type(urlsplit(article.image_url).path)[0]
            image = {"url": site.absolute(article.image_url), "attrs": {"type": mime} if mime else {}}
        content = links_made_absolute(article.body_for_readers(), site.public_url, url)
        if (label := article.kind_label) and label.sponsored:  # said wherever it is read, as above the headline
            content = format_html("<p><strong>{}</strong></p>", label.text) + content
        return {
            "bylines": [(byline.name, site.absolute(byline.url)) for byline in article.bylines_shown],
            "content_html": content,
            "image": image,
        }


def _load_bodies(articles, figures):
    """Read the bodies of the articles whose entries are about to be rendered, in one query, and give each
    the pictures its body shows (``figures``: the feed's ``ArticleImage`` rows, with their images)."""
    bodies = dict(Article.objects.filter(pk__in=[article.pk for article in articles]).values_list("pk", "body_html"))
    pictures = {}
    for figure in figures:
        pictures.setdefault(figure.article_id, {})[figure.image_id] = figure.image
    for article in articles:
        article.body_html = bodies.get(article.pk, "")
        article._pictures = pictures.get(article.pk, {})


class TagFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def title(self, tag):
        return f"{SiteSettings.current().name}: {tag.name}"

    def link(self, tag):
        return SiteSettings.current().absolute(reverse("articles:tag", kwargs={"slug": tag.slug}))

    def description(self, tag):
        return f"The latest on {tag.name} from {SiteSettings.current().name}."

    def articles(self, tag):
        return Article.objects.published().with_any_tag([tag.pk])

    def list_keys(self, tag):
        return [names.tag(tag.pk), names.tag_list(tag.pk)]


class AuthorFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Author, slug=slug)

    def title(self, author):
        return f"{SiteSettings.current().name}: {author.name}"

    def link(self, author):
        return SiteSettings.current().absolute(author.get_absolute_url())

    def description(self, author):
        return f"Articles by {author.name} in {SiteSettings.current().name}."

    def articles(self, author):
        return Article.objects.published().filter(bylines__author=author)

    def list_keys(self, author):
        return [names.author(author.pk), names.author_list(author.pk)]


class SectionFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Section, slug=slug)

    def title(self, section):
        return f"{SiteSettings.current().name}: {section.name}"

    def link(self, section):
        return SiteSettings.current().absolute(section.get_absolute_url())

    def description(self, section):
        return section.description or f"The latest in {section.name} from {SiteSettings.current().name}."

    def articles(self, section):
        return Article.objects.published().in_section(section)

    def list_keys(self, section):
        return [names.section(section.pk), names.section_list(section.pk)]


class CorrectionsFeed(LatestArticlesFeed):
    """Every public correction and update, newest first: each entry links to the note under its article."""

    def title(self, obj=None):
        return f"{SiteSettings.current().name}: corrections and updates"

    def link(self, obj=None):
        return SiteSettings.current().absolute(reverse("articles:corrections"))

    def description(self, obj=None):
        return f"Every correction and update {SiteSettings.current().name} has made to its articles."

    def get_feed(self, obj, request):
        feed = Feed.get_feed(self, obj, request)  # the channel; its entries are the corrections
        feed.feed["language"] = SiteSettings.current().language
        corrections = list(public_corrections().select_related("article")[:ENTRIES])
        tag(names.SITE)
        shown.corrections(corrections)
        feed.entries = [feed.entry(**self.correction_entry(correction)) for correction in corrections]
        feed.latest = max((correction.created_at for correction in corrections), default=None)
        return feed

    def correction_entry(self, correction):
        article = correction.article
        site = SiteSettings.current()
        url = site.absolute(correction.get_absolute_url())
        host = urlsplit(site.public_url).hostname
        publisher = site.publisher_name or site.name  # a correction is the publication's, not a reporter's
        return {
            "title": f"{correction.get_kind_display()}: {article.title}",
            "link": url,
            "description": f"{correction.get_kind_display()} to “{article.title}”.",
            "unique_id": f"tag:{host},{correction.created_at:%Y}:correction:{correction.pk}",
            "unique_id_is_permalink": False,
            "enclosures": [],
            "pubdate": correction.created_at,
            "updateddate": correction.created_at,
            "author_name": publisher,
            "author_link": site.public_url,
            "categories": [correction.get_kind_display()],
            "bylines": [(publisher, site.public_url)],
            "content_html": links_made_absolute(correction.text_for_readers(), site.public_url, url),
            "image": None,
        }


def public_corrections():
    return Correction.objects.public().order_by("-created_at", "-pk")


# The formats every feed is served in, by the name that ends its URL's name ("feed_rss", "tag_feed_atom").
GENERATORS = {"rss": RssFeed, "atom": AtomFeed, "json": JsonFeed}


def formats(feed_class):
    """The same feed as RSS 2.0, Atom 1.0 and JSON Feed 1.1."""
    return {
        name: type(f"{feed_class.__name__}{name.title()}", (feed_class,), {"feed_type": generator})
        for name, generator in GENERATORS.items()
    }


@dataclass(frozen=True)
class FeedVersion:
    """What a feed's bytes are made of, as conditional GET compares it: the ETag and the Last-Modified
    (None while either is unknown)."""

    etag: str | None
    last_modified: dt.datetime | None


def feed_version(fmt, articles, stamp, **kwargs):
    """The version of one feed from one bounded aggregate query (raises Http404 for an empty tag, author or
    section).

    The validators change whenever the feed's bytes could: the entries shown (ids and edit times, newest
    first), the page-cache generation (any edit readers could see: a renamed author or tag, a withdrawal)
    and the release (a new template). Last-Modified is never older than the last such change, scheduled
    publications and expiries included (``pagecache.validators.last_modified``). While the shared cache is down the
    generation is unknown, so the feed has no validators and no 304 is given.
    """
    order, edited = stamp
    newest = articles(**kwargs).order_by(f"-{order}", "-pk").values_list("pk", edited)
    shown = list(newest[:ENTRIES])
    if not shown and kwargs:
        raise Http404("Nothing published here yet.")  # a tag or an author with no published article
    token = generation()
    if token is None:
        return FeedVersion(etag=None, last_modified=None)
    digest = hashlib.blake2b(f"{fmt}|{release()}|{token}|{shown}".encode(), digest_size=12).hexdigest()
    newest_edit = max((modified.timestamp() for _, modified in shown), default=0)
    seconds = last_modified(newest_edit, token)
    when = None if seconds is None else dt.datetime.fromtimestamp(seconds, dt.UTC)
    return FeedVersion(etag=digest, last_modified=when)


def conditional(feed_view, fmt, articles, stamp=("published_at", "modified_at")):
    """``feed_view`` behind Django's ``condition``: 304 when the reader's copy is current (``feed_version``),
    else the feed, with the feed's version as its ETag and Last-Modified."""

    def view(request, **kwargs):
        version = feed_version(fmt, articles, stamp, **kwargs)  # once a request, for both validators

        @condition(etag_func=lambda *_, **__: version.etag, last_modified_func=lambda *_, **__: version.last_modified)
        def render(request, **kwargs):
            response = feed_view(request, **kwargs)
            if version.last_modified is not None:
                # The syndication framework dates a feed by its newest entry alone; the version's date counts
                # every change the feed shows, and condition() keeps a Last-Modified the view has set.
                del response["Last-Modified"]
            return response

        return hub_links(request, render(request, **kwargs))

    return view


def hub_links(request, response):
    """``response`` with ``Link`` headers naming the feed's own address and each WebSub hub, as subscribers
    discover them (on a 304 as on a 200); nothing is added while no hub is set."""
    if hubs := hub_addresses():
        own = own_address(request)
        response["Link"] = ", ".join([f'<{own}>; rel="self"', *(f'<{hub}>; rel="hub"' for hub in hubs)])
    return response


def own_address(request):
    """The feed's own address as a URI, as the hubs are told of it (``websub.topics``)."""
    return SiteSettings.current().absolute(iri_to_uri(request.path))


def feed_urls(prefix, name, feed_class, articles, wrap=lambda view: view, stamp=("published_at", "modified_at")):
    """URL patterns for one feed in the three formats, each behind the conditional-GET check."""
    return [
        path(
            f"{prefix}{fmt}/",
            cache_for_readers(wrap(conditional(cls(), fmt, articles, stamp))),
            name=f"{name}_{fmt}",
        )
        for fmt, cls in formats(feed_class).items()
    ]


def site_articles():
    return Article.objects.published()


def tag_articles(slug):
    return Article.objects.published().with_any_tag(Tag.objects.filter(slug=slug).values("pk"))


def author_articles(slug):
    return Article.objects.published().filter(bylines__author__slug=slug)


def section_articles(slug):
    return Article.objects.published().filter(section__slug=slug)
