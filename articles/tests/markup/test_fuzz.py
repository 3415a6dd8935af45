"""Property-based fuzzing (Hypothesis) of Markdown: any text renders to sanitised HTML, and library references
only ever become library pictures. (The fuzzing of front matter and the importer is in interchange/tests.)
"""

import datetime as dt
import re
from html.parser import HTMLParser

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.markup import figures, markdown
from articles.markup.sanitizer import EMBED_HOSTS

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


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
                "](irc:x)",
                '](foo:bar "</a>")',
                "<made-up:x>",
                "```cobol\n",
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
    html = markdown.render_markdown(body, title=title)
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
    assert not [(tag, name) for tag, name, value in attributes if name == "class" and not value], attributes
    assert len(re.findall(r"<a[\s>]", html)) == len(
        [tag for tag, name, _ in attributes if (tag, name) == ("a", "href")]
    )
    iframes = re.findall(r'<iframe[^>]*src="([^"]*)"', html)
    assert all(any(f"//{host}/" in src for host in EMBED_HOSTS) for src in iframes), iframes


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
    html = markdown.render_markdown(body)
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
