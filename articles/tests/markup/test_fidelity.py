"""Bodies render as Hugo renders them.

Each document in `fidelity/` sits beside the HTML that Hugo 0.111 (Goldmark, default configuration,
code-fence highlighting off) produced for it; `fidelity/regenerate.py` makes those files again. The
comparison reads both outputs as a browser would (entities decoded, attribute order and whitespace
between blocks ignored) and then applies the differences the project makes on purpose, which are
all listed in DELIBERATE_DIFFERENCES below.
"""

from html.parser import HTMLParser
from pathlib import Path

import pytest

from articles.markup import markdown
from articles.markup.parser_rules import ID_PREFIX
from articles.markup.sanitizer import ALLOWED_CLASSES

CORPUS = Path(__file__).resolve().parent / "fidelity"
DOCUMENTS = sorted(CORPUS.glob("*.md"))

DELIBERATE_DIFFERENCES = {
    "raw HTML": "Hugo writes `<!-- raw HTML omitted -->` where a body has raw HTML; we leave it out without a "
    "comment (comments are not compared).",
    "embeds": "An iframe from an allowed embed host (NEWSROOM_EMBED_HOSTS) on a line of its own is kept; Hugo "
    "omits all raw HTML. Our iframes are removed before comparing.",
    "h1": "A page's only h1 is the headline, so a body's h1 becomes h2; Hugo's h1 are compared as h2.",
    "prefixed ids": f"Heading and footnote ids, and the body's links to them, start with {ID_PREFIX!r} so "
    "that no body can take one of the page's own ids; the prefix is removed before comparing.",
    "external links": 'Links that leave the site get rel="noopener noreferrer"; removed before comparing.',
    "lazy images": 'Images get loading="lazy" decoding="async"; removed before comparing.',
    "task boxes": 'A task list\'s checkbox gets aria-label="Task" (a form control needs an accessible name); '
    "removed before comparing.",
    "table alignment": "A column's alignment is a class (align-left, align-center, align-right) where Hugo writes "
    "style=\"text-align:…\": the site's Content-Security-Policy blocks inline styles. Compared as Hugo's style.",
    "classes": "The sanitiser keeps only the classes in sanitizer.ALLOWED_CLASSES (the stylesheet's); other classes "
    "in Hugo's output (heading attributes, languages we do not list) are removed before comparing.",
}

BLOCK_TAGS = {
    "blockquote", "dd", "div", "dl", "dt", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "ol", "p", "table",
    "tbody", "td", "th", "thead", "tr", "ul", "br", "pre", "iframe",
}  # fmt: skip


class Canonical(HTMLParser):
    """HTML as a list of (kind, value) items: what a browser would build, with the deliberate differences
    applied by `attribute` and `skip`."""

    def __init__(self, html, *, ours):
        super().__init__(convert_charrefs=True)
        self.ours, self.items, self.pre, self.skipping = ours, [], 0, 0
        self.feed(html)
        self.close()

    def attribute(self, tag, name, value):
        value = value or ""
        if self.ours:
            if name in {"id", "href"}:
                value = value.replace(ID_PREFIX, "", 1) if name == "id" else value.replace("#" + ID_PREFIX, "#", 1)
            if (tag, name) in {("a", "rel"), ("img", "loading"), ("img", "decoding"), ("input", "aria-label")}:
                return None
            if tag in {"th", "td"} and name == "class" and value.startswith("align-"):
                return ("style", "text-align:" + value[len("align-") :])
        elif name == "class":
            value = " ".join(c for c in value.split() if c in ALLOWED_CLASSES.get(tag, ())) or None
        return value

    def handle_starttag(self, tag, attrs):
        if self.ours and tag == "iframe":
            self.skipping += 1
            return
        if self.skipping:
            return
        tag = "h2" if tag == "h1" else tag
        kept = []
        for name, value in attrs:
            value = self.attribute(tag, name, value)
            if isinstance(value, tuple):
                kept.append(value)
            elif value is not None:
                kept.append((name, value))
        self.items.append(("start", tag, tuple(sorted(kept))))
        self.pre += tag == "pre"

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if self.ours and tag == "iframe":
            self.skipping -= 1
            return
        if self.skipping or tag in {"br", "hr", "img", "input"}:
            return
        tag = "h2" if tag == "h1" else tag
        self.items.append(("end", tag))
        self.pre -= tag == "pre"

    def handle_data(self, data):
        if self.skipping:
            return
        if not self.pre:
            data = " ".join(data.split(" ")).replace("\n", " ")
            while "  " in data:
                data = data.replace("  ", " ")
        if self.items and self.items[-1][0] == "text":
            self.items[-1] = ("text", self.items[-1][1] + data)
        else:
            self.items.append(("text", data))

    def result(self):
        """Text beside a block boundary loses its surrounding whitespace; empty text goes."""
        out = []
        for index, item in enumerate(self.items):
            if item[0] == "text" and not self._in_pre(index):
                text = item[1]
                if index == 0 or self.items[index - 1][1] in BLOCK_TAGS:
                    text = text.lstrip()
                if index + 1 == len(self.items) or self.items[index + 1][1] in BLOCK_TAGS:
                    text = text.rstrip()
                if not text:
                    continue
                item = ("text", text)
            out.append(item)
        return out

    def _in_pre(self, index):
        depth = 0
        for item in self.items[:index]:
            if item[1] == "pre":
                depth += 1 if item[0] == "start" else -1
        return depth > 0


def canonical(html, *, ours):
    return Canonical(html, ours=ours).result()


def test_corpus_covers_commonmark_and_the_extensions():
    """At least forty documents, each with Hugo's HTML beside it, and the Hugo version recorded."""
    assert len(DOCUMENTS) >= 40
    assert all(document.with_suffix(".html").exists() for document in DOCUMENTS)
    assert "hugo v0.111" in (CORPUS / "HUGO_VERSION").read_text()


@pytest.mark.parametrize("document", DOCUMENTS, ids=[d.stem for d in DOCUMENTS])
def test_renders_as_hugo_does(document):
    """Our reader HTML equals Hugo's once the deliberate differences are applied."""
    source = document.read_text(encoding="utf-8")
    hugo = document.with_suffix(".html").read_text(encoding="utf-8")
    ours = markdown.render_markdown(source)
    assert canonical(ours, ours=True) == canonical(hugo, ours=False)


def test_the_comparison_can_fail():
    """A real difference (a lost list) is caught by the comparison."""
    hugo = (CORPUS / "13-list-after-paragraph.html").read_text(encoding="utf-8")
    assert canonical("<p>Intro line - one - nested two - three</p>", ours=True) != canonical(hugo, ours=False)
