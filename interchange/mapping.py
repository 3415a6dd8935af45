"""The mapping between Hugo files and articles: what a file's front matter and body say of an article, and an
article written back as a file.

Fields the model has no place for are kept in ``Article.front_matter``, with how the file gave the ones it has
(which key, which UTC offset), so export gives them back as they came.
"""

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import NamedTuple
from urllib.parse import urlsplit

from django.utils import timezone
from django.utils.encoding import uri_to_iri
from django.utils.text import slugify

from articles.models import Article, one_line, one_spaced
from interchange import bundles, corrections, liveupdates, publication, shortcodes
from interchange.frontmatter import FrontMatterError, as_list, dump, parse_when, plain

TAG_FIELDS = ("tags", "categories", "keywords")
IMAGE_FIELDS = ("thumbnail", "image", "featured_image", "images")
SECTION_PAGE = "_index"  # Hugo's list page of a folder: its title is the section's name
KIND_FIELD = "genre"  # the kind of work: Hugo keeps ``kind`` and ``type`` for its own page kinds and layouts
# Every key the importer maps onto the model; anything else is kept as it came.
MAPPED_FIELDS = {
    "title", "date", "publishDate", "lastmod", "draft", "status", "expiryDate", "embargo", "slug", "url",
    "author", "authors", "summary", "description", "aliases", "imageAlt", "imageCaption", "imageCredit",
    "section", "resources", "withdrawalNote", KIND_FIELD, "sponsor", corrections.FIELD, liveupdates.FIELD,
    *TAG_FIELDS, *IMAGE_FIELDS,
}  # fmt: skip


class FileByline(NamedTuple):
    """A byline as a file gives it: the author's name, and their role in the article ("" for none)."""

    name: str
    role: str


class SectionName(NamedTuple):
    """The section a file names: its name, and its slug when a folder gave it ("" to make one from the name)."""

    name: str
    slug: str


def _authors(meta, notes):
    people = []
    for entry in as_list(meta.get("authors")) + as_list(meta.get("author")):
        if isinstance(entry, dict):
            given, role = entry.get("name") or entry.get("title"), entry.get("role") or ""
        else:
            given, role = entry, ""
        name = one_spaced(given)
        if not name and str(given or "").strip():
            notes.append(f"author {given!r} left out: a name of control characters only")
        if name and name.casefold() not in {n.casefold() for n, _ in people}:
            people.append(FileByline(name, one_line(str(role))))
    return people


def _redirectable(addresses, notes):
    """The addresses a request's path can match: one with a query string or a fragment (``/index.php?p=12``,
    ``/story/#comments``) is left out, with a note, as a browser never sends those parts in the path. A ``?`` or
    ``#`` that is part of the path is written percent-encoded (``%3F``), as export writes it. A whole http(s)
    address (an old site's, ``https://old.example/2019/story/``) is kept as its path, with a note."""
    kept = []
    for address in addresses:
        if "?" in address or "#" in address:
            part = "a query string" if "?" in address.split("#", 1)[0] else "a fragment"
            notes.append(f"alias {address} left out: an address with {part} cannot be redirected by its path")
            continue
        parts = urlsplit(address.strip())
        if parts.scheme or parts.netloc:
            if parts.scheme.lower() not in {"http", "https", ""} or not parts.path.strip("/"):
                notes.append(f"alias {address} left out: only an http(s) address with a path can be redirected")
                continue
            notes.append(f"alias {address} kept as its path, {parts.path}")
            address = parts.path
        kept.append(address)
    return kept


def _slug_from(meta, filename):
    if meta.get("slug"):
        return str(meta["slug"]).strip().strip("/")
    if meta.get("url"):
        return PurePosixPath(urlsplit(str(meta["url"])).path.strip("/")).name
    path = PurePosixPath(filename)
    if path.stem == "index" and path.parent.name:  # a leaf bundle (slug/index.md) is named after its folder
        return path.parent.name
    return "" if path.stem in {"index", "_index"} else path.stem


@dataclass
class ArticleData:
    """What one file says about one article, ready to compare with and write to the database."""

    fields: dict
    authors: list[FileByline] = field(default_factory=list)
    tags: list = field(default_factory=list)
    aliases: list = field(default_factory=list)
    notes: list = field(default_factory=list)  # what the import decided for the editor to know
    section: SectionName | None = None  # found, or made, when the file is written
    pictures: dict = field(default_factory=dict)  # local picture address as written -> the file (a page bundle's)
    remote: list = field(default_factory=list)  # http(s) picture addresses of the body, for --fetch-images
    resources: dict = field(default_factory=dict)  # picture address -> what front matter's `resources` says of it
    corrections: list = field(default_factory=list)  # corrections.FileCorrection, oldest first
    updates: list = field(default_factory=list)  # a live page's liveupdates.FileUpdate, by id
    kind: str = ""  # the kind of work's name or slug, as the file gives it (found when the file is written)
    kind_line: int | None = None  # the line that gives it


