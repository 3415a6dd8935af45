"""Markdown to safe HTML: the one pipeline for article bodies, author bios, corrections and previews.

markdown-it-py parses CommonMark in linear time, configured like Hugo's Goldmark defaults: tables,
strikethrough, linkify, task lists, footnotes, definition lists, the typographer and automatic
heading ids; raw HTML is left out, as Hugo leaves it out (`unsafe = false`), except an iframe from
an allowed embed host on a line of its own. nh3 (the Ammonia sanitiser) then keeps only an
allowlist of tags, attributes and URL schemes, so the output is safe whatever the parser let through.

Where the output deliberately differs from Hugo's, DELIBERATE_DIFFERENCES in
`articles/tests/markup/test_fidelity.py` lists it, with the reason.
"""

import hashlib
import html as html_lib
import re
import threading
import unicodedata
from urllib.parse import urlsplit

import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from articles.markup import figures

# Bumped whenever the output for the same input changes, so stored HTML is rendered again
# (`manage.py rerender_markdown`).
RENDERER_VERSION = "5"

# The largest Markdown source accepted, in bytes of UTF-8 (bodies, bios, corrections, previews).
MAX_SOURCE_BYTES = 1_000_000

# Heading and footnote ids are prefixed so that no body can take an id the page itself uses.
ID_PREFIX = "md-"

# Exactly what the renderer can emit (raw HTML never reaches the output, except allowed embeds).
ALLOWED_TAGS = {
    "a", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em", "figcaption", "figure", "h2", "h3",
    "h4", "h5", "h6", "hr", "iframe", "img", "input", "li", "ol", "p", "pre", "span", "strong", "sup", "table",
    "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": {"id", "title"},
    "a": {"href", "role"},
    "div": {"role"},
    "img": {"src", "alt", "data-image"},
    "figure": {"data-image"},  # a library picture's placeholder (articles.markup.figures), filled in when shown
    "span": {"data-unshown"},  # a picture that cannot be shown, as its alt text (articles.markup.figures)
    "iframe": {"src", "width", "height", "allowfullscreen"},
    "input": {"checked"},
    "ol": {"start"},
}
# Table column alignment: a class, where Hugo writes an inline style, which the site's CSP would block.
ALIGN_CLASSES = {"align-left", "align-center", "align-right"}
# Classes that the renderer emits and the stylesheet knows; any other class is dropped.
ALLOWED_CLASSES = {
    "code": {"language-" + lang for lang in ("python", "js", "javascript", "json", "html", "css",
                                             "bash", "shell", "sql", "yaml", "toml", "text")},
    "div": {"footnotes"},
    "a": {"footnote-ref", "footnote-backref"},
    "th": ALIGN_CLASSES,
    "td": ALIGN_CLASSES,
}  # fmt: skip
URL_SCHEMES = {"http", "https", "ftp", "mailto", "tel"}
EMBED_HOSTS = frozenset(settings.NEWSROOM_EMBED_HOSTS)  # the CSP's frame-src lists the same hosts
# Attributes every <img> and task box is given, after sanitising and in this order: nh3 would add them in an
# order of its own choosing, so that one text rendered twice would give two different bodies.
LAZY_IMAGE = ' loading="lazy" decoding="async"'
# A task list's box is shown, never an input a reader could type into or submit; its accessible name says
# what it is (its state is read out as checked or not).
CHECKBOX = ' type="checkbox" disabled="" aria-label="Task"'

# nh3 serialises every attribute value in double quotes with '"' escaped, so a tag can be matched
# reliably after sanitising: any run of characters that are not '>' or quoted strings.
_TAG_ATTRS = r'(?:[^>"]|"[^"]*")*'
_A_TAG = re.compile(r"<a(" + _TAG_ATTRS + r")>")
_HREF = re.compile(r'\shref="([^"]*)"')
_SRC = re.compile(r'\ssrc="([^"]*)"')
# Every <img> but a library figure's placeholder (whose <img> gets its address when the page is put together).
_IMG = re.compile(r'(<figure data-image="\d+">)?<img(' + _TAG_ATTRS + r")>")
_INPUT = re.compile(r"<input(" + _TAG_ATTRS + r")>")
_IFRAME = re.compile(r"<iframe(" + _TAG_ATTRS + r")>(.*?)</iframe>", re.DOTALL)
# An embed on a line of its own: the only raw HTML a body keeps.
_EMBED_BLOCK = re.compile(r"\s*<iframe\s[^<>]*>\s*</iframe>\s*", re.IGNORECASE)


