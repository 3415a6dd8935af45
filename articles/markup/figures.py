"""Library pictures inside article bodies.

A body refers to a library picture by its number: ``![alt text](image:123 "caption")``. The reference survives
every edit of the picture (a new file, a new focal point, a new credit), since what is stored is the number.

The Markdown renderer turns a reference into a placeholder that records only the number, the alt text and the
caption (``<figure data-image="123">`` for a picture on a line of its own, ``<img data-image="123">`` inside a
sentence); the stored HTML never goes stale. The placeholders become pictures when a page is put together
(``expand``), from the library as it is then: ``<figure>`` with ``<picture>``, AVIF, WebP and JPEG ``srcset``, width and
height, lazy loading, the caption and the credit. A picture that is not in the library, or whose rights have
expired, is left out for readers and named for editors.
"""

import html as html_lib
import re

from django.core.files.storage import default_storage
from django.utils.html import escape, format_html, format_html_join
from markdown_it.token import Token

REFERENCE = re.compile(r"image:(\d{1,12})\Z")
_FIGURE = re.compile(r'<figure data-image="(\d+)">(.*?)</figure>', re.DOTALL)
_INLINE = re.compile(r'<img data-image="(\d+)"((?:[^>"]|"[^"]*")*)>')
_ALT = re.compile(r'\salt="([^"]*)"')
_CAPTION = re.compile(r"<figcaption>(.*?)</figcaption>", re.DOTALL)
PLACEHOLDER = re.compile(r'data-image="(\d+)"')
# A picture that cannot be shown: its alt text, and the address it had (for editors and the publish checklist).
_UNSHOWN = re.compile(r'<span data-unshown="([^"]*)">(.*?)</span>', re.DOTALL)
# What a browser may load as a picture: a relative address (no scheme) or http(s). The sanitiser drops any other
# scheme from ``src``, which left an <img> with nothing to show.
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_LOADABLE_SCHEMES = {"http:", "https:"}

BODY_SIZES = "(min-width: 44rem) 42rem, 100vw"


# What Markdown would read as something else in a picture's alt text (a bracket, emphasis, code, a strikethrough,
# a tag, an entity) and in its caption (a quote, an entity): each is written with a backslash before it.
_ALT_SPECIAL = re.compile(r"([\\\[\]`*_~]|<(?=[A-Za-z/!?])|&(?=#?[A-Za-z0-9]+;))")
_CAPTION_SPECIAL = re.compile(r'([\\"]|&(?=#?[A-Za-z0-9]+;))')


def reference(image_id, alt="", caption=""):
    """The Markdown that shows a library picture, its alt text and caption read back exactly as they are."""
    alt = _ALT_SPECIAL.sub(r"\\\1", alt)
    title = ' "' + _CAPTION_SPECIAL.sub(r"\\\1", caption) + '"' if caption else ""
    return f"![{alt}](image:{image_id}{title})"


def unshown(html):
    """The addresses (as written; "" when unreadable) of the pictures a rendered text shows as their alt text
    only, since they are neither library pictures nor addresses a browser may load."""
    return [html_lib.unescape(address) for address, _ in _UNSHOWN.findall(html or "")]


def unshown_picture(address, where=""):
    """A picture that cannot be shown, named for editors: ``picture “image:abc” {where} (why not)``."""
    shown = address if len(address) < 80 else address[:79] + "…"
    named = " ".join(part for part in ("picture", f"“{shown}”" if address.strip() else "", where) if part)
    if address.startswith("image:"):
        return f"{named} (not a number of the media library: write image: and the picture's number)"
    if address.strip():
        return f"{named} (not an address browsers may load: http, https or a library picture)"
    return f"{named} (its address cannot be read)"


def _loadable(address):
    scheme = _SCHEME.match(address)
    return bool(address.strip()) and (scheme is None or scheme.group().lower() in _LOADABLE_SCHEMES)


