"""What the sanitiser leaves of links and attributes: a link keeps its address when its scheme is harmless and is
its text otherwise, never an anchor without an address; and no element keeps an empty class."""

import re
from html.parser import HTMLParser
from pathlib import Path

import nh3
import pytest

from articles.markup.markdown import render_markdown
from articles.markup.sanitizer import URL_SCHEMES

CORPUS = Path(__file__).resolve().parent / "fidelity"


def scheme(url):
    """The scheme a browser reads in ``url`` (WHATWG URL: outer spaces and controls, inner tabs and newlines
    ignored), "" for a relative address."""
    url = re.sub(r"[\t\n\r]", "", url.strip("".join(map(chr, range(0x21)))))
    found = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", url)
    return found.group(1).lower() if found else ""


def elements(html):
    """(tag, {attribute: value}) of every start tag, as a browser's parser reads them."""
    found = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, {name: value or "" for name, value in attrs}))

        handle_startendtag = handle_starttag

    Collector(convert_charrefs=True).feed(html)
    return found


@pytest.mark.parametrize(
    ("source", "html"),
    [
        ("[the channel](irc:newsroom)", '<a href="irc:newsroom">the channel</a>'),
        ("<irc://irc.example.org/chat>", '<a href="irc://irc.example.org/chat">irc://irc.example.org/chat</a>'),
        ("[chat](xmpp:desk@example.org)", '<a href="xmpp:desk@example.org">chat</a>'),
        ("[text us](sms:+4412)", '<a href="sms:+4412">text us</a>'),
        ("[the calendar](webcal://example.org/cal.ics)", '<a href="webcal://example.org/cal.ics">the calendar</a>'),
        ("[on the map](GEO:51.5,-0.1)", '<a href="GEO:51.5,-0.1">on the map</a>'),
    ],
)  # fmt: skip
def test_a_link_with_a_harmless_scheme_keeps_its_address_as_in_hugo(source, html):
    assert render_markdown(source) == f"<p>{html}</p>"


@pytest.mark.parametrize(
    ("source", "html"),
    [
        ("See [the dev server](localhost:8000) now.", "<p>See the dev server now.</p>"),
        ("[a made-up link](foo:bar)", "<p>a made-up link</p>"),
        ('A [**bold** `link`](made-up:x "A title") here.', "<p>A <strong>bold</strong> <code>link</code> here.</p>"),
        ("<made-up-scheme://foo,bar>", "<p>made-up-scheme://foo,bar</p>"),
        ("<a+b+c:d>", "<p>a+b+c:d</p>"),
        ("[](foo:bar)[x](foo:bar)", "<p>x</p>"),
        ("[ref][r]\n\n[r]: chrome://settings", "<p>ref</p>"),
        ("[one](foo:1) and [two](/two)", '<p>one and <a href="/two">two</a></p>'),
    ],
)
def test_a_link_with_any_other_scheme_is_its_text(source, html):
    assert render_markdown(source) == html


def test_every_scheme_a_link_keeps_is_one_ammonia_holds_harmless():
    """The project's own list, so that an upgrade of nh3 never changes a rendering, stays inside Ammonia's."""
    assert URL_SCHEMES <= nh3.ALLOWED_URL_SCHEMES
    assert not URL_SCHEMES & {"javascript", "data", "vbscript", "file", "blob", "filesystem"}


@pytest.mark.parametrize(
    "source",
    [
        "[a](javascript:alert(1))",
        "<javascript:alert(1)>",
        "[a](JavaScript:alert(1))",
        "[a](data:text/html;base64,PHNjcmlwdD4=)",
        "<data:text/html,<script>alert(1)</script>>",
        "[a](vbscript:msgbox(1))",
        "[a](file:///etc/passwd)",
        "[a](java%0ascript:alert(1))",
        "[a](<javascript:alert(1)>)",
        "[a][r]\n\n[r]: javascript:alert(1)",
    ],
)
def test_a_script_address_never_becomes_a_link(source):
    """Judged by the scheme a browser reads in each address (`java%0ascript:` has none: it is a relative path)."""
    links = [attrs for tag, attrs in elements(render_markdown(source)) if tag == "a"]
    assert not [attrs for attrs in links if scheme(attrs.get("href", "")) in {"javascript", "data", "file"}], links


def test_an_unlisted_code_language_leaves_no_empty_class():
    assert render_markdown("```cobol\nDISPLAY 'X'.\n```") == "<pre><code>DISPLAY 'X'.\n</code></pre>"
    assert render_markdown("```python\nx\n```") == '<pre><code class="language-python">x\n</code></pre>'
    assert render_markdown('Text with `class=""` in it.') == '<p>Text with <code>class=""</code> in it.</p>'


# An empty value means something only for these: no alternative text, a boolean attribute, a link to the page itself
# (`[link]()`, as CommonMark and Hugo write it), a picture whose address cannot be read.
MAY_BE_EMPTY = {"alt", "checked", "disabled", "allowfullscreen", "href", "data-unshown"}


def test_no_element_keeps_an_empty_attribute_or_an_anchor_without_an_address():
    sources = [path.read_text(encoding="utf-8") for path in sorted(CORPUS.glob("*.md"))]
    sources.append('```cobol\nx\n```\n\n[a](foo:bar) [b]() ![](https://example.org/x.jpg) [c](/c "")')
    for source in sources:
        for tag, attrs in elements(render_markdown(source)):
            assert not [name for name, value in attrs.items() if not value and name not in MAY_BE_EMPTY], (tag, attrs)
            assert tag != "a" or "href" in attrs, (tag, attrs)