def size_error(text):
    """What to tell an editor about Markdown over the size limit, or None when it is within it."""
    size = len((text or "").encode("utf-8", "surrogatepass"))
    if size > MAX_SOURCE_BYTES:
        return (
            f"This text is {size:,} bytes; the limit is {MAX_SOURCE_BYTES:,} bytes (1 MB). "
            "Split it into several articles or shorten it."
        )
    return None


def validate_source_size(text):
    """Model field validator: the size limit, shown as a form error."""
    message = size_error(text)
    if message:
        raise ValidationError(message, code="too_large")


def is_external(url, site_host):
    """True for http(s) links that leave this site, whose host is ``site_host`` (the host of its public address,
    ``models.site_host()``: the renderer is told it, so that it never has an address of its own to drift from
    the site's settings). A scheme-relative link (``//host/…``) leaves it as an absolute one does."""
    if url.startswith("//"):
        url = "https:" + url
    elif not url[:5].lower().startswith(("http:", "https")):
        return False
    host = urlsplit(url).hostname
    return bool(host) and host != site_host


def _external_rel(site_host):
    def add_rel(match):
        attrs = match.group(1)
        href = _HREF.search(attrs)
        if href and is_external(href.group(1).replace("&amp;", "&"), site_host):
            attrs += ' rel="noopener noreferrer"'
        return f"<a{attrs}>"

    return add_rel


def _embed_only(match):
    """An iframe from an allowed embed host (https only) keeps its attributes and loses its content (raw text
    that only non-HTML5 readers, some feed readers among them, would take for markup); any other goes."""
    attrs = match.group(1)
    src = _SRC.search(attrs)
    parts = urlsplit(html_lib.unescape(src.group(1))) if src else None
    if parts is None or parts.scheme != "https" or parts.hostname not in EMBED_HOSTS:
        return ""
    if ' title="' not in attrs:  # a frame needs an accessible name
        attrs += f' title="Embedded content from {html_lib.escape(parts.hostname)}"'
    return f"<iframe{attrs}></iframe>"


def _image(match):
    """An <img> loads lazily; one left without an address (the sanitiser took a ``src`` it refuses) becomes
    its alt text."""
    figure, attrs = match.group(1) or "", match.group(2)
    if figure or " data-image=" in attrs or re.search(r'\ssrc="[^"]', attrs):
        return f"{figure}<img{attrs}{LAZY_IMAGE}>"
    alt = re.search(r'\salt="([^"]*)"', attrs)
    return figures.placeholder_unshown("", html_lib.unescape(alt.group(1)) if alt else "")


def sanitize(html, site_host=""):
    """Keep only allowlisted markup; the output is safe to print unescaped. Links that leave ``site_host`` (every
    absolute one when it is empty) are marked external."""
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        set_tag_attribute_values={"iframe": {"loading": "lazy"}},
        link_rel=None,
        strip_comments=True,
    )
    cleaned = _INPUT.sub(lambda match: f"<input{match.group(1)}{CHECKBOX}>", _IFRAME.sub(_embed_only, cleaned))
    cleaned = _IMG.sub(_image, cleaned)
    return _A_TAG.sub(_external_rel(site_host), cleaned)


def _same_text(a, b):
    return " ".join((a or "").split()).casefold() == " ".join((b or "").split()).casefold()


# Parser rules (core rules run once per document, in order, on the token stream)

_ATTRIBUTE = r"""(?:#[^\s{}#.]+|\.[^\s{}#.]+|[A-Za-z_:][\w.:-]*=(?:"[^"]*"|'[^']*'|[^\s"'{}=]+))"""
_HEADING_ATTRIBUTES = re.compile(r"[ \t]*\{[ \t]*(" + _ATTRIBUTE + r"(?:[ \t]+" + _ATTRIBUTE + r")*)[ \t]*\}[ \t]*$")
_HEADING_ID = re.compile(r"#([^\s{}#.]+)")
_TASK = re.compile(r"\[([ xX])\][ \t]")
_LINKIFY_PREFIXES = ("http://", "https://", "ftp://", "mailto:", "www.")
_LINKIFY_AFTER = frozenset(" \t\n(*_~")
# Dashes, ellipsis, guillemets, and the apostrophe of a decade ('90s).
_TYPOGRAPHY = re.compile(r"---|--|\.\.\.|<<|>>|(?<!\w)'(?=\d\ds(?!\w))")
_TYPOGRAPHY_CHARACTERS = {
    "---": "\u2014",
    "--": "\u2013",
    "...": "\u2026",
    "<<": "\u00ab",
    ">>": "\u00bb",
    "'": "\u2019",
}