def referenced_ids(html):
    """The library pictures a rendered body shows, in order, each once."""
    return list(dict.fromkeys(int(number) for number in PLACEHOLDER.findall(html or "")))


def references(html):
    """(id, alt text as written) of every library picture a rendered body shows, in order: read from the
    renderer's placeholders, so a reference quoted in code is not one."""
    found = []
    for placeholder in (_FIGURE, _INLINE):  # a figure's alt text is on the <img> inside it
        for match in placeholder.finditer(html or ""):
            alt = _ALT.search(match.group(2))
            found.append((match.start(), int(match.group(1)), html_lib.unescape(alt.group(1)) if alt else ""))
    return [(number, alt) for _, number, alt in sorted(found)]


def captions(html):
    """{id: caption} for the library pictures a rendered body shows as figures with a caption of their own (the
    first such figure of each), as readers read them."""
    found = {}
    for match in _FIGURE.finditer(html or ""):
        caption = _CAPTION.search(match.group(2))
        if caption:
            found.setdefault(int(match.group(1)), html_lib.unescape(caption.group(1)))
    return found


# What the renderer emits (markup.py runs this rule and these render rules)


def library_images(state):
    """``![alt](image:123 "caption")``: a library picture. Alone in its paragraph it becomes a figure
    placeholder (a block of its own, never inside a <p>); inside a sentence, an inline placeholder. A picture
    that is neither a library number nor an address a browser may load (``image:abc``, ``data:``) becomes its
    alt text, marked with the address (``placeholder_unshown``)."""
    tokens, index = state.tokens, 0
    while index < len(tokens):
        inline = tokens[index]
        if inline.type == "inline" and inline.children:
            for child in inline.children:
                address = child.attrs.get("src", "") if child.type == "image" else None
                if address is None or (not REFERENCE.match(address) and _loadable(address)):
                    continue
                child.meta["alt"] = state.md.renderer.renderInlineAsText(child.children or [], {}, state.env)
                if REFERENCE.match(address):
                    child.type, child.meta["image_id"] = "library_image", int(address[len("image:") :])
                else:
                    child.type, child.meta["address"] = "unshown_image", address
            shown = [
                c for c in inline.children if c.type != "softbreak" and not (c.type == "text" and not c.content.strip())
            ]
            if (
                len(shown) == 1
                and shown[0].type == "library_image"
                and index > 0
                and tokens[index - 1].type == "paragraph_open"
                and index + 1 < len(tokens)
                and tokens[index + 1].type == "paragraph_close"
            ):
                block = Token("library_figure", "figure", 0)
                block.meta = shown[0].meta
                block.attrs = dict(shown[0].attrs)
                tokens[index - 1 : index + 2] = [block]
                continue
        index += 1


def render_library_figure(self, tokens, index, options, env):
    token = tokens[index]
    return placeholder_figure(token.meta["image_id"], token.meta["alt"], token.attrs.get("title", ""))


def render_library_image(self, tokens, index, options, env):
    token = tokens[index]
    return placeholder_inline(token.meta["image_id"], token.meta["alt"])


def render_unshown_image(self, tokens, index, options, env):
    token = tokens[index]
    return placeholder_unshown(token.meta["address"], token.meta["alt"])


def placeholder_unshown(address, alt):
    """A picture that cannot be shown: its alt text, which is what readers get, with its address for editors."""
    return f'<span data-unshown="{escape(address)}">{escape(alt)}</span>'


def placeholder_figure(image_id, alt, caption):
    figcaption = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
    return f'<figure data-image="{image_id}"><img alt="{escape(alt)}">{figcaption}</figure>\n'


def placeholder_inline(image_id, alt):
    return f'<img data-image="{image_id}" alt="{escape(alt)}">'


# What readers and editors get


