from xml.etree import ElementTree

import pytest

from about.tests.factories import make_page

pytestmark = pytest.mark.django_db
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def locations(response):
    return [node.text for node in parsed(response).findall(".//s:loc", NS)]


def parsed(response):
    return ElementTree.fromstring(response.content)  # noqa: S314 (our own sitemap)


def test_the_published_pages_are_in_the_ordinary_sitemap_and_not_the_news_one(client):
    """sitemap-about.xml lists published pages with their last change; the index names it; news does not."""
    make_page(slug="ethics-policy")
    make_page(slug="draft-policy", published=False)
    response = client.get("/sitemap-about.xml")
    assert locations(response) == ["http://127.0.0.1:8000/about/ethics-policy/"]
    assert parsed(response).find(".//s:lastmod", NS) is not None
    assert "http://127.0.0.1:8000/sitemap-about.xml" in locations(client.get("/sitemap.xml"))
    assert b"/about/" not in client.get("/sitemap-news.xml").content
