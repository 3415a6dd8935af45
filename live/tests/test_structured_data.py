"""A live page's structured data: a LiveBlogPosting as Google's live blog guidelines describe it, checked as
JSON-LD by PyLD (expanded against schema.org's vocabulary), for the properties Google reads, and property by
property against the schema.org definitions written out below (``SCHEMA_ORG``): PyLD alone maps any name to a
schema.org address, a misspelt one too."""

import json
from datetime import datetime, timedelta
from html.parser import HTMLParser

import pytest
from django.utils import timezone
from pyld import jsonld

from articles.models import Section, SiteSettings
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


# What schema.org defines, written out here for the types a live page's structured data uses (no network in
# tests): each type's properties (its own and those it inherits: Thing > CreativeWork > Article >
# SocialMediaPosting > BlogPosting > LiveBlogPosting; Thing > Person; Thing > Organization; Thing > CreativeWork >
# MediaObject > ImageObject), limited to the ones a news page could use, each with the value types schema.org
# expects. A property missing here, or a value of another type, fails the test: a misspelt name is caught.
TEXT, URL, DATE, DATE_TIME, INTEGER, BOOLEAN = "Text", "URL", "Date", "DateTime", "Integer", "Boolean"
THING = {
    "name": {TEXT},
    "url": {URL},
    "description": {TEXT},
    "sameAs": {URL},
    "image": {"ImageObject", URL},
    "mainEntityOfPage": {"CreativeWork", URL},
    "identifier": {TEXT, URL},
}
CREATIVE_WORK = THING | {
    "headline": {TEXT},
    "alternativeHeadline": {TEXT},
    "author": {"Person", "Organization"},
    "publisher": {"Person", "Organization"},
    "datePublished": {DATE, DATE_TIME},
    "dateModified": {DATE, DATE_TIME},
    "dateCreated": {DATE, DATE_TIME},
    "keywords": {TEXT, URL},
    "inLanguage": {TEXT},
    "thumbnailUrl": {URL},
    "isAccessibleForFree": {BOOLEAN},
}
ARTICLE = CREATIVE_WORK | {"articleBody": {TEXT}, "articleSection": {TEXT}, "wordCount": {INTEGER}}
BLOG_POSTING = ARTICLE  # SocialMediaPosting adds sharedContent, BlogPosting nothing
SCHEMA_ORG = {
    "LiveBlogPosting": BLOG_POSTING
    | {"coverageStartTime": {DATE_TIME}, "coverageEndTime": {DATE_TIME}, "liveBlogUpdate": {"BlogPosting"}},
    "BlogPosting": BLOG_POSTING,
    "Person": THING | {"givenName": {TEXT}, "familyName": {TEXT}, "jobTitle": {TEXT}},
    "Organization": THING | {"logo": {"ImageObject", URL}, "legalName": {TEXT}},
    "ImageObject": CREATIVE_WORK
    | {
        "contentUrl": {URL},
        "caption": {TEXT},
        "width": {INTEGER},
        "height": {INTEGER},
        "representativeOfPage": {BOOLEAN},
    },
}
# Subtypes a property expecting a type accepts (schema.org: a value may be of any subtype of the expected one).
SUBTYPES = {"CreativeWork": {"CreativeWork", "Article", "BlogPosting", "LiveBlogPosting", "ImageObject", "WebPage"}}

# What Google's live blog guidelines ask for (its structured data documentation for LiveBlogPosting and for
# articles): required, then recommended, by type. Google also lists coverageEndTime as required; the page states
# it only once the desk has set when coverage ends (checked in its own test), and liveBlogUpdate, which a page
# has from its first update on (recommended here: the page has none before).
GOOGLE_REQUIRED = {
    "LiveBlogPosting": {"headline", "coverageStartTime", "datePublished"},
    "BlogPosting": {"headline", "articleBody", "datePublished"},
    "Person": {"name"},
    "Organization": {"name"},
    "ImageObject": {"url"},
}
GOOGLE_RECOMMENDED = {
    "LiveBlogPosting": {
        "dateModified",
        "author",
        "publisher",
        "url",
        "mainEntityOfPage",
        "description",
        "image",
        "liveBlogUpdate",
    },
    "BlogPosting": {"url", "author"},
    "Person": {"url"},
    "Organization": {"url", "logo"},
}