def _content_parts(relative):
    parts = list(PurePosixPath(relative).parts)
    return parts[1:] if parts and parts[0] == "content" else parts


def content_folder(relative):
    """The section a file's place names, Hugo's way: the first folder under the content root
    (``content/politics/x.md``, ``politics/x.md`` or the bundle ``politics/x/index.md``), or None."""
    parts = _content_parts(relative)
    if len(parts) < 2 or (len(parts) == 2 and PurePosixPath(parts[1]).stem in {"index", SECTION_PAGE}):
        return None
    return parts[0]


def is_section_page(relative):
    """Whether a file is a Hugo list page (``_index.md``: a section's own page, or the home page), not an article."""
    return PurePosixPath(relative).stem == SECTION_PAGE


def section_page_folder(relative):
    """The section folder whose own page (``politics/_index.md``) a file is, whose title names the section; or None."""
    parts = _content_parts(relative)
    return parts[0] if len(parts) == 2 and is_section_page(relative) else None


def _section(meta, folder, keys, folder_name):
    """The SectionName of the article's section: front matter ``section``, else the first of ``categories``,
    else the content folder (named by ``folder_name``, the title of its ``_index.md``, else after the folder);
    how it was given is kept in ``keys`` so export writes it back the same way."""
    value = meta.get("section")
    if isinstance(value, list):  # a list names the section first, as categories do
        value = value[0] if value else None
    if isinstance(value, (dict, list)):
        raise FrontMatterError("section: expected the section's name, not a list or a mapping", field="section")
    named = one_spaced(value)[:100]
    if named:
        keys["section"] = "section"
        return SectionName(named, "")
    categories = [one_spaced(str(c)) for c in as_list(meta.get("categories"))]
    if categories and categories[0]:
        keys["section"] = "categories"
        return SectionName(categories[0][:100], "")
    if folder:
        name = one_spaced(folder_name)[:100] or one_spaced(folder.replace("-", " ").replace("_", " ")).title()[:100]
        return SectionName(name or folder[:100], slugify(folder, allow_unicode=True)[:100])
    return None


