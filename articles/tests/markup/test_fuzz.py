"""Property-based fuzzing (Hypothesis) of what reads untrusted text: front matter, the importer, Markdown.

Any text or bytes end in a clean import or a reported error for that file, never another exception; any
Markdown renders to sanitised HTML.
"""

import datetime as dt
import json
import re
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.markup import figures
from articles.markup import markdown as markup
from interchange import hugo
from interchange.importing import Importer, Outcome, prepare

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

KEYS = sorted(hugo.MAPPED_FIELDS) + ["weight", "series", "params", "x"]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.datetimes(min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30)),
    st.dates(),
    st.sampled_from(
        [
            "2026-13-45",
            "2026-02-30T10:00:00",
            "0001-01-01T00:00:00+05:00",
            "9999-12-31T23:00:00-05:00",
            "yesterday",
            "",
            "draft",
            "published",
            "withdrawn",
            "review",
        ]
    ),  # fmt: skip
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5), st.dictionaries(st.text(max_size=8), children, max_size=5)
    ),
    max_leaves=20,
)
front_matter = st.dictionaries(st.sampled_from(KEYS), values, max_size=12)
bodies = st.text(max_size=400)


def _yaml(meta):
    return yaml.safe_dump(meta, allow_unicode=True, default_flow_style=None)


@st.composite
def documents(draw):
    """Whole files: well-formed front matter in each syntax, then mangled, plus arbitrary bytes."""
    meta, body = draw(front_matter), draw(bodies)
    kind = draw(st.sampled_from(["yaml", "json", "toml-ish", "none", "raw"]))
    if kind == "yaml":
        text = f"---\n{_yaml(meta)}---\n{body}"
    elif kind == "json":
        text = json.dumps(meta, default=str) + "\n" + body
    elif kind == "toml-ish":
        text = "+++\n" + "\n".join(f"{k} = {json.dumps(v, default=str)}" for k, v in meta.items()) + "\n+++\n" + body
    elif kind == "none":
        text = body
    else:
        return draw(st.binary(max_size=600))
    raw = text.encode("utf-8", "surrogatepass")
    if draw(st.booleans()):  # mangle: cut, splice or flip bytes
        cut = draw(st.integers(min_value=0, max_value=len(raw)))
        raw = raw[:cut] + draw(st.binary(max_size=20)) + raw[cut + draw(st.integers(min_value=0, max_value=5)) :]
    return raw


@pytest.mark.parametrize(
    "raw",
    [
        b"---\naliases: [!!timestamp 2000-01-01 00:00:00']\n---\n",  # found by this fuzzer
        b"---\ndate: !!timestamp yesterday\n---\n",
        b"---\ntags: !!binary not base64 at all\n---\n",
    ],
)
def test_a_value_that_does_not_fit_its_tag_is_named(raw):
    with pytest.raises(hugo.FrontMatterError, match="front matter"):
        hugo.parse_document(raw)


@FUZZ
@given(documents())
def test_front_matter_parses_or_says_why(raw):
    try:
        meta, body = hugo.parse_document(raw)
    except hugo.FrontMatterError as error:
        assert str(error)
        return
    assert isinstance(meta, dict) and isinstance(body, str)
    try:
        data = hugo.to_article_data(meta, body, "fuzz.md")
    except hugo.FrontMatterError as error:
        assert str(error)
        return
    fields = data.fields
    assert fields["title"] and len(fields["title"]) <= 300
    if fields["status"] == "published":
        assert fields["published_at"] is not None  # never Published without a time
    for name in ("published_at", "updated_at", "expires_at"):
        if fields[name] is not None:
            assert fields[name].tzinfo is not None
            fields[name].astimezone(dt.UTC)


@pytest.mark.django_db
@FUZZ
@given(st.lists(documents(), min_size=1, max_size=3))
def test_any_file_imports_cleanly_or_is_reported(files):
    """Through the whole importer and the database: an outcome for every file, and never an exception."""
    importer = Importer(workers=1)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for n, raw in enumerate(files):
            path = root / f"file-{n}.md"
            path.write_bytes(raw)
            outcome = importer.store(path, prepare((path, root, True, False, importer.site_host)))
            assert isinstance(outcome, Outcome)
            assert outcome.result in {"created", "updated", "unchanged", "kept", "skipped", "failed"}, outcome
            if outcome.result == "failed":
                assert outcome.reason and "Traceback" not in outcome.reason