def value_type(value):
    """The schema.org data type (or the ``@type``) of one JSON-LD value, or None for a value of no type."""
    if isinstance(value, dict):
        return value.get("@type")
    if isinstance(value, bool):
        return BOOLEAN
    if isinstance(value, int):
        return INTEGER
    if not isinstance(value, str) or not value.strip():
        return None
    if value.startswith(("https://", "http://")) and " " not in value:
        return URL
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return TEXT
    if "T" in value:
        return DATE_TIME if parsed.tzinfo is not None else TEXT  # a time with no zone is ambiguous: not a DateTime
    return DATE


def accepts(expected, found):
    """Whether a value of type ``found`` is one of ``expected`` (a URL is Text too; a subtype is its type)."""
    if found in expected or (found == URL and TEXT in expected):
        return True
    return any(found in SUBTYPES.get(kind, ()) for kind in expected)


def schema_problems(node, path="$"):
    """Every property of ``node`` (and of the nodes inside it) schema.org does not define for its type or whose
    value is not of a type it expects, and every property Google requires that is missing."""
    kind = node.get("@type")
    if kind not in SCHEMA_ORG:
        return [f"{path}: @type {kind!r} is none of {sorted(SCHEMA_ORG)}"]
    problems = [f"{path}: {kind} lacks {name}" for name in sorted(GOOGLE_REQUIRED.get(kind, set()) - set(node))]
    for name, value in node.items():
        if name in ("@context", "@type", "@id"):
            continue
        expected = SCHEMA_ORG[kind].get(name)
        if expected is None:
            problems.append(f"{path}: {kind} has no property {name!r}")
            continue
        for n, item in enumerate(value if isinstance(value, list) else [value]):
            found = value_type(item)
            if not accepts(expected, found):
                problems.append(f"{path}.{name}[{n}]: {found} where {kind}.{name} expects {sorted(expected)}")
            elif isinstance(item, dict):
                problems += schema_problems(item, f"{path}.{name}[{n}]")
    return problems


def missing_recommended(node):
    """The properties Google recommends that ``node`` and the nodes inside it lack, as "Type.property"."""
    kind, missing = node.get("@type"), set()
    missing |= {f"{kind}.{name}" for name in GOOGLE_RECOMMENDED.get(kind, set()) - set(node)}
    for value in node.values():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict):
                missing |= missing_recommended(item)
    return missing


def test_every_property_is_one_schema_org_defines_with_a_value_it_expects(client, editor, settings):
    """The whole LiveBlogPosting, its updates, authors, publisher and logo, checked against the properties
    schema.org defines for each type (written out above), and against what Google's guidelines require and
    recommend."""
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
    data = live_blog(client.get(article.get_absolute_url()))
    assert schema_problems(data) == []
    assert missing_recommended(data) == set()
    # Every property the page can state was stated here, so each was checked.
    assert {"image", "keywords", "description", "coverageEndTime", "articleSection"} <= set(data)
    assert data["publisher"]["sameAs"] and any("dateModified" in item for item in data["liveBlogUpdate"])


@pytest.mark.parametrize(
    "broken, problem",
    [
        (
            lambda data: data.update(coverageStartTme=data.pop("coverageStartTime")),
            "has no property 'coverageStartTme'",
        ),
        (lambda data: data["liveBlogUpdate"][0].update(articleBdy="x"), "BlogPosting has no property 'articleBdy'"),
        (lambda data: data["publisher"]["logo"].update(ur="x"), "ImageObject has no property 'ur'"),
        (lambda data: data.update(coverageStartTime="yesterday"), "Text where LiveBlogPosting.coverageStartTime"),
        (lambda data: data["author"][0].update(url="not an address"), "Text where Person.url expects"),
        (lambda data: data["liveBlogUpdate"][0].pop("articleBody"), "BlogPosting lacks articleBody"),
        (
            lambda data: data.update(author=[{"@type": "Persn", "name": "X"}]),
            "Persn where LiveBlogPosting.author expects",
        ),
    ],
    ids=["misspelt", "misspelt-in-update", "misspelt-in-logo", "not-a-time", "not-a-url", "required", "no-type"],
)
def test_the_check_fails_on_a_misspelt_property_or_a_wrong_value(client, editor, broken, problem):
    """The check above can fail: each of these mistakes is named."""
    article = make_live_article(authors=[make_author("Desk Writer")])
    stream.post(article, editor, body="Polls close at eight.")
    data = live_blog(client.get(article.get_absolute_url()))
    assert schema_problems(data) == []
    broken(data)
    assert any(problem in found for found in schema_problems(data)), schema_problems(data)
