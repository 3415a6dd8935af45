"""The sanitiser's policy: nh3 (the Ammonia sanitiser) keeps only an allowlist of tags, attributes, classes and
URL schemes, so the output is safe whatever the parser let through; then links that leave the site are marked
external, a link whose address was refused is its text, embeds from other hosts go, empty classes go, and
pictures and embeds load lazily, in one fixed spelling."""

import html as html_lib
import re
from urllib.parse import urlsplit

import nh3
from django.conf import settings

from articles.markup import figures

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
# The schemes a link may keep: those that only open a page or hand the address to another program (a mail or
# chat client, the phone, a calendar), all on Ammonia's own list of harmless schemes; never javascript:, data:,
# vbscript: or file:. A link with any other scheme (`localhost:8000`, a made-up one) is shown as its text. Kept
# here rather than taken from nh3, so that an upgrade of nh3 never changes what a body renders to.
URL_SCHEMES = frozenset({
    "http", "https", "mailto", "tel", "sms", "ftp", "ftps", "irc", "ircs", "xmpp", "geo", "webcal", "news",
    "nntp", "sip", "magnet",
})  # fmt: skip
EMBED_HOSTS = frozenset(settings.NEWSROOM_EMBED_HOSTS)  # the CSP's frame-src lists the same hosts
# Attributes every <img>, task box and embed is given, after sanitising and in this order: nh3 would add them in
# the order of a hash map seeded afresh for each call, so that one text rendered twice would give two bodies.
LAZY_IMAGE = ' loading="lazy" decoding="async"'
# A task list's box is shown, never an input a reader could type into or submit; its accessible name says
# what it is (its state is read out as checked or not).
CHECKBOX = ' type="checkbox" disabled="" aria-label="Task"'
LAZY_FRAME = ' loading="lazy"'

# nh3 serialises every attribute value in double quotes with '"', '<' and '>' escaped, and escapes '<' in text,
# so a tag can be matched reliably after sanitising: '<', then any run of characters that are not '>' or quoted
# strings. Links do not nest, so a link ends at the first </a> after it.
_TAG_ATTRS = r'(?:[^>"]|"[^"]*")*'
_TAG = re.compile(r"<[a-z][a-z0-9]*" + _TAG_ATTRS + r">")
_LINK = re.compile(r"<a(?=[\s>])(" + _TAG_ATTRS + r")>(.*?)</a>", re.DOTALL)
_HREF = re.compile(r'\shref="([^"]*)"')
_SRC = re.compile(r'\ssrc="([^"]*)"')
# Every <img> but a library figure's placeholder (whose <img> gets its address when the page is put together).
_IMG = re.compile(r'(<figure data-image="\d+">)?<img(' + _TAG_ATTRS + r")>")
_INPUT = re.compile(r"<input(" + _TAG_ATTRS + r")>")
_IFRAME = re.compile(r"<iframe(" + _TAG_ATTRS + r")>(.*?)</iframe>", re.DOTALL)


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


def _link(site_host):
    """A link that leaves the site is marked external; one whose address the sanitiser refused is its text,
    not an anchor that leads nowhere."""

    def link(match):
        attrs, content = match.group(1), match.group(2)
        href = _HREF.search(attrs)
        if href is None:
            return content
        if is_external(href.group(1).replace("&amp;", "&"), site_host):
            attrs += ' rel="noopener noreferrer"'
        return f"<a{attrs}>{content}</a>"

    return link


def _without_empty_class(match):
    """nh3 leaves ``class=""`` where it removed every class (a code block in a language the stylesheet does not
    know): it goes."""
    return match.group().replace(' class=""', "")


def _embed_only(match):
    """An iframe from an allowed embed host (https only) keeps its attributes and loses its content (raw text
    that only non-HTML5 readers, some feed readers among them, would take for markup); any other goes."""
    attrs = match.group(1)
    src = _SRC.search(attrs)
    parts = urlsplit(html_lib.unescape(src.group(1))) if src else None
    if parts is None or parts.scheme != "https" or parts.hostname not in EMBED_HOSTS:
        return ""
    attrs += LAZY_FRAME
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
        link_rel=None,
        strip_comments=True,
    )
    cleaned = _INPUT.sub(lambda match: f"<input{match.group(1)}{CHECKBOX}>", _IFRAME.sub(_embed_only, cleaned))
    cleaned = _IMG.sub(_image, cleaned)
    if ' class=""' in cleaned:
        cleaned = _TAG.sub(_without_empty_class, cleaned)
    return _LINK.sub(_link(site_host), cleaned)
