"""Every feed names its WebSub hubs and itself: in its body (RSS and Atom links, JSON Feed's ``hubs``) and in
``Link`` headers on a 200 and a 304; with no hub set, nothing of this is added."""

import json

import feedparser
import pytest
from django.urls import reverse

from articles.models import SiteSettings
from articles.tests.factories import make_article, make_author
from websub.tests.hubs import HUBS, link_header, named

pytestmark = pytest.mark.django_db


@pytest.fixture
def feeds():
    """Every feed's path, in every format, for a story with a section-less byline and a tag."""
    make_article(title="Harbour reopens", authors=[make_author("Ann Reporter")], tags=["harbour"])
    paths = []
    for fmt in ("rss", "atom", "json"):
        paths += [reverse(f"articles:feed_{fmt}"), reverse(f"articles:corrections_feed_{fmt}")]
        paths.append(reverse(f"articles:tag_feed_{fmt}", args=["harbour"]))
        paths.append(reverse(f"articles:author_feed_{fmt}", args=["ann-reporter"]))
    return paths


def test_every_feed_names_each_hub_and_itself(client, settings, feeds):
    """RSS, Atom and JSON Feed name every hub and their own absolute address; feedparser reads RSS and Atom
    cleanly and finds the hubs."""
    settings.NEWSROOM_WEBSUB_HUBS = HUBS
    for path in feeds:
        response = client.get(path)
        assert response.status_code == 200, path
        own = SiteSettings.current().absolute(path)
        assert named(response.content, path) == (HUBS, own), path
        if not path.rstrip("/").endswith("json"):
            parsed = feedparser.parse(response.content)
            assert not parsed.bozo, (path, parsed.get("bozo_exception"))
            assert [link.href for link in parsed.feed.links if link.rel == "hub"] == HUBS, path


def test_link_headers_name_the_feed_and_its_hubs_on_200_and_304(client, settings, feeds):
    """A subscriber finds the hubs and the feed's canonical address in the headers, of a fresh copy as of a 304."""
    settings.NEWSROOM_WEBSUB_HUBS = HUBS
    for path in feeds:
        own = SiteSettings.current().absolute(path)
        expected = [f'<{own}>; rel="self"', *(f'<{hub}>; rel="hub"' for hub in HUBS)]
        first = client.get(path)
        assert link_header(first) == expected, path
        again = client.get(path, headers={"if-none-match": first["ETag"]})
        assert again.status_code == 304, path
        assert link_header(again) == expected, path


def test_no_hub_set_adds_nothing(client, settings, feeds):
    """Without hubs, feeds have no hub link, no JSON ``hubs`` and no Link header; RSS and Atom still name
    themselves as before."""
    settings.NEWSROOM_WEBSUB_HUBS = []
    for path in feeds:
        response = client.get(path)
        assert "Link" not in response, path
        hubs, own = named(response.content, path)
        assert hubs == [] and own == SiteSettings.current().absolute(path), path
        if path.rstrip("/").endswith("json"):
            assert "hubs" not in json.loads(response.content)


def test_odd_characters_in_a_hub_or_a_feed_address_keep_the_link_header_and_the_feeds_whole(client, settings):
    """A hub address with characters a URI cannot carry as they are, and a tag's feed whose address is not ASCII:
    the Link header names each as a URI (percent-encoded), and the feeds still parse and name the same hubs."""
    odd = 'https://hub.example/publish?a=1&b=<x>"y z'
    settings.NEWSROOM_WEBSUB_HUBS = [odd, "https://hub.example/é"]
    uris = ["https://hub.example/publish?a=1&b=%3Cx%3E%22y%20z", "https://hub.example/%C3%A9"]
    make_article(title="Tokyo harbour", tags=["東京"])
    for fmt in ("rss", "atom", "json"):
        path = reverse(f"articles:tag_feed_{fmt}", args=["東京"])
        response = client.get(path)
        assert response.status_code == 200, path
        own = SiteSettings.current().absolute(path)
        assert link_header(response) == [f'<{own}>; rel="self"', *(f'<{uri}>; rel="hub"' for uri in uris)], path
        assert named(response.content, path) == (uris, own), path
        if fmt != "json":
            parsed = feedparser.parse(response.content)
            assert not parsed.bozo, (path, parsed.get("bozo_exception"))
