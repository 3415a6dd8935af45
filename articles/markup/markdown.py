"""Markdown to safe HTML: the one pipeline for article bodies, author bios, corrections and previews.

markdown-it-py parses CommonMark in linear time, configured like Hugo's Goldmark defaults: tables,
strikethrough, linkify, task lists, footnotes, definition lists, the typographer and automatic
heading ids; raw HTML is left out, as Hugo leaves it out (`unsafe = false`), except an iframe from
an allowed embed host on a line of its own. nh3 (the Ammonia sanitiser) then keeps only an
allowlist of tags, attributes and URL schemes, so the output is safe whatever the parser let through.

This module configures the parser and its HTML renderer and is where the pipeline is called from
(``render_markdown``, ``source_key``, ``RENDERER_VERSION``). Its parts: ``parser_rules`` (the token-stream
rules that read a body as Goldmark does), ``typographer`` (quotation marks and apostrophes as Goldmark sets
them), ``sanitizer`` (the nh3 policy and what is fixed after it), ``figures`` (library pictures), ``limits``
(the size accepted) and ``reading`` (word counts, reading time).

Where the output deliberately differs from Hugo's, DELIBERATE_DIFFERENCES in
`articles/tests/markup/comparison.py` lists it, with the reason.
"""

import hashlib
import re
import threading

from markdown_it import MarkdownIt
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from articles.markup import figures, parser_rules, typographer
from articles.markup.parser_rules import ID_PREFIX
from articles.markup.sanitizer import sanitize

# Bumped whenever the output for the same input changes, so stored HTML is rendered again
# (`manage.py rerender_markdown`).
RENDERER_VERSION = "6"

# An embed on a line of its own: the only raw HTML a body keeps.
_EMBED_BLOCK = re.compile(r"\s*<iframe\s[^<>]*>\s*</iframe>\s*", re.IGNORECASE)


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


def _any_address(url):
    return True


def _build():
    md = MarkdownIt(
        "commonmark", {"html": True, "linkify": True, "typographer": False, "maxNesting": 20, "xhtmlOut": False}
    )
    md.enable(["table", "strikethrough", "linkify"])
    md.normalizeLink, md.normalizeLinkText = _fast(md.normalizeLink), _fast(md.normalizeLinkText)
    # Every link and picture is parsed as one, whatever its address, as Goldmark parses it; the sanitiser then
    # decides which addresses are kept, and a link or picture whose address it refused shows its text.
    md.validateLink = _any_address
    md.use(footnote_plugin, inline=False).use(deflist_plugin)
    md.linkify.set({"fuzzy_ip": False})
    parser_rules.install(md)
    # Quotes are decided on the characters as written, before typography turns -- and ... into dashes and ellipses.
    md.core.ruler.before("typography", "quotation_marks", typographer.quotation_marks)
    md.core.ruler.before("footnote_tail", "keep_unshown_notes", typographer.keep_unshown_notes)
    md.core.ruler.push("library_images", figures.library_images)  # after every rule of parser_rules
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