def picture(image, *, alt, sizes=BODY_SIZES, loading="lazy"):
    """``<picture>`` with AVIF, WebP and JPEG renditions (in that order: a browser takes the first it can show),
    width and height; a plain ``<img>`` for a picture without renditions (an author photo moved from before the
    library). A picture whose renditions predate AVIF offers WebP and JPEG until they are rewritten."""
    url = default_storage.url
    sources = image.renditions.get("sources") or []
    if not sources:
        return format_html(
            '<img src="{}" width="{}" height="{}" alt="{}" loading="{}" decoding="async">',
            image.url, image.width, image.height, alt, loading,
        )  # fmt: skip
    offered = format_html_join(
        "",
        '<source type="{}" srcset="{}" sizes="{}">',
        (
            (kind, ", ".join(f"{url(s[ext])} {s['width']}w" for s in sources), sizes)
            for kind, ext in (("image/avif", "avif"), ("image/webp", "webp"))
            if all(s.get(ext) for s in sources)
        ),
    )
    fallback = sources[min(1, len(sources) - 1)]
    return format_html(
        "<picture>{}"
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" loading="{}" decoding="async">'
        "</picture>",
        offered,
        url(fallback["jpg"]),
        ", ".join(f"{url(s['jpg'])} {s['width']}w" for s in sources),
        sizes,
        fallback["width"],
        fallback["height"],
        alt,
        loading,
    )


def _notice(text, tag="p"):
    return format_html('<{} class="figure-notice">{}</{}>', tag, text, tag)


def _unavailable(image_id, image, today, readers, tag="p"):
    """Why picture ``image_id`` is not shown ("" for readers, who are told nothing), or None when it is."""
    if image is None:
        return "" if readers else _notice(f"Picture #{image_id} is not in the media library.", tag)
    if image.rights_expired(today):
        if readers:
            return ""
        expired = f"{image.rights_expire_on:%d %B %Y}"
        return _notice(f"Picture #{image_id}: its rights expired on {expired}; readers do not see it.", tag)
    return None


def expand(html, pictures, *, today=None, readers=True):
    """``html`` with its placeholders replaced by the library ``pictures`` ({id: Image}). For ``readers``, a
    missing or expired picture leaves nothing behind, and one that cannot be shown its alt text; for editors
    (previews), a notice says what is wrong."""
    if "data-image=" not in html and "data-unshown=" not in html:
        return html

    def unshown(match):
        if readers:
            return match.group(2)
        named = unshown_picture(html_lib.unescape(match.group(1)))
        return _notice(f"This {named} cannot be shown; readers see only its alt text.", "span")

    def figure(match):
        image_id, inner = int(match.group(1)), match.group(2)
        image = pictures.get(image_id)
        if (gone := _unavailable(image_id, image, today, readers)) is not None:
            return gone
        alt_match, caption_match = _ALT.search(inner), _CAPTION.search(inner)
        alt = _unescaped(alt_match.group(1)) if alt_match and alt_match.group(1) else image.alt
        caption = _unescaped(caption_match.group(1)) if caption_match else image.caption
        parts = [format_html("{}", caption)] if caption else []
        if image.credit:
            parts.append(format_html('<span class="credit">{}</span>', image.credit))
        figcaption = format_html(
            "<figcaption>{}</figcaption>", format_html_join(" ", "{}", ((part,) for part in parts))
        )
        return format_html(
            '<figure class="body-figure">{}{}</figure>', picture(image, alt=alt), figcaption if parts else ""
        )

    def inline(match):
        image_id = int(match.group(1))
        image = pictures.get(image_id)
        if (gone := _unavailable(image_id, image, today, readers, "span")) is not None:
            return gone
        alt_match = _ALT.search(match.group(2))
        alt = _unescaped(alt_match.group(1)) if alt_match and alt_match.group(1) else image.alt
        return picture(image, alt=alt, sizes="10rem")

    return _UNSHOWN.sub(unshown, _INLINE.sub(inline, _FIGURE.sub(figure, html)))


def _unescaped(text):
    """Placeholder attribute text as the sanitiser wrote it, back to plain text (format_html escapes it again)."""
    return html_lib.unescape(text)
