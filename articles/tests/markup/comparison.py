"""Our HTML and Hugo's, read as a browser would, with the differences the project makes on purpose applied.

Both outputs become a list of (kind, value) items: entities decoded, attribute order and whitespace between
blocks ignored, comments left out. Then every difference in DELIBERATE_DIFFERENCES is undone, and each
comparison records which of them it met, so that the fidelity corpus and the CommonMark spec's examples can
say how often each one shows.
"""

import re
from html.parser import HTMLParser

from articles.markup.parser_rules import ID_PREFIX, LINK_END_PUNCTUATION
from articles.markup.sanitizer import ALLOWED_CLASSES, URL_SCHEMES

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
    "link schemes": "A link keeps its address only when its scheme is one of sanitizer.URL_SCHEMES (harmless ones, "
    "each on Ammonia's list: http, https, mailto, tel, irc, xmpp, sms, geo, webcal, …); any other "
    "(`localhost:8000`, a "
    'made-up scheme) is shown as the link\'s text, without an anchor, where Goldmark keeps `<a href="foo:bar">`: '
    "the site hands a reader's browser no address whose scheme it cannot vouch for. `javascript:`, `data:`, "
    '`vbscript:` and `file:` links show their text too, where Goldmark writes `<a href="">`. A picture whose '
    "address is refused or empty shows its alt text (`<span data-unshown>`), where Goldmark writes `<img "
    'src="">` or keeps the address. Hugo\'s anchor is removed, its text kept, and its picture read as its alt '
    "text, before comparing (an anchor with an empty address, which both write for `[text]()`, is removed on "
    "both sides).",
    "classes": "The sanitiser keeps only the classes in sanitizer.ALLOWED_CLASSES (the stylesheet's); other classes "
    "in Hugo's output (heading attributes, languages we do not list) are removed before comparing.",
    "alt text as written": "An image's alt text keeps its quotation marks, dashes and dots as written. Hugo 0.111 "
    "sets them as entities escaped twice, so that readers and screen readers get the literal text `&ldquo;`; "
    "Hugo's literal entities are read back to the characters written before comparing. Alt text written over two "
    "lines keeps its line break (read as a space), where Goldmark joins the two words; ours is compared without.",
    "bare links beside quotes": "A bare link ends before a quotation mark right after it, which is then set as "
    "the typographer sets it (closing when a quotation is open, straight when none is). Goldmark takes the mark "
    'into the link (`href="…%22"`, an address that leads nowhere), with the stops before it (`….%22`); Hugo\'s '
    "mark and stops are moved out of its link, the mark set so, before comparing.",
    "bare links in brackets": "A bare address inside square brackets that are not a link (`[see "
    "https://example.org/a]`), or after a `[` never closed, is a link. Goldmark 1.5.4 links none there (it reads "
    "them as a possible link's text, and does not come back to them); our link is read as its text before "
    "comparing.",
    "bare links before a parenthesis": "A bare link inside parentheses ends before the closing one, as GitHub's "
    "spec for bare links says, also when a comma or full stop follows it: `(https://example.org/a),`. Goldmark "
    '1.5.4 takes that parenthesis into the link (`href="…/a)"`); Hugo\'s is moved out of its link before '
    "comparing.",
}
# What Hugo's typographer writes, escaped twice, into an image's alt text, and what the source had written there.
ALT_ENTITIES = {
    "&ldquo;": '"', "&rdquo;": '"', "&lsquo;": "'", "&rsquo;": "'", "&ndash;": "--", "&mdash;": "---",
    "&hellip;": "...", "&laquo;": "<<", "&raquo;": ">>",
}  # fmt: skip
# A closing mark Goldmark took into a bare link's address, and the quote it sets outside one. A double quote
# closes only an open quotation (Goldmark counts them over the document); a single one after a link is an
# apostrophe, whatever was opened.
QUOTE_IN_ADDRESS = {"%22": ('"', "\u201d"), "'": ("'", "\u2019")}

# Stand-ins, in Hugo's HTML, for the quotation marks its typographer set (which it writes as entities).
TYPOGRAPHER_OPENS, TYPOGRAPHER_CLOSES = "\ue000", "\ue001"

SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")

