"""The kind of work in the site's feeds: a category beside the section and the tags in RSS, Atom and JSON Feed,
and a sponsored entry saying who paid for it where the entry is read."""

import json

import feedparser
import pytest
from django.urls import reverse

from articles.models import Section
from articles.tests.factories import kind_of_work, make_article

pytestmark = pytest.mark.django_db

FORMATS = ("rss", "atom", "json")


@pytest.fixture
def entries():
    section = Section.objects.create(name="Harbour", position=1)
    make_article(title="Keep the quay open", section=section, kind=kind_of_work("Opinion"), tags=["Quay"])
    make_article(title="Ferry timetable", kind=kind_of_work("Sponsored"), sponsor="Harbour Ferries Ltd")
    make_article(title="Quay closes", kind=kind_of_work("News"), tags=["news", "Quay"])
    make_article(title="No kind yet", tags=["Quay"])


def categories(client, fmt):
    """{entry title: its categories} as feedparser (RSS, Atom) or the JSON Feed's ``tags`` give them."""
    response = client.get(reverse(f"articles:feed_{fmt}"))
    assert response.status_code == 200
    if fmt == "json":
        return {item["title"]: item.get("tags", []) for item in json.loads(response.content)["items"]}
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return {entry.title: [tag.term for tag in entry.get("tags", [])] for entry in feed.entries}


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_feed_gives_the_kind_as_a_category_after_the_section(client, entries, fmt):
    """Section, kind, then tags; a tag named as the kind is not repeated; no kind, no category for it."""
    assert categories(client, fmt) == {
        "Keep the quay open": ["Harbour", "Opinion", "Quay"],
        "Ferry timetable": ["Sponsored"],
        "Quay closes": ["News", "Quay"],
        "No kind yet": ["Quay"],
    }


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_sponsored_entry_names_its_sponsor_in_its_content(client, entries, fmt):
    """The sponsored entry's content opens with who paid for it; an opinion's content does not."""
    response = client.get(reverse(f"articles:feed_{fmt}"))
    if fmt == "json":
        content = {item["title"]: item["content_html"] for item in json.loads(response.content)["items"]}
    else:
        content = {entry.title: entry.content[0].value for entry in feedparser.parse(response.content).entries}
    assert content["Ferry timetable"].startswith("<p><strong>Sponsored content · Paid for by Harbour Ferries Ltd")
    assert "Sponsored content" not in content["Keep the quay open"]


def test_a_renamed_kind_is_the_feeds_new_category(client, entries):
    """The feed's entries, kept as fragments, take a kind's new name."""
    assert categories(client, "atom")["Keep the quay open"] == ["Harbour", "Opinion", "Quay"]
    kind = kind_of_work("Opinion")
    kind.name = "Comment"
    kind.save()
    assert categories(client, "atom")["Keep the quay open"] == ["Harbour", "Comment", "Quay"]
