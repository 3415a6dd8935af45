"""Feed generators: Django's RSS and Atom with full content, every byline and media, plus JSON Feed 1.1. Each
names the WebSub hubs it is given (``hubs``, from ``NEWSROOM_WEBSUB_HUBS``) beside its own address."""

import io
import json
import re

from django.conf import settings
from django.utils import feedgenerator
from django.utils.encoding import iri_to_uri
from django.utils.text import get_text_list
from django.utils.translation import gettext

# Characters XML 1.0 cannot carry (control characters pasted from word processors, stray surrogates).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_RELATIVE = re.compile(r'(\s(?:href|src)=")(/[^/"][^"]*|/|#[^"]*)"')
_SRCSET = re.compile(r'(\ssrcset=")([^"]*)"')


def hub_addresses():
    """The hubs as URIs (what a URI cannot carry percent-encoded): safe in a header, and named alike everywhere."""
    return [iri_to_uri(hub) for hub in settings.NEWSROOM_WEBSUB_HUBS]


def xml_safe(value):
    return _XML_ILLEGAL.sub("", value) if isinstance(value, str) else value


def links_made_absolute(html, base, page_url):
    """``html`` with its links and images (every candidate of a srcset too) pointing at this site, not at the feed
    reader: relative addresses put on ``base`` (the site's public address), fragments on ``page_url``."""

    def fix(match):
        target = match.group(2)
        return f'{match.group(1)}{page_url if target.startswith("#") else base}{target}"'

    def fix_srcset(match):
        candidates = [candidate.strip() for candidate in match.group(2).split(",")]
        fixed = [base + c if c.startswith("/") and not c.startswith("//") else c for c in candidates]
        return f'{match.group(1)}{", ".join(fixed)}"'

    return _SRCSET.sub(fix_srcset, _RELATIVE.sub(fix, html))


def _clean(value):
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, (list, tuple)):
        return type(value)(_clean(v) for v in value)
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    return value


class _EntriesMixin:
    """A feed whose entries are rendered one at a time (``entry``) and written as they were rendered: the
    view keeps each entry's text as a fragment (articles/public/fragments.py) and gives the feed the list
    (``entries``). Characters XML cannot carry are stripped from everything, once, on the way in."""

    entry_element = "item"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.feed = _clean(self.feed)
        self.entries = []
        self.latest = None

    def add_item(self, *args, **kwargs):
        super().add_item(*args, **kwargs)
        self.items[-1] = _clean(self.items[-1])

    def entry(self, **kwargs):
        """The text of one entry, from the same arguments as ``add_item``."""
        self.add_item(**kwargs)
        item = self.items.pop()
        out = io.StringIO()
        handler = feedgenerator.SimplerXMLGenerator(out, "utf-8", short_empty_elements=True)
        handler.startElement(self.entry_element, self.item_attributes(item))
        self.add_item_elements(handler, item)
        handler.endElement(self.entry_element)
        return out.getvalue()

    def write_items(self, handler):
        for text in self.entries:
            handler.ignorableWhitespace(text)  # written as it is: it is already XML

    def latest_post_date(self):
        return self.latest or super().latest_post_date()


def _media_content(handler, item):
    """The lead image as Media RSS, which most readers show as the entry's picture."""
    if item.get("image"):
        image = item["image"]
        handler.addQuickElement("media:content", "", {"url": image["url"], "medium": "image", **image["attrs"]})


class RssFeed(_EntriesMixin, feedgenerator.Rss201rev2Feed):
    entry_format = "rss"
    content_type = "application/rss+xml; charset=utf-8"

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
            "xmlns:dc": "http://purl.org/dc/elements/1.1/",
            "xmlns:media": "http://search.yahoo.com/mrss/",
            "xmlns:dcterms": "http://purl.org/dc/terms/",
        }

    def add_item_elements(self, handler, item):
        # One dc:creator naming every author ("Ann Reporter and Bob Photographer"), as large publishers write it:
        # readers such as newsboat keep a single creator per item, so one element per byline would credit the
        # story to its last author only.
        names = [name for name, _url in item["bylines"]]
        if names:
            item = {**item, "author_name": get_text_list(names, gettext("and"))}
        super().add_item_elements(handler, item)  # writes author_name as dc:creator
        if item["updateddate"]:
            handler.addQuickElement("dcterms:modified", item["updateddate"].isoformat())
        handler.addQuickElement("content:encoded", item["content_html"])
        _media_content(handler, item)

    def add_root_elements(self, handler):
        super().add_root_elements(handler)  # names the feed itself (atom:link rel="self")
        for hub in self.feed.get("hubs", ()):
            handler.addQuickElement("atom:link", None, {"rel": "hub", "href": hub})


class AtomFeed(_EntriesMixin, feedgenerator.Atom1Feed):
    entry_format = "atom"
    entry_element = "entry"
    content_type = "application/atom+xml; charset=utf-8"

    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": "http://search.yahoo.com/mrss/"}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)  # writes the first byline as <author>
        for name, url in item["bylines"][1:]:
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.addQuickElement("uri", url)
            handler.endElement("author")
        handler.addQuickElement("content", item["content_html"], {"type": "html"})
        _media_content(handler, item)

    def add_root_elements(self, handler):
        super().add_root_elements(handler)  # names the feed itself (link rel="self")
        for hub in self.feed.get("hubs", ()):
            handler.addQuickElement("link", "", {"rel": "hub", "href": hub})


class JsonFeed(_EntriesMixin, feedgenerator.SyndicationFeed):
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1)."""

    entry_format = "json"

    content_type = "application/feed+json; charset=utf-8"

    def write(self, outfile, encoding):
        feed = self.feed
        data = {
            "version": "https://jsonfeed.org/version/1.1",
            "title": feed["title"],
            "home_page_url": feed["link"],
            "feed_url": feed["feed_url"],
            "description": feed["description"],
            "language": feed["language"],
        }
        if feed.get("hubs"):
            data["hubs"] = [{"type": "WebSub", "url": hub} for hub in feed["hubs"]]
        # The entries are JSON already: they take the place of the last value, items' placeholder.
        head, tail = json.dumps({**data, "items": None}, ensure_ascii=False, indent=1).rsplit("null", 1)
        outfile.write(f"{head}[{','.join(self.entries)}]{tail}".encode(encoding))

    def entry(self, **kwargs):
        self.add_item(**kwargs)
        return json.dumps(self._item(self.items.pop()), ensure_ascii=False, indent=1)

    @staticmethod
    def _item(item):
        entry = {
            "id": item["unique_id"],
            "url": item["link"],
            "title": item["title"],
            "content_html": item["content_html"],
            "summary": item["description"] or None,
            "date_published": item["pubdate"].isoformat(),
            "date_modified": (item["updateddate"] or item["pubdate"]).isoformat(),
            "authors": [{"name": name, "url": url} for name, url in item["bylines"]],
            "tags": list(item["categories"] or []),
        }
        if item.get("image"):
            entry["image"] = item["image"]["url"]
        if item.get("enclosures"):
            entry["attachments"] = [
                {"url": e.url, "mime_type": e.mime_type, "size_in_bytes": int(e.length)} for e in item["enclosures"]
            ]
        return {key: value for key, value in entry.items() if value not in (None, [], "")}
