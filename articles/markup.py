"""Markdown to safe HTML: the one pipeline for article bodies, author bios and previews.

Python-Markdown renders, then nh3 (the Ammonia sanitiser) keeps only an allowlist of tags,
attributes and URL schemes. Sanitising happens after rendering, so raw HTML typed into a
body gets exactly the same treatment as Markdown.
"""

import hashlib
import html as html_lib
import re
import threading
from urllib.parse import urlsplit

import markdown
import nh3
from django.conf import settings
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.treeprocessors import Treeprocessor

# Bumped whenever the output for the same input changes, so stored HTML is rendered again.
RENDERER_VERSION = "2"

EXTENSIONS = ["tables", "fenced_code", "footnotes", "toc", "smarty", "sane_lists", "abbr", "def_list"]
EXTENSION_CONFIGS = {"toc": {"permalink": False, "slugify": slugify_unicode}}

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "details",
    "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr",
    "i", "iframe", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small",
    "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
    "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": {"id", "title", "lang", "dir"},
    "a": {"href"},
    "abbr": {"title"},
    "img": {"src", "alt", "width", "height"},
    "iframe": {"src", "width", "height", "allowfullscreen"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start", "reversed"},
    "li": {"value"},
}
# Classes that the Markdown extensions emit and the stylesheet knows; any other class is dropped.
ALLOWED_CLASSES = {
    "code": {"language-" + lang for lang in ("python", "js", "javascript", "json", "html", "css",
                                             "bash", "shell", "sql", "yaml", "toml", "text")},
    "div": {"footnote", "toc"},
    "a": {"footnote-ref", "footnote-backref"},
    "span": {"embed"},
}  # fmt: skip
URL_SCHEMES = {"http", "https", "mailto", "tel"}
EMBED_HOSTS = frozenset(settings.NEWSROOM_EMBED_HOSTS)  # the CSP's frame-src lists the same hosts
LAZY_IMAGE = {"loading": "lazy", "decoding": "async"}

# nh3 serialises every attribute value in double quotes with '"' escaped, so a tag can be matched
# reliably after sanitising: any run of characters that are not '>' or quoted strings.
_TAG_ATTRS = r'(?:[^>"]|"[^"]*")*'
_A_TAG = re.compile(r"<a(" + _TAG_ATTRS + r")>")
_HREF = re.compile(r'\shref="([^"]*)"')
_IFRAME = re.compile(r"<iframe(" + _TAG_ATTRS + r")>(.*?)</iframe>", re.DOTALL)


def _site_host():
    return urlsplit(settings.NEWSROOM_SITE_URL).hostname or ""


def is_external(url):
    """True for absolute http(s) links that leave this site."""
    parts = urlsplit(url)
    return parts.scheme in {"http", "https"} and bool(parts.hostname) and parts.hostname != _site_host()


def _filter_attribute(tag, attribute, value):
    if tag == "iframe" and attribute == "src":
        parts = urlsplit(value)
        return value if parts.scheme == "https" and parts.hostname in EMBED_HOSTS else None
    return value


def _external_rel(match):
    attrs = match.group(1)
    href = _HREF.search(attrs)
    if href and is_external(href.group(1).replace("&amp;", "&")):
        attrs += ' rel="noopener noreferrer"'
    return f"<a{attrs}>"


def _embed_only(match):
    """An allowed embed keeps its attributes and loses its content (raw text that only non-HTML5 readers,
    some feed readers among them, would take for markup); an iframe whose address was refused goes."""
    attrs = match.group(1)
    return f"<iframe{attrs}></iframe>" if ' src="' in attrs else ""


def sanitize(html):
    """Keep only allowlisted markup; the output is safe to print unescaped."""
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        attribute_filter=_filter_attribute,
        set_tag_attribute_values={"img": LAZY_IMAGE, "iframe": {"loading": "lazy"}},
        link_rel=None,
        strip_comments=True,
    )
    cleaned = _IFRAME.sub(_embed_only, cleaned)
    return _A_TAG.sub(_external_rel, cleaned)


def _same_text(a, b):
    return " ".join((a or "").split()).casefold() == " ".join((b or "").split()).casefold()


class _LeadDuplicates(Treeprocessor):
    """Drop a leading image equal to the lead image and a first heading equal to the title.

    Hugo content often repeats both at the top of the body; the article page already shows them.
    The title and image URL are set on the processor before each conversion.
    """

    title = lead_image_url = ""

    def run(self, root):
        lead_image_url = (self.lead_image_url or "").strip()
        for element in list(root)[:2]:
            if element.tag == "p" and len(element) == 1 and not (element.text or "").strip():
                image = element[0]
                if image.tag == "img" and not (image.tail or "").strip():
                    if lead_image_url and image.get("src", "").strip() == lead_image_url:
                        root.remove(element)
                    continue
            if re.fullmatch(r"h[1-6]", element.tag) and _same_text("".join(element.itertext()), self.title):
                root.remove(element)
            break


class _DemoteH1(Treeprocessor):
    """A page has one <h1>, the article title; headings in a body start at <h2>."""

    def run(self, root):
        for element in root.iter("h1"):
            element.tag = "h2"


class _NewsroomExtension(Extension):
    def extendMarkdown(self, md):
        md.treeprocessors.register(_DemoteH1(md), "demote_h1", 4)
        md.treeprocessors.register(_LeadDuplicates(md), "lead_duplicates", 5)


_local = threading.local()


def _markdown():
    """One configured Markdown instance per thread: building one costs more than a short conversion."""
    md = getattr(_local, "md", None)
    if md is None:
        md = _local.md = markdown.Markdown(
            extensions=[*EXTENSIONS, _NewsroomExtension()], extension_configs=EXTENSION_CONFIGS, output_format="html"
        )
    return md


def render_markdown(text, *, title="", lead_image_url=""):
    """Render Markdown source to sanitised HTML."""
    md = _markdown()
    md.reset()
    lead = md.treeprocessors["lead_duplicates"]
    lead.title, lead.lead_image_url = title, lead_image_url
    try:
        html = md.convert(text or "")
    except RecursionError:
        # Pathologically nested input: show it as escaped text rather than fail the save, and
        # start the next conversion on a fresh instance, since this one stopped half-way.
        _local.md = None
        html = "<pre>" + html_lib.escape(text) + "</pre>"
    return sanitize(html)


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
