"""Parts of an article's page that other apps add (``articles.public.parts``): the page shows the slots they
fill (feeds, structured data standing for the article's, what follows the body) without knowing the app."""

import json
import re
from datetime import timedelta

import pytest
from django.template import Template
from django.utils import timezone
from django.utils.http import http_date
from django.utils.safestring import mark_safe

from articles.public import parts
from articles.tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(monkeypatch):
    """Registers parts for the test only."""
    monkeypatch.setattr(parts, "_PARTS", list(parts._PARTS))
    return parts.register_part


def structured_types(page):
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return [json.loads(text)["@type"] for text in found]


def test_a_part_fills_the_pages_slots_without_the_content_knowing_it(client, registered, time_machine):
    """Its feeds in the head, its structured data instead of the article's (the breadcrumb stays), its
    template under the body; an article it adds nothing to is as before; the part's time dates the page."""
    changed = timezone.now().replace(microsecond=0) + timedelta(minutes=1)

    def extra(request, article):
        if article.slug != "with-extra":
            return None
        return {
            "feeds": [{"href": "/extra/feed/", "type": "application/rss+xml", "title": "Extra & more"}],
            "structured_data": mark_safe('{"@context": "https://schema.org", "@type": "Event"}'),
            "after_body": [{"template": Template('<p class="extra-6T">{{ part.words }}</p>'), "words": "Under <it>"}],
            "modified_at": changed,
        }

    registered(extra)
    article = make_article(slug="with-extra")
    time_machine.move_to(changed + timedelta(minutes=1))
    page = client.get(article.get_absolute_url())
    html = page.content.decode()
    assert '<link rel="alternate" type="application/rss+xml" title="Extra &amp; more" href="/extra/feed/">' in html
    assert structured_types(html) == ["BreadcrumbList", "Event"]
    assert '<p class="extra-6T">Under &lt;it&gt;</p>' in html
    assert html.index('class="extra-6T"') > html.index("</article>")
    assert page["Last-Modified"] == http_date(changed.timestamp())
    plain = client.get(make_article(slug="plain").get_absolute_url()).content.decode()
    assert structured_types(plain) == ["NewsArticle", "BreadcrumbList"] and "extra-6T" not in plain


def test_a_part_naming_a_slot_the_page_has_not_is_an_error_that_says_so(rf, registered):
    registered(lambda request, article: {"live": object()})
    with pytest.raises(ValueError, match="no slot live"):
        parts.article_parts(rf.get("/"), make_article())
