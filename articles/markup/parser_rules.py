"""The parser's core rules: where markdown-it's token stream is changed so that a body reads as Hugo's Goldmark
reads it (heading attributes and ids, bare links, typography, task lists, loose definitions, table alignment),
and what a body repeats of its page (the headline, the lead image) is dropped. Each runs once per document, in
the order ``install`` gives them."""

import re
import unicodedata

from markdown_it.token import Token

# Heading and footnote ids are prefixed so that no body can take an id the page itself uses.
ID_PREFIX = "md-"

_ATTRIBUTE = r"""(?:#[^\s{}#.]+|\.[^\s{}#.]+|[A-Za-z_:][\w.:-]*=(?:"[^"]*"|'[^']*'|[^\s"'{}=]+))"""
_HEADING_ATTRIBUTES = re.compile(r"[ \t]*\{[ \t]*(" + _ATTRIBUTE + r"(?:[ \t]+" + _ATTRIBUTE + r")*)[ \t]*\}[ \t]*$")
_HEADING_ID = re.compile(r"#([^\s{}#.]+)")
_TASK = re.compile(r"\[([ xX])\][ \t]")
_LINKIFY_PREFIXES = ("http://", "https://", "ftp://", "www.")  # not mailto:, which Goldmark leaves as text
LINK_END_PUNCTUATION = "?!.,:*_~"  # never the end of a bare link, as GitHub's spec for bare links says
_LINKIFY_AFTER = frozenset(" \t\n(*_~\"'")  # and a quotation mark, which Goldmark sets as a node of its own
# A line break, and the `*`, `_` and `~` of emphasis and strikethrough, which markdown-it has made tokens.
_LINKIFY_AFTER_TOKENS = frozenset(
    {"softbreak", "em_open", "em_close", "strong_open", "strong_close", "s_open", "s_close"}
)
# Dashes, ellipsis and guillemets; quotes and apostrophes are the typographer module's.
_TYPOGRAPHY = re.compile(r"---|--|\.\.\.|<<|>>")
_TYPOGRAPHY_CHARACTERS = {
    "---": "\u2014",
    "--": "\u2013",
    "...": "\u2026",
    "<<": "\u00ab",
    ">>": "\u00bb",
}


def _may_link(text):
    return "://" in text or "@" in text or ("." in text and "www." in text.lower())


def _may_need_typography(text):
    return "--" in text or "..." in text or "<<" in text or ">>" in text


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
    """Goldmark links bare URLs with a scheme of the web (http, https, ftp), `www.` addresses (as https) and e-mail
    addresses (not `mailto:` ones), where they start a line or follow a space, a quotation mark or one of `(*_~`;
    not bare domain names such as `example.net`, which linkify-it would also take. Punctuation that ends the
    address is not part of it, before a closing parenthesis too (`(https://example.org/a.)`)."""
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
                    or before.type in _LINKIFY_AFTER_TOKENS
                    or (before.type == "text" and (not before.content or before.content[-1] in _LINKIFY_AFTER))
                )
                if after_boundary and (text.lower().startswith(_LINKIFY_PREFIXES) or ("@" in text and ":" not in text)):
                    if text.lower().startswith("www.") and token.attrs.get("href", "").startswith("http://"):
                        token.attrs["href"] = "https://" + token.attrs["href"][len("http://") :]
                    address = text.rstrip(LINK_END_PUNCTUATION)
                    if address and address != text and token.attrs.get("href", "").endswith(text[len(address) :]):
                        token.attrs["href"] = token.attrs["href"][: len(address) - len(text)]
                        children[index + 1].content = address
                        after = Token("text", "", 0)
                        after.content = text[len(address) :]
                        kept += [token, children[index + 1], children[index + 2], after]
                        index += 3
                        continue
                else:
                    kept.append(children[index + 1])
                    index += 3
                    continue
            kept.append(token)
            index += 1
        inline.children = kept


def _addresses_after_apostrophes(state):
    """An e-mail address right after a single quotation mark (`'desk@example.org'`) or with an apostrophe in it
    (`o'brien@example.org`) is linked, as Goldmark links it; linkify-it links neither. The text is matched again
    with each such mark read as a double one, which linkify-it allows there; the address as written is kept."""
    linkify = state.md.linkify
    for inline in _inline_tokens(state):
        children, depth = [], 0
        for token in inline.children:
            depth += (token.type == "link_open") - (token.type == "link_close")
            text = token.content
            if depth or token.type != "text" or "'" not in text or "@" not in text:
                children.append(token)
                continue
            start = 0
            for match in linkify.match(text.replace("'", '"')) or ():
                address = text[match.index : match.last_index]
                if match.schema != "mailto:" or not ("'" in address or text[match.index - 1 : match.index] == "'"):
                    continue
                children += _text_token(text[start : match.index])
                link_open = Token("link_open", "a", 1, markup="linkify", info="auto")
                link_open.attrs["href"] = state.md.normalizeLink("mailto:" + address)
                children += [
                    link_open,
                    *_text_token(address),
                    Token("link_close", "a", -1, markup="linkify", info="auto"),
                ]
                start = match.last_index
            children += _text_token(text[start:]) if start else [token]
        inline.children = children


def _text_token(content):
    token = Token("text", "", 0)
    token.content = content
    return [token] if content else []


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


def _same_text(a, b):
    """The same words, whatever their spacing and case; no text is the same as nothing, not even no text."""
    a, b = " ".join((a or "").split()).casefold(), " ".join((b or "").split()).casefold()
    return bool(a) and a == b


def install(md):
    """Put the rules into markdown-it's core chain, each where Goldmark's reading needs it (after the inline
    parse, around linkify, or at the end), and make linkify look only where Goldmark would link."""
    # Goldmark links only what has a scheme, `www.` or `@`: text with none of them skips linkify-it's
    # costlier search (it was half the time of rendering an ordinary article).
    # The paragraph-wide pretest is only this cheap check; the real test runs on each piece of plain text.
    test = md.linkify.test
    md.linkify.pretest = _may_link
    md.linkify.test = lambda text: _may_link(text) and test(text)
    md.core.ruler.after("inline", "heading_attributes", _heading_attributes)
    md.core.ruler.after("heading_attributes", "task_lists", _task_lists)
    md.core.ruler.after("task_lists", "loose_definitions", _loose_definitions)
    md.core.ruler.after("linkify", "addresses_after_apostrophes", _addresses_after_apostrophes)
    md.core.ruler.after("addresses_after_apostrophes", "linkify_like_goldmark", _linkify_like_goldmark)
    md.core.ruler.after("linkify_like_goldmark", "typography", _typography)
    md.core.ruler.push("headings", _headings)
    md.core.ruler.push("fragment_links", _fragment_links)
    md.core.ruler.push("table_alignment", _table_alignment)
    md.core.ruler.push("lead_duplicates", _lead_duplicates)