def to_article_data(meta, body, filename, *, as_draft=False, folder=None, folder_name=""):
    """What a file (its parsed front matter, its body, its path ``filename`` under the import's root and the
    content ``folder`` it is in, which ``folder_name`` names) says of an article; new articles are drafts with
    ``as_draft``."""
    body = shortcodes.unescaped(body)  # Hugo's escaped shortcodes are the text Hugo shows
    title = one_spaced(meta.get("title"))
    if not title:
        heading = re.search(r"^#{1,6}\s+(.+?)\s*#*\s*$", body, re.MULTILINE)
        if not heading:
            raise FrontMatterError("no title" + ("" if body else " and no body"))
        title = heading.group(1)
    extra = {key: plain(value) for key, value in meta.items() if key not in MAPPED_FIELDS}
    keys = {}

    draft = meta.get("draft", False)
    draft = draft.strip().lower() in {"true", "yes", "1"} if isinstance(draft, str) else bool(draft)
    status = meta.get("status") if meta.get("status") in Article.Status.values else None
    status = status or (Article.Status.DRAFT if draft or as_draft else Article.Status.PUBLISHED)

    published_at, other_date = publication.from_front_matter(meta)
    notes = []
    if status in (Article.Status.PUBLISHED, Article.Status.WITHDRAWN) and published_at is None:
        # Published (or taken down) needs a time it went out; without one it is a draft for the desk to date.
        notes.append(
            f"imported as a draft: {'published' if status == Article.Status.PUBLISHED else 'withdrawn'} "
            "needs a date (date or publishDate) and the file has none"
        )
        status = Article.Status.DRAFT
    if other_date:
        extra["date"] = plain(meta["date"])

    if published_at and published_at.utcoffset() != timezone.localtime(published_at).utcoffset():
        keys["utcoffset"] = int(published_at.utcoffset().total_seconds() // 60)
    dek_key = "summary" if meta.get("summary") or not meta.get("description") else "description"
    if meta.get("summary") and meta.get("description"):
        extra["description"] = meta["description"]
    if dek_key != "summary":
        keys["dek"] = dek_key

    image_url = ""
    for key in IMAGE_FIELDS:
        values = as_list(meta.get(key))
        if values:
            image_url, keys["image"] = str(values[0]).strip(), key
            if key == "images" and len(values) > 1:
                extra["images"] = plain(values)
            break

    # ``url`` is where the file was served: the article's own address when the site wrote it (the importer
    # leaves that out of the aliases), else an old address that redirects to the article from now on.
    aliases = [str(a) for a in as_list(meta.get("aliases"))]
    if meta.get("url"):
        aliases.append(str(meta["url"]))
    aliases = _redirectable(aliases, notes)
    tags = []
    for key in TAG_FIELDS:
        for tag in as_list(meta.get(key)):
            tag = one_spaced(str(tag))[:100]
            if tag and tag.casefold() not in {t.casefold() for t in tags}:
                tags.append(tag)

    fields = {
        "title": title[:300],
        "slug": _slug_from(meta, filename),
        "dek": str(meta.get(dek_key) or "").strip(),
        "body": body,
        "status": status,
        "published_at": published_at,
        "updated_at": parse_when(meta.get("lastmod"), "lastmod"),
        "expires_at": parse_when(meta.get("expiryDate"), "expiryDate"),
        "embargo_until": parse_when(meta.get("embargo"), "embargo"),  # ours: Hugo has no embargo
        "lead_image_url": image_url[:1000],
        "lead_image_alt": str(meta.get("imageAlt") or "")[:300],
        "lead_image_caption": str(meta.get("imageCaption") or "")[:500],
        "lead_image_credit": str(meta.get("imageCredit") or "")[:200],
        "withdrawal_note": str(meta.get("withdrawalNote") or "").strip(),
        "sponsor": one_spaced(meta.get("sponsor"))[:200],
        **liveupdates.from_front_matter(meta),
    }
    section = _section(meta, folder, keys, folder_name)
    fields["front_matter"] = {"extra": extra, "keys": keys} if extra or keys else {}
    return ArticleData(fields=fields, authors=_authors(meta, notes), tags=tags, aliases=aliases, notes=notes,
                       section=section, corrections=corrections.from_front_matter(meta),
                       kind=one_spaced(meta.get(KIND_FIELD)))  # fmt: skip


def section_folder(article):
    """The folder export writes an article into: its section's slug, Hugo's way, unless its file named the
    section in front matter (``section`` or ``categories``), where export names it again."""
    keys = (article.front_matter or {}).get("keys", {})
    if article.section_id is None or keys.get("section") in ("section", "categories"):
        return ""
    return article.section.slug


def to_document(article, bylines, tags, aliases, files=None):
    """An article as a Hugo Markdown file with YAML front matter (text). With ``files`` ({picture number:
    file name}), it is a page bundle's ``index.md``: its library pictures are the files beside it, named in
    the body and the image field, and described in ``resources`` (Hugo's page resources).

    ``url`` is the address the site serves the article at and ``aliases`` its old addresses, so that a Hugo
    build answers at the same addresses (both as characters, not percent-encoded: Hugo names the page's folder
    after them, and a web server decodes a request's path before it looks for the folder);
    ``article.corrections`` are read as prefetched, when they are."""
    files = files or {}
    stored = article.front_matter or {}
    extra, keys = dict(stored.get("extra", {})), stored.get("keys", {})
    meta = {"title": article.title, "slug": article.slug, "url": uri_to_iri(article.get_absolute_url())}
    if article.section_id is not None and keys.get("section") == "section":
        meta["section"] = article.section.name
    meta.update(publication.to_front_matter(article, keys, extra))
    if article.dek:
        meta[keys.get("dek", "summary")] = article.dek
    if article.kind_id is not None:
        meta[KIND_FIELD] = article.kind.name
    if article.sponsor:
        meta["sponsor"] = article.sponsor
    authors = [{"name": b.author.name, "role": b.role} if b.role else b.author.name for b in bylines]
    if authors:
        meta["authors"] = authors
    if tags:
        meta["tags"] = list(tags)
    if article.section_id is not None and keys.get("section") == "categories":
        meta["categories"] = [article.section.name]
    image = files.get(article.lead_image_id) or article.lead_image_url or article.image_url
    if image:
        key = keys.get("image", "image")
        if key == "images":
            meta["images"] = [image, *extra.pop("images", [])[1:]]
        else:
            meta[key] = image
    for name, value in (("imageAlt", article.lead_image_alt), ("imageCaption", article.lead_image_caption),
                        ("imageCredit", article.lead_image_credit)):  # fmt: skip
        if value:
            meta[name] = value
    if aliases:  # a "?" or "#" in a path is written encoded, or it would read as a query string or a fragment
        meta["aliases"] = [path.replace("?", "%3F").replace("#", "%23") for path in aliases]
    if files:
        meta["resources"] = [bundles.resource_entry(image, files[image.pk]) for image in article.bundled_pictures]
    if written := corrections.to_front_matter(article.corrections.all()):
        meta[corrections.FIELD] = written
    if article.withdrawal_note:
        meta["withdrawalNote"] = article.withdrawal_note
    if live := liveupdates.to_front_matter(article):
        meta[liveupdates.FIELD] = live
    meta.update({key: value for key, value in extra.items() if key not in MAPPED_FIELDS})  # kept by older imports
    body = bundles.refer_to_files(article.body, files) if files else article.body
    return dump(meta, shortcodes.escaped(body))