markdownish = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "# ",
                "## ",
                "- ",
                "1. ",
                "> ",
                "```",
                "~~~",
                "    ",
                "|",
                "---",
                "***",
                "[",
                "]",
                "(",
                ")",
                "![",
                "<",
                ">",
                "&",
                "*",
                "_",
                "`",
                "\n",
                "\n\n",
                "[^1]",
                "[^1]: ",
                ": ",
                "<script>",
                "<img src=x onerror=alert(1)>",
                "javascript:alert(1)",
                "<iframe src=//evil.example>",
                "<a href='javascript:x'>",
                "{#id}",
                "*[HTML]: ",
                "http://example.org",
                "&#0;",
                "\x00",
                "![a](image:1)",
                '![b "c"](image:2 "cap <b>")',
                "![](image:99999999999999)",
                "![x](image:-1)",
                "![y](image:1.5)",
                "![z](image:abc)",
                "![](image:)",
                "![d](data:image/png;base64,iVBORw0KGgo=)",
                "![m](mailto:a@example.org)",
                "![h](http://[x)",
                '<figure data-image="1">',
                '<img data-image="2" src=x onerror=alert(1)>',
            ]
        ),  # fmt: skip
        st.text(max_size=12),
    ),
    max_size=80,
).map("".join)


def _attributes(html):
    """(tag, attribute, value) of every element in ``html``, as a browser's parser reads them."""
    found = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.extend((tag, name, value) for name, value in attrs)

        handle_startendtag = handle_starttag

    Collector(convert_charrefs=True).feed(html)
    return found


@FUZZ
@given(markdownish, st.text(max_size=30))
def test_any_markdown_renders_to_sanitised_html(body, title):
    html = markup.render_markdown(body, title=title)
    assert isinstance(html, str)
    lowered = html.lower()
    assert "<script" not in lowered
    # Judged on the elements the HTML makes, not its text: `<a href='javascript:x'>` in a code span is
    # text, escaped, and harmless.
    attributes = _attributes(html)
    assert not [name for _, name, _ in attributes if name.startswith("on")], attributes
    assert not [
        value for _, name, value in attributes
        if name in ("href", "src") and "".join((value or "").split()).lower().startswith("javascript:")
    ], attributes  # fmt: skip
    iframes = re.findall(r'<iframe[^>]*src="([^"]*)"', html)
    assert all(any(f"//{host}/" in src for host in markup.settings.NEWSROOM_EMBED_HOSTS) for src in iframes), iframes


class _Picture:
    """A library picture as ``figures.expand`` reads it, without the database."""

    def __init__(self, pk, expired=False):
        self.pk, self.alt, self.caption, self.credit = pk, "Alt <b>", 'Cap "x"', "Cr & co"
        self.url, self.width, self.height = f"/media/library/{pk}.jpg", 960, 640
        self.renditions = {
            "sources": [{"width": 480, "height": 320, "webp": f"r/{pk}-480.webp", "jpg": f"r/{pk}-480.jpg"}]
        }
        self._expired = expired
        self.rights_expire_on = dt.date(2026, 1, 1) if expired else None

    def rights_expired(self, today=None):
        return self._expired


@FUZZ
@given(markdownish)
def test_library_references_only_ever_become_library_pictures(body):
    """Whatever the body, its placeholders come only from ``image:N`` references, and filling them in (for
    readers, with one picture whose rights have expired) leaves no placeholder, no unsafe attribute and no
    <img> without an address: any other picture a browser could not load is its alt text."""
    html = markup.render_markdown(body)
    for readers in (True, False):
        shown = figures.expand(html, {1: _Picture(1), 2: _Picture(2, expired=True)}, readers=readers)
        attributes = _attributes(shown)
        assert not [name for _, name, _ in attributes if name in ("data-image", "data-unshown")], attributes
        images = shown.count("<img")
        assert images == len([v for tag, name, v in attributes if tag == "img" and name == "src" and v]), shown
        assert not [name for _, name, _ in attributes if name.startswith("on")], attributes
        sources = [value for tag, name, value in attributes if tag == "img" and name == "src"]
        if readers:
            assert "r/2-480" not in shown  # the expired picture is left out
        assert all(not src.startswith("javascript") for src in sources)
