"""A live page's structured data: a LiveBlogPosting as Google's live blog guidelines describe it, checked as
JSON-LD by PyLD (expanded against schema.org's vocabulary), for the properties Google reads, and property by
property against schema.org's published vocabulary (``tests.structured_data``): PyLD alone maps any name to a
schema.org address, a misspelt one too."""

from datetime import timedelta

import pytest
from django.utils import timezone
from pyld import jsonld

from articles.models import Section, SiteSettings
from articles.tests.factories import make_author
from live import stream
from live.public.page import PER_PAGE
from live.tests.factories import make_live_article, make_updates
from tests.structured_data import check, extract, page_problems, recommended_missing

pytestmark = pytest.mark.django_db
SCHEMA = "https://schema.org/"


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
    """The page's LiveBlogPosting block, as a crawler extracts it."""
    page = response if isinstance(response, str) else response.content.decode()
    (found,) = [data for data in extract(page) if data["@type"] == "LiveBlogPosting"]
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
    assert "NewsArticle" not in [item["@type"] for item in extract(response.content.decode())]
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


def test_every_property_is_one_schema_org_defines_with_a_value_it_expects(client, editor, settings):
    """The whole LiveBlogPosting, its updates, authors, publisher and logo, checked against schema.org's published
    vocabulary and what Google's guidelines require (``tests.structured_data``), and with what they recommend."""
    site = SiteSettings.current()
    site.social_profiles = "https://social.example/@newsroom"
    site.save()
    reporter = make_author("Field Reporter")
    article = make_live_article(
        authors=[make_author("Desk Writer")],
        live_until=timezone.now() + timedelta(hours=2),
        tags=["Vote"],
        section=Section.objects.create(name="Politics", slug="politics"),
        lead_image_url="https://images.example/lead.jpg",
    )
    stream.post(article, editor, body="Polls **close** at eight.", headline="Polls close", authors=[reporter])
    update = stream.post(article, editor, body="No headline, and no author credited.")
    stream.edit(update, editor, version=1, body="No headline, and no author credited: edited.")
    page = client.get(article.get_absolute_url()).content.decode()
    data = live_blog(page)
    assert page_problems(page) == []
    # An outside picture has no rights the library could state.
    assert {name for name in recommended_missing(data) if not name.startswith("ImageObject.")} == set()
    # Every property the page can state was stated here, so each was checked.
    assert {"image", "keywords", "description", "coverageEndTime", "articleSection"} <= set(data)
    assert data["publisher"]["sameAs"] and any("dateModified" in item for item in data["liveBlogUpdate"])


@pytest.mark.parametrize(
    "broken, problem",
    [
        (
            lambda data: data.update(coverageStartTme=data.pop("coverageStartTime")),
            "'coverageStartTme' is not a schema.org property",
        ),
        (lambda data: data["liveBlogUpdate"][0].update(articleBdy="x"), "'articleBdy' is not a schema.org property"),
        (lambda data: data["publisher"]["logo"].update(ur="x"), "logo[0].ur: 'ur' is not a schema.org property"),
        (lambda data: data.update(coverageStartTime="yesterday"), "Text where coverageStartTime expects"),
        (lambda data: data["author"][0].update(url="not an address"), "Text where url expects"),
        (lambda data: data["liveBlogUpdate"][0].pop("articleBody"), "BlogPosting lacks articleBody (required)"),
        (
            lambda data: data.update(author=[{"@type": "Persn", "name": "X"}]),
            "Persn where author expects",
        ),
    ],
    ids=["misspelt", "misspelt-in-update", "misspelt-in-logo", "not-a-time", "not-a-url", "required", "no-type"],
)
def test_the_check_fails_on_a_misspelt_property_or_a_wrong_value(client, editor, broken, problem):
    """The check above can fail: each of these mistakes is named."""
    article = make_live_article(authors=[make_author("Desk Writer")])
    stream.post(article, editor, body="Polls close at eight.")
    data = live_blog(client.get(article.get_absolute_url()))
    assert check(data) == []
    broken(data)
    assert any(problem in found for found in check(data)), check(data)