def _may_link(text):
    return "://" in text or "@" in text or ("." in text and "www." in text.lower())


def _may_need_typography(text):
    return "--" in text or "..." in text or "<<" in text or ">>" in text or "'" in text


def _inline_tokens(state):
    return (token for token in state.tokens if token.type == "inline" and token.children)


def _heading_attributes(state):
    """`## Heading {#custom-id .class}`: Hugo's heading attributes. Only the id is kept."""
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        inline = tokens[index + 1]
        last = inline.children[-1] if inline.children else None
        match = _HEADING_ATTRIBUTES.search(last.content) if last is not None and last.type == "text" else None
        if match is None:
            continue
        last.content = last.content[: match.start()]
        inline.content = _HEADING_ATTRIBUTES.sub("", inline.content)
        ids = _HEADING_ID.findall(match.group(1))
        if ids:
            token.meta["custom_id"] = ids[-1]


def _linkify_like_goldmark(state):
    """Goldmark links bare URLs with a scheme, `www.` addresses (as https) and e-mail addresses, where they
    start a line or follow a space or one of `(*_~`; not bare domain names such as `example.net`, which
    linkify-it would also take."""
    for inline in _inline_tokens(state):
        children, kept = inline.children, []
        index = 0
        while index < len(children):
            token = children[index]
            if token.type == "link_open" and token.markup == "linkify" and index + 2 < len(children):
                text = children[index + 1].content
                before = kept[-1] if kept else None
                after_boundary = (
                    before is None
                    or before.type == "softbreak"
                    or (before.type == "text" and (not before.content or before.content[-1] in _LINKIFY_AFTER))
                )
                if after_boundary and (text.lower().startswith(_LINKIFY_PREFIXES) or ("@" in text and ":" not in text)):
                    if text.lower().startswith("www.") and token.attrs.get("href", "").startswith("http://"):
                        token.attrs["href"] = "https://" + token.attrs["href"][len("http://") :]
                else:
                    kept.append(children[index + 1])
                    index += 3
                    continue
            kept.append(token)
            index += 1
        inline.children = kept


def _typography(state):
    """Goldmark's typographer beyond quotes: -- and --- dashes, ... ellipsis, << and >> guillemets."""
    for inline in _inline_tokens(state):
        inside_autolink = 0
        for token in inline.children:
            if token.type == "link_open" and token.info == "auto":
                inside_autolink += 1
            elif token.type == "link_close" and token.info == "auto":
                inside_autolink -= 1
            elif token.type == "text" and not inside_autolink and _may_need_typography(token.content):
                token.content = _TYPOGRAPHY.sub(lambda m: _TYPOGRAPHY_CHARACTERS[m.group()], token.content)
        for token, following in zip(inline.children, inline.children[1:], strict=False):
            if token.type == "text" and following.type == "softbreak":
                token.content = token.content.rstrip(" \t")  # a tab before a line break goes, as a space does


def _task_lists(state):
    """`- [x] done`: a list item whose text starts with a box becomes a disabled checkbox, as in Goldmark."""
    tokens = state.tokens
    for index in range(2, len(tokens)):
        inline = tokens[index]
        if not (inline.type == "inline" and inline.children and tokens[index - 1].type == "paragraph_open"):
            continue
        if tokens[index - 2].type != "list_item_open" or inline.children[0].type != "text":
            continue
        first = inline.children[0]
        match = _TASK.match(first.content)
        if match:
            box = Token("task_checkbox", "input", 0)
            box.meta["checked"] = match.group(1) != " "
            first.content = first.content[3:]
            inline.children.insert(0, box)


def _loose_definitions(state):
    """A definition after a blank line holds paragraphs, as Goldmark renders it."""
    lines = None
    for index, token in enumerate(state.tokens[:-1]):
        paragraph = state.tokens[index + 1]
        if token.type == "dd_open" and paragraph.type == "paragraph_open" and paragraph.hidden and paragraph.map:
            lines = lines if lines is not None else state.src.split("\n")
            start = paragraph.map[0]
            if start > 0 and not lines[start - 1].strip():
                close = _block_end(state.tokens, index + 1) - 1
                paragraph.hidden = state.tokens[close].hidden = False


def heading_id(text):
    """Hugo's `github` heading id: letters, digits and underscores lowercased, spaces and hyphens as
    hyphens, everything else left out; "heading" when nothing is left."""
    out = []
    for char in text.strip():
        if char in "- ":
            out.append("-")
        elif char == "_" or char.isalpha() or unicodedata.category(char) == "Nd":
            out.append(char.lower())
    return "".join(out) or "heading"