BLOCK_TAGS = {
    "blockquote", "dd", "div", "dl", "dt", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "ol", "p", "table",
    "tbody", "td", "th", "thead", "tr", "ul", "br", "pre", "iframe",
}  # fmt: skip


class Canonical(HTMLParser):
    """HTML as a list of (kind, value) items: what a browser would build, with the deliberate differences
    applied by `attribute` and `skip`; `applied` names the ones this HTML showed."""

    def __init__(self, html, *, ours):
        super().__init__(convert_charrefs=True)
        self.ours, self.items, self.pre, self.skipping, self.applied = ours, [], 0, 0, set()
        self.unlinked = False  # inside one of Hugo's links in a scheme we do not link
        self.quote_out = None  # inside one of Hugo's bare links that took a closing mark: (the mark, as set outside)
        self.stops_out = ""  # and the stops before that mark, which end our link
        self.brackets, self.bare_link = 0, None  # "[" open in this block's text; one of our links held back
        self.open_quotations = 0  # Hugo's “ so far not closed by a ”, as its typographer counts them
        self.closed_by_moved_marks = 0  # of those, the ones closed only by a mark moved out of a bare link
        if not ours:  # the quotes Hugo's typographer set, told apart from curly quotes written in the source
            html = html.replace("&ldquo;", TYPOGRAPHER_OPENS).replace("&rdquo;", TYPOGRAPHER_CLOSES)
        self.feed(html)
        self.close()

    def attribute(self, tag, name, value):
        value = value or ""
        if self.ours:
            prefix = {"id": ID_PREFIX, "href": "#" + ID_PREFIX}.get(name)
            if prefix and prefix in value:
                self.applied.add("prefixed ids")
                value = value.replace(prefix, prefix[: -len(ID_PREFIX)], 1)
            differences = {
                ("a", "rel"): "external links",
                ("img", "loading"): "lazy images",
                ("img", "decoding"): "lazy images",
                ("input", "aria-label"): "task boxes",
            }
            if (tag, name) == ("img", "alt") and "\n" in value:
                self.applied.add("alt text as written")
                value = value.replace("\n", "")
            if (tag, name) in differences:
                self.applied.add(differences[tag, name])
                return None
            if tag in {"th", "td"} and name == "class" and value.startswith("align-"):
                self.applied.add("table alignment")
                return ("style", "text-align:" + value[len("align-") :])
        elif name == "class":
            kept = " ".join(c for c in value.split() if c in ALLOWED_CLASSES.get(tag, ()))
            if kept != value:
                self.applied.add("classes")
            value = kept or None
        elif (tag, name) == ("img", "alt") and "&" in value:
            self._count_quotations(
                value.replace("&ldquo;", TYPOGRAPHER_OPENS).replace("&rdquo;", TYPOGRAPHER_CLOSES)
            )  # read as written
            for entity, written in ALT_ENTITIES.items():
                if entity in value:
                    self.applied.add("alt text as written")
                    value = value.replace(entity, written)
        elif (tag, name) == ("a", "href") and value.startswith(("http", "ftp", "mailto")):
            if value.endswith(")") and value.count(")") > value.count("("):  # a parenthesis opened outside it
                self.applied.add("bare links before a parenthesis")
                self.quote_out, value = (")", ")"), value[:-1]
            for ending, mark_and_quote in QUOTE_IN_ADDRESS.items():
                if value.endswith(ending) and value.count(ending) == 1:  # a mark opened outside the link
                    self.applied.add("bare links beside quotes")
                    self.quote_out = mark_and_quote
                    value = value[: -len(ending)]
            if self.quote_out:  # the stops before the mark end the link too, as ours ends
                address = value.rstrip(LINK_END_PUNCTUATION)
                self.stops_out, value = value[len(address) :], address
        return value

    def handle_starttag(self, tag, attrs):
        if self.ours and tag == "iframe":
            self.applied.add("embeds")
            self.skipping += 1
            return
        if self.skipping:
            return
        self._end_bare_link(None)
        if tag in BLOCK_TAGS:
            self.brackets = 0
        href = dict(attrs).get("href")
        if tag == "a" and (href == "" or (not self.ours and self._refused_scheme(href or ""))):
            if href:
                self.applied.add("link schemes")
            self.unlinked = True
            return
        if tag == "span" and self.ours and "data-unshown" in dict(attrs):
            self.items.append(("start", "span", ()))
            return
        src = dict(attrs).get("src")
        if tag == "img" and not self.ours and (not src or self._refused_scheme(src)):
            self.applied.add("link schemes")
            alt = self.attribute(tag, "alt", dict(attrs).get("alt"))
            self.items += [("start", "span", ()), ("text", alt), ("end", "span")]
            return
        tag = self._h1_as_h2(tag)
        kept = []
        for name, value in attrs:
            value = self.attribute(tag, name, value)
            if isinstance(value, tuple):
                kept.append(value)
            elif value is not None:
                kept.append((name, value))
        item = ("start", tag, tuple(sorted(kept)))
        if tag == "a" and self.ours and self.brackets and (href or "").startswith(("http", "ftp", "mailto:")):
            self.bare_link = item  # a bare link inside brackets when its text is its address: see handle_data
            return
        self.items.append(item)
        self.pre += tag == "pre"

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if self.ours and tag == "iframe":
            self.skipping -= 1
            return
        if self.skipping or tag in {"br", "hr", "img", "input"}:
            return
        self._end_bare_link(None)
        if tag in BLOCK_TAGS:
            self.brackets = 0
        if tag == "a" and self.unlinked:  # links do not nest: this closes the one left out
            self.unlinked = False
            return
        tag = self._h1_as_h2(tag)
        self.items.append(("end", tag))
        self.pre -= tag == "pre"
        if tag == "a" and self.quote_out:
            mark, quote = self.quote_out
            if mark == '"':
                quote = quote if self.open_quotations else mark
                if quote != mark:
                    self.open_quotations -= 1
                    self.closed_by_moved_marks += 1
            self.items.append(("text", self.stops_out + quote))
            self.quote_out, self.stops_out = None, ""

    def handle_comment(self, data):
        if not self.ours and data.strip() == "raw HTML omitted":
            self.applied.add("raw HTML")

    def handle_data(self, data):
        if self.skipping:
            return
        if self.quote_out and data.endswith(self.stops_out + self.quote_out[0]):
            data = data[: -len(self.stops_out + self.quote_out[0])]
        if not self.ours:
            data = self._count_quotations(data)
        self._end_bare_link(data)
        for char in data:
            if char in "[]":
                self.brackets = max(0, self.brackets + (1 if char == "[" else -1))
        if self.items and self.items[-1][0] == "text":
            data = self.items.pop()[1] + data  # text on both sides of a comment is one text
        if not self.pre:
            data = data.replace("\n", " ")
            while "  " in data:
                data = data.replace("  ", " ")
        self.items.append(("text", data))

    def _end_bare_link(self, text):
        """Our bare link inside brackets whose text, ``text``, is its address is left out; any other is kept."""
        if self.bare_link is None:
            return
        href = dict(self.bare_link[2]).get("href")
        if text is not None and href in {text, "https://" + text, "http://" + text, "mailto:" + text}:
            self.applied.add("bare links in brackets")
            self.unlinked = True
        else:
            self.items.append(self.bare_link)
        self.bare_link = None

    def _count_quotations(self, text):
        """Follow Hugo's count of open quotations in ``text``, and return it as Hugo would have set it had its
        bare links left out the marks after them: the closing mark that only such a mark left open is straight."""
        out = []
        for char in text:
            if char == TYPOGRAPHER_OPENS:
                self.open_quotations += 1
                char = "\u201c"
            elif char == TYPOGRAPHER_CLOSES:
                char = "\u201d"
                if self.open_quotations:
                    self.open_quotations -= 1
                elif self.closed_by_moved_marks:
                    self.closed_by_moved_marks -= 1
                    char = '"'
            out.append(char)
        return "".join(out)

    @staticmethod
    def _refused_scheme(href):
        scheme = SCHEME.match(href)
        return scheme is not None and scheme.group(1).lower() not in URL_SCHEMES

    def _h1_as_h2(self, tag):
        if tag == "h1":
            self.applied.add("h1")
            return "h2"
        return tag

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


def compare(ours, hugo):
    """(our canonical items, Hugo's, the names of the deliberate differences either HTML showed)."""
    mine, theirs = Canonical(ours, ours=True), Canonical(hugo, ours=False)
    return mine.result(), theirs.result(), mine.applied | theirs.applied
