"""A live page's structured data: a LiveBlogPosting as Google's live blog guidelines describe it, checked as
JSON-LD by PyLD (expanded against schema.org's vocabulary) and for the properties Google reads."""

import json
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.utils import timezone
from pyld import jsonld

from articles.tests.factories import make_author
from live import stream
from live.public.page import PER_PAGE
from live.tests.factories import make_live_article, make_updates

pytestmark = pytest.mark.django_db
SCHEMA = "https://schema.org/"


class JsonLdScripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found, self._inside = [], False

    def handle_starttag(self, tag, attrs):
        self._inside = tag == "script" and ("type", "application/ld+json") in attrs

    def handle_data(self, data):
        if self._inside:
            self.found.append(json.loads(data))

    def handle_endtag(self, tag):
        self._inside = False


def structured(response):
    parser = JsonLdScripts()
    parser.feed(response.content.decode())
    return parser.found


def offline_schema_org(url, options=None):
    """schema.org's context as its terms resolve (every term in its vocabulary), without the network."""
    return {"contextUrl": None, "documentUrl": url, "document": {"@context": {"@vocab": SCHEMA}}}


def expanded(data):
    jsonld.set_document_loader(offline_schema_org)
    (node,) = jsonld.expand(data)
    return node


def values(node, name):
    return [item.get("@value", item.get("@id")) for item in node.get(SCHEMA + name, [])]


def live_blog(response):
    (found,) = [data for data in structured(response) if data["@type"] == "LiveBlogPosting"]
    return found


def test_a_live_page_is_a_live_blog_posting_with_its_latest_updates(client, editor, writer):
    """The article's facts, its coverage times and its newest shown updates, each a valid BlogPosting."""
    reporter = make_author("Field Reporter")
    article = make_live_article(authors=[writer.author], live_moderated=True,
                                live_until=timezone.now() + timedelta(hours=3))  # fmt: skip
    make_updates(article, PER_PAGE + 5)
    keyed = stream.post(article, editor, body="Polls **close** & 3 < 4.", key_event=True,
                        authors=[reporter])  # fmt: skip
    stream.edit(keyed, editor, version=1, headline="Polls close")
    pending = stream.post(article, writer, body="Pending.")
    deleted = stream.post(article, editor, body="Deleted-7Q.")
    stream.delete(deleted, editor, version=1)
    response = client.get(article.get_absolute_url())
    data = live_blog(response)
    assert "NewsArticle" not in [item["@type"] for item in structured(response)]
    node = expanded(data)
    assert node["@type"] == [SCHEMA + "LiveBlogPosting"]
    assert values(node, "headline") == [article.title]
    assert values(node, "coverageStartTime") == [article.live_from.isoformat()]
    assert values(node, "coverageEndTime") == [article.live_until.isoformat()]
    for name in ("datePublished", "dateModified", "author", "publisher", "url"):
        assert node.get(SCHEMA + name), name
    updates = node[SCHEMA + "liveBlogUpdate"]
    assert len(updates) == PER_PAGE
    for update in updates:
        assert update["@type"] == [SCHEMA + "BlogPosting"]
        for name in ("headline", "datePublished", "articleBody", "url", "author"):
            assert update.get(SCHEMA + name), name
    first = updates[0]
    assert values(first, "headline") == ["Polls close"] and values(first, "dateModified")
    assert values(first, "articleBody") == ["Polls close & 3 < 4."]
    assert values(first, "url") == [f"http://127.0.0.1:8000/articles/{article.slug}/updates/{keyed.pk}/"]
    assert [values(author, "name") for author in first[SCHEMA + "author"]] == [["Field Reporter"]]
    assert values(updates[1], "headline") == [f"Update number {PER_PAGE + 4}."]
    shown = {item["@id"].rsplit("-", 1)[1] for item in data["liveBlogUpdate"]}
    assert str(pending.pk) not in shown and str(deleted.pk) not in shown
    assert "Deleted-7Q." not in response.content.decode()


def test_a_live_page_without_an_end_or_updates_says_only_when_coverage_started(client):
    """No coverageEndTime until one is set; no liveBlogUpdate before the first update."""
    article = make_live_article()
    node = expanded(live_blog(client.get(article.get_absolute_url())))
    assert values(node, "coverageStartTime") and SCHEMA + "coverageEndTime" not in node
    assert SCHEMA + "liveBlogUpdate" not in node


def test_an_update_without_a_headline_is_named_by_its_first_words(client, editor):
    """An update with no headline gives its first twelve words as the headline."""
    article = make_live_article()
    stream.post(article, editor, body="One two three four five six seven eight nine ten eleven twelve thirteen.")
    (update,) = live_blog(client.get(article.get_absolute_url()))["liveBlogUpdate"]
    assert update["headline"] == "One two three four five six seven eight nine ten eleven twelve…"