def _headings(state):
    """Heading ids as Hugo makes them (duplicates get -1, -2…), prefixed; a body's h1 becomes h2, since
    the page's only h1 is the headline."""
    seen = state.env.setdefault("heading_ids", set())
    tried = {}  # base id -> the last suffix tried, so that many equal headings cost linear time
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type not in {"heading_open", "heading_close"}:
            continue
        if token.tag == "h1":
            token.tag = "h2"
        if token.type == "heading_close":
            continue
        text = tokens[index + 1].content
        if token.markup in {"=", "-"}:  # Goldmark names a setext heading after its last line
            text = text.rsplit("\n", 1)[-1]
        base = token.meta.get("custom_id") or heading_id(text)
        candidate, count = base, tried.get(base, 0)
        if count:
            candidate = f"{base}-{count}"
        while candidate in seen:
            count += 1
            candidate = f"{base}-{count}"
        tried[base] = count
        seen.add(candidate)
        token.attrSet("id", ID_PREFIX + candidate)


def _table_alignment(state):
    for token in state.tokens:
        if token.type in {"th_open", "td_open"} and token.attrs.get("style", "").startswith("text-align:"):
            token.attrs["class"] = "align-" + token.attrs.pop("style")[len("text-align:") :]


def _block_end(tokens, start):
    """Index just past the top-level block that starts at `start`."""
    depth = 0
    for index in range(start, len(tokens)):
        depth += tokens[index].nesting
        if depth <= 0:
            return index + 1
    return len(tokens)


def _inline_text(inline):
    return "".join(child.content for child in inline.children or () if child.type in {"text", "code_inline"})


def _lead_duplicates(state):
    """Drop a leading image equal to the lead image and a first heading equal to the title.

    Hugo content often repeats both at the top of the body; the article page already shows them.
    """
    title, lead_image_url = state.env.get("title", ""), (state.env.get("lead_image_url") or "").strip()
    tokens, start = state.tokens, 0
    for _ in range(2):
        if start >= len(tokens):
            return
        end = _block_end(tokens, start)
        block = tokens[start:end]
        if block[0].type == "paragraph_open" and len(block) == 3:
            children = [child for child in block[1].children or () if child.type != "softbreak"]
            if len(children) == 1 and children[0].type == "image":
                if lead_image_url and children[0].attrs.get("src", "").strip() == lead_image_url:
                    del tokens[start:end]
                else:
                    start = end
                continue
        if block[0].type == "heading_open" and _same_text(_inline_text(block[1]), title):
            del tokens[start:end]
        return


_FOOTNOTE_FRAGMENT = re.compile(r"fn(?:ref\d*)?:\d+")


def _fragment_links(state):
    """A link to a heading or footnote of the same body follows that id's prefix."""
    headings = state.env.get("heading_ids", ())
    for inline in _inline_tokens(state):
        for token in inline.children:
            href = token.attrs.get("href", "") if token.type == "link_open" else ""
            if href.startswith("#") and (href[1:] in headings or _FOOTNOTE_FRAGMENT.fullmatch(href[1:])):
                token.attrs["href"] = "#" + ID_PREFIX + href[1:]


# Render rules: what differs from markdown-it's defaults to match Goldmark's HTML


def _constant(html):
    return lambda self, tokens, index, options, env: html


def _render_html_block(self, tokens, index, options, env):
    content = tokens[index].content
    return content if _EMBED_BLOCK.fullmatch(content) else ""


def _render_task_checkbox(self, tokens, index, options, env):
    checked = 'checked="" ' if tokens[index].meta["checked"] else ""
    return f'<input {checked}disabled="" type="checkbox">'


def _footnote_ids(token):
    """(the note's number, the id of this reference to it): Goldmark's fn:N and fnref:N, fnref1:N, …"""
    number, sub = token.meta["id"] + 1, token.meta.get("subId", 0)
    return number, f"{ID_PREFIX}fnref{sub if sub > 0 else ''}:{number}"


def _render_footnote_ref(self, tokens, index, options, env):
    number, ref = _footnote_ids(tokens[index])
    return (
        f'<sup id="{ref}"><a href="#{ID_PREFIX}fn:{number}" class="footnote-ref" role="doc-noteref">{number}</a></sup>'
    )


def _render_footnote_open(self, tokens, index, options, env):
    return f'<li id="{ID_PREFIX}fn:{tokens[index].meta["id"] + 1}">\n'


def _render_footnote_anchor(self, tokens, index, options, env):
    _number, ref = _footnote_ids(tokens[index])
    return f'&#160;<a href="#{ref}" class="footnote-backref" role="doc-backlink">&#x21a9;&#xfe0e;</a>'


RENDER_RULES = {
    "library_figure": figures.render_library_figure,
    "library_image": figures.render_library_image,
    "unshown_image": figures.render_unshown_image,
    "html_block": _render_html_block,
    "html_inline": _constant(""),
    "task_checkbox": _render_task_checkbox,
    "s_open": _constant("<del>"),
    "s_close": _constant("</del>"),
    "footnote_ref": _render_footnote_ref,
    "footnote_block_open": _constant('<div class="footnotes" role="doc-endnotes">\n<hr>\n<ol>\n'),
    "footnote_block_close": _constant("</ol>\n</div>\n"),
    "footnote_open": _render_footnote_open,
    "footnote_close": _constant("</li>\n"),
    "footnote_anchor": _render_footnote_anchor,
}


# An ordinary address (an http(s) host in lower case, or a path, then plain path, query and fragment
# characters) comes out of markdown-it's normalisation (parse, punycode, format, percent-encode) exactly as
# it went in, so the costly round trip is skipped; a property test checks the claim against markdown-it.
_PLAIN_URL = re.compile(
    r"(?:https?://[a-z0-9.-]+(?::[0-9]{1,5})?)?(?:/[A-Za-z0-9._~/-]*)?"
    r"(?:\?[A-Za-z0-9._~=&;+,/:-]*)?(?:#[A-Za-z0-9._~/:-]*)?\Z"
)


def _is_plain_url(url):
    return _PLAIN_URL.match(url) is not None and "xn--" not in url.lower()


def _fast(normalize):
    return lambda url: url if _is_plain_url(url) else normalize(url)


def _build():
    md = MarkdownIt(
        "commonmark", {"html": True, "linkify": True, "typographer": True, "maxNesting": 20, "xhtmlOut": False}
    )
    md.enable(["table", "strikethrough", "linkify", "smartquotes"])
    md.normalizeLink, md.normalizeLinkText = _fast(md.normalizeLink), _fast(md.normalizeLinkText)
    md.use(footnote_plugin, inline=False).use(deflist_plugin)
    md.linkify.set({"fuzzy_ip": False})
    # Goldmark links only what has a scheme, `www.` or `@`: text with none of them skips linkify-it's
    # costlier search (it was half the time of rendering an ordinary article).
    # The paragraph-wide pretest is only this cheap check; the real test runs on each piece of plain text.
    test = md.linkify.test
    md.linkify.pretest = _may_link
    md.linkify.test = lambda text: _may_link(text) and test(text)
    md.core.ruler.after("inline", "heading_attributes", _heading_attributes)
    md.core.ruler.after("heading_attributes", "task_lists", _task_lists)
    md.core.ruler.after("task_lists", "loose_definitions", _loose_definitions)
    md.core.ruler.after("linkify", "linkify_like_goldmark", _linkify_like_goldmark)
    md.core.ruler.after("linkify_like_goldmark", "typography", _typography)
    md.core.ruler.push("headings", _headings)
    md.core.ruler.push("fragment_links", _fragment_links)
    md.core.ruler.push("table_alignment", _table_alignment)
    md.core.ruler.push("lead_duplicates", _lead_duplicates)
    md.core.ruler.push("library_images", figures.library_images)
    for name, rule in RENDER_RULES.items():
        md.add_render_rule(name, rule)
    return md


_local = threading.local()


def _parser():
    """One configured parser per thread: linkify-it keeps match state on its instance."""
    md = getattr(_local, "md", None)
    if md is None:
        md = _local.md = _build()
    return md


def render_markdown(text, *, site_host="", title="", lead_image_url=""):
    """Render Markdown source to sanitised HTML, links that leave ``site_host`` marked external (see
    ``sanitize``). Nesting is bounded by the parser (maxNesting), so the stack depth is too, whatever the input."""
    html = _parser().render(text or "", {"title": title, "lead_image_url": lead_image_url})
    return sanitize(html, site_host).strip()


def source_key(*parts):
    """A fingerprint of everything a rendering depends on, to skip rendering unchanged text."""
    digest = hashlib.blake2b(RENDERER_VERSION.encode(), digest_size=20)
    for part in parts:
        digest.update(b"\x00" + (part or "").encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def plain_text(html):
    """Text content of sanitised HTML, for word counts and search."""
    return re.sub(r"\s+", " ", nh3.clean(html, tags=set())).strip()


def word_count(text):
    return len(re.findall(r"\w+", text or ""))


def reading_minutes(text, words_per_minute=230):
    return max(1, round(word_count(text) / words_per_minute))
