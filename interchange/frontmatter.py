"""Hugo-style Markdown files with front matter: parse, map to articles, and write back.

Front matter may be YAML (``---``), TOML (``+++``) or JSON (``{ ... }``), as Hugo accepts.
Fields the model has no place for are kept in ``Article.front_matter`` so export gives them back.
"""

import datetime as dt
import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

import frontmatter
import yaml
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import slugify
from frontmatter.default_handlers import BaseHandler, YAMLHandler

from articles.models import Article, one_line, one_spaced

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_FRONT_MATTER_BYTES = 64 * 1024
# Front matter is a page's settings: a few dozen values. These bounds refuse YAML alias "bombs" (a few
# hundred bytes that expand to millions of values) and nesting deep enough to exhaust the stack.
MAX_ALIASES = 100
MAX_VALUES = 10_000
MAX_DEPTH = 20
TAG_FIELDS = ("tags", "categories", "keywords")
IMAGE_FIELDS = ("thumbnail", "image", "featured_image", "images")
# Every key the importer maps onto the model; anything else is kept as it came.
MAPPED_FIELDS = {
    "title", "date", "publishDate", "lastmod", "draft", "status", "expiryDate", "embargo", "slug", "url",
    "author", "authors", "summary", "description", "aliases", "imageAlt", "imageCaption", "imageCredit",
    "section", "resources", *TAG_FIELDS, *IMAGE_FIELDS,
}  # fmt: skip
MAX_PICTURES = 100  # pictures one file may bring into the library (local and downloaded)
# A Markdown image's destination: ![alt](destination "title"), with or without <>.
_BODY_IMAGE = re.compile(
    r"(?P<head>!\[(?:[^\]\\]|\\.)*\]\(\s*)(?:<(?P<bracketed>[^<>\n]+)>|(?P<plain>[^\s)<>]+))"
    r"""(?P<tail>(?:\s+(?:"[^"]*"|'[^']*'))?\s*\))"""
)


def _address(match):
    return match.group("bracketed") or match.group("plain")


class FrontMatterError(ValueError):
    """A file that cannot be imported; ``line`` points at the problem when known, else ``field`` names the
    front-matter field it is in."""

    def __init__(self, message, line=None, field=None):
        super().__init__(message)
        self.line, self.field = line, field


class _BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing documents with more than ``MAX_ALIASES`` alias references."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            self.alias_count = getattr(self, "alias_count", 0) + 1
            if self.alias_count > MAX_ALIASES:
                raise FrontMatterError(f"front matter uses more than {MAX_ALIASES} YAML aliases")
        return super().compose_node(parent, index)


# libyaml's parser, when PyYAML was built with it: several times faster on ordinary front matter.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _BoundedYAMLHandler(YAMLHandler):
    def load(self, fm, **kwargs):
        # A YAML alias needs an anchor (&) and a reference (*): without both characters there can be none,
        # so the fast loader is safe; anything else goes through the loader that counts aliases.
        loader = _FAST_LOADER if "&" not in fm or "*" not in fm else _BoundedLoader
        return yaml.load(fm, Loader=loader)  # noqa: S506 - both are safe loaders


def _check_bounds(value):
    """Refuse front matter that expands (through aliases) to more than ``MAX_VALUES`` values or nests deeper
    than ``MAX_DEPTH``; stops counting at the bound, so checking costs little whatever the input."""
    seen, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        seen += 1
        if seen > MAX_VALUES:
            raise FrontMatterError(f"front matter holds more than {MAX_VALUES:,} values (after expanding aliases)")
        if depth > MAX_DEPTH:
            raise FrontMatterError(f"front matter is nested more than {MAX_DEPTH} levels deep")
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for pair in item.items() for child in pair)
        elif isinstance(item, (list, tuple)):
            stack.extend((child, depth + 1) for child in item)


class TOMLHandler(BaseHandler):
    FM_BOUNDARY = re.compile(r"^\+{3,}\s*$", re.MULTILINE)
    START_DELIMITER = END_DELIMITER = "+++"

    def load(self, fm, **kwargs):
        return tomllib.loads(fm)


def parse_document(raw):
    """Split a file's bytes into (front matter dict, Markdown body)."""
    if len(raw) > MAX_FILE_BYTES:
        raise FrontMatterError(f"file is {len(raw):,} bytes; the limit is {MAX_FILE_BYTES:,}")
    if b"\x00" in raw:
        raise FrontMatterError("not a text file (it contains NUL bytes)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FrontMatterError(f"not UTF-8 text (bad byte at offset {error.start})") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    stripped = text.lstrip()
    offset = text[: len(text) - len(stripped)].count("\n")  # lines before the front matter

    try:
        meta, body = _split(stripped, offset)
    except RecursionError:
        raise FrontMatterError(f"front matter is nested more than {MAX_DEPTH} levels deep", offset + 1) from None
    if meta is None:
        meta = {}
    _as_mapping(meta)
    _check_bounds(meta)
    return meta, body


def _split(stripped, offset):
    """(parsed front matter or None, body) of a document whose leading blank lines are gone."""
    if stripped.startswith("{"):
        try:
            meta, end = json.JSONDecoder().raw_decode(stripped)
        except json.JSONDecodeError as error:
            raise FrontMatterError(f"invalid JSON front matter: {error.msg}", offset + error.lineno) from None
        if end > MAX_FRONT_MATTER_BYTES:
            raise FrontMatterError(f"front matter is over the {MAX_FRONT_MATTER_BYTES:,}-character limit")
        return meta, stripped[end:].strip()

    handler = {"---": _BoundedYAMLHandler(), "+++": TOMLHandler()}.get(stripped[:3])
    if handler is None:
        return {}, stripped.strip()
    if len(handler.FM_BOUNDARY.findall(stripped)) < 2:
        raise FrontMatterError(f"front matter opened with {stripped[:3]} is never closed", offset + 1)
    fm, body = handler.split(stripped)
    if len(fm) > MAX_FRONT_MATTER_BYTES:
        raise FrontMatterError(f"front matter is over the {MAX_FRONT_MATTER_BYTES:,}-character limit", offset + 1)
    try:
        return handler.load(fm), body.strip()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise FrontMatterError(
            f"invalid YAML front matter: {error.problem or error}", mark and offset + mark.line + 1
        ) from None
    except yaml.YAMLError as error:
        raise FrontMatterError(f"invalid YAML front matter: {error}") from None
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"line (\d+)", str(error))
        raise FrontMatterError(f"invalid TOML front matter: {error}", found and offset + int(found.group(1))) from None
    except (ValueError, OverflowError) as error:
        # A value YAML recognises but Python cannot hold, such as the date 2026-13-45.
        raise FrontMatterError(f"invalid front matter value: {error}", offset + 1) from None
    except (AttributeError, TypeError):
        # PyYAML's constructors fail this way on a value given an explicit tag it does not fit (!!timestamp x).
        raise FrontMatterError("invalid front matter value: a value does not fit its YAML tag", offset + 1) from None


def _as_mapping(meta):
    if not isinstance(meta, dict):
        raise FrontMatterError("front matter is not a mapping of fields")
    return meta


def parse_when(value, name):
    """A front-matter date as an aware datetime; dates and naive times are in the site's zone."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        when = value
    elif isinstance(value, dt.date):
        when = dt.datetime.combine(value, dt.time())
    elif isinstance(value, str):
        text = value.strip()
        try:
            when = parse_datetime(text) or parse_datetime(text.replace(" ", "T", 1))
            if when is None:
                day = parse_date(text)
                when = dt.datetime.combine(day, dt.time()) if day else None
        except ValueError as error:  # well formed but impossible, such as 2026-02-30
            raise FrontMatterError(f"cannot read {name!r} as a date: {value!r} ({error})", field=name) from None
    else:
        when = None
    if when is None:
        raise FrontMatterError(f"cannot read {name!r} as a date: {value!r}", field=name)
    try:
        when = timezone.make_aware(when) if timezone.is_naive(when) else when
        when.astimezone(dt.UTC)  # stored in UTC, and shown in the site's zone: both must exist
        timezone.localtime(when)
    except (ValueError, OverflowError):
        raise FrontMatterError(
            f"{name!r} is out of the range of dates that can be stored: {value!r}", field=name
        ) from None
    return when


def _as_list(value):
    if value in (None, ""):
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def _authors(meta):
    people = []
    for entry in _as_list(meta.get("authors")) + _as_list(meta.get("author")):
        if isinstance(entry, dict):
            name, role = entry.get("name") or entry.get("title"), entry.get("role") or ""
        else:
            name, role = entry, ""
        name = one_spaced(name)
        if name and name.casefold() not in {n.casefold() for n, _ in people}:
            people.append((name, one_line(str(role))))
    return people


def _plain(value):
    """Unknown front-matter values as JSON-safe data (dates become ISO strings)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return value


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
    authors: list = field(default_factory=list)
    tags: list = field(default_factory=list)
    aliases: list = field(default_factory=list)
    notes: list = field(default_factory=list)  # what the import decided for the editor to know
    section: tuple | None = None  # (name, slug or "") of the section, found when the file is written
    pictures: dict = field(default_factory=dict)  # local picture address as written -> the file (a page bundle's)
    remote: list = field(default_factory=list)  # http(s) picture addresses of the body, for --fetch-images
    resources: dict = field(default_factory=dict)  # picture address -> what front matter's `resources` says of it


def body_pictures(body):
    """The picture addresses a Markdown body shows (``![alt](address)``), in order, each once."""
    return list(dict.fromkeys(_address(match) for match in _BODY_IMAGE.finditer(body or "")))


def is_local_picture(address):
    """A picture beside the file (``photo.jpg``, ``images/photo.jpg``): not an address elsewhere, not the library's."""
    return bool(address) and "://" not in address and not address.startswith(("/", "#", "image:", "data:", "mailto:"))


def find_pictures(meta, body, lead, folder, root):
    """(local, remote, resources) for a file in ``folder`` under the import ``root``: its local pictures
    that exist ({address: path}; never outside the root, whatever ``..`` or links say), its body's http(s)
    pictures, and what its front matter's ``resources`` says of each picture (Hugo's page resources)."""
    local, remote = {}, []
    root = root.resolve()
    for address in [lead, *body_pictures(body)][: MAX_PICTURES * 2]:
        if address.startswith(("http://", "https://")):
            remote.append(address)
        elif is_local_picture(address) and len(local) < MAX_PICTURES:
            try:
                path = (folder / unquote(address)).resolve()
            except (OSError, ValueError):
                continue
            if path.is_relative_to(root) and path.is_file():
                local[address] = path
    resources = {}
    for item in meta.get("resources") or [] if isinstance(meta.get("resources"), list) else []:
        if isinstance(item, dict) and isinstance(item.get("src"), str):
            params = item.get("params") if isinstance(item.get("params"), dict) else {}
            resources[item["src"]] = {"title": str(item.get("title") or ""), **params}
    return local, list(dict.fromkeys(remote))[:MAX_PICTURES], resources


def refer_to_library(body, library):
    """``body`` with each picture address in ``library`` ({address: picture number}) replaced by the
    library's reference (``image:123``); alt text and titles are kept."""

    def swap(match):
        number = library.get(_address(match))
        if number is None:
            return match.group(0)
        return f"{match.group('head')}image:{number}{match.group('tail')}"

    return _BODY_IMAGE.sub(swap, body)


def refer_to_files(body, files):
    """The export's way back: ``image:123`` references replaced by the file names in ``files`` ({123: name})."""

    def swap(match):
        src = _address(match)
        if not src.startswith("image:") or not src[6:].isdigit() or int(src[6:]) not in files:
            return match.group(0)
        return f"{match.group('head')}{files[int(src[6:])]}{match.group('tail')}"

    return _BODY_IMAGE.sub(swap, body)


def _resource(image, name):
    """What Hugo's ``resources`` front matter says of a picture: its title (the caption) and, as params, the
    rest of what the library knows, so a new site's library gets it all back."""
    params = {"alt": image.alt, "credit": image.credit, "source": image.source, "licence": image.licence}
    if image.rights_expire_on:
        params["rightsExpireOn"] = image.rights_expire_on.isoformat()
    if (image.focal_x, image.focal_y) != (0.5, 0.5):
        params["focalPoint"] = [round(image.focal_x, 3), round(image.focal_y, 3)]
    entry = {"src": name, "title": image.caption} if image.caption else {"src": name}
    params = {key: value for key, value in params.items() if value}
    return {**entry, "params": params} if params else entry


def content_folder(relative):
    """The section a file's place names, Hugo's way: the first folder under the content root
    (``content/politics/x.md``, ``politics/x.md`` or the bundle ``politics/x/index.md``), or None."""
    parts = list(PurePosixPath(relative).parts)
    if parts and parts[0] == "content":
        parts = parts[1:]
    if len(parts) < 2 or (len(parts) == 2 and PurePosixPath(parts[1]).stem in {"index", "_index"}):
        return None
    return parts[0]


def _section(meta, folder, keys):
    """(name, slug) of the article's section: front matter ``section``, else the first of ``categories``,
    else the content folder; how it was given is kept in ``keys`` so export writes it back the same way."""
    value = meta.get("section")
    if isinstance(value, list):  # a list names the section first, as categories do
        value = value[0] if value else None
    if isinstance(value, (dict, list)):
        raise FrontMatterError("section: expected the section's name, not a list or a mapping", field="section")
    named = one_spaced(value)[:100]
    if named:
        keys["section"] = "section"
        return named, ""
    categories = [one_spaced(str(c)) for c in _as_list(meta.get("categories"))]
    if categories and categories[0]:
        keys["section"] = "categories"
        return categories[0][:100], ""
    if folder:
        name = one_spaced(folder.replace("-", " ").replace("_", " ")).title()[:100] or folder[:100]
        return name, slugify(folder, allow_unicode=True)[:100]
    return None


def to_article_data(meta, body, filename, *, as_draft=False, folder=None):
    title = one_spaced(meta.get("title"))
    if not title:
        heading = re.search(r"^#{1,6}\s+(.+?)\s*#*\s*$", body, re.MULTILINE)
        if not heading:
            raise FrontMatterError("no title" + ("" if body else " and no body"))
        title = heading.group(1)
    extra = {key: _plain(value) for key, value in meta.items() if key not in MAPPED_FIELDS}
    keys = {}

    draft = meta.get("draft", False)
    draft = draft.strip().lower() in {"true", "yes", "1"} if isinstance(draft, str) else bool(draft)
    status = meta.get("status") if meta.get("status") in Article.Status.values else None
    status = status or (Article.Status.DRAFT if draft or as_draft else Article.Status.PUBLISHED)

    published_at = parse_when(meta.get("publishDate"), "publishDate") or parse_when(meta.get("date"), "date")
    notes = []
    if status in (Article.Status.PUBLISHED, Article.Status.WITHDRAWN) and published_at is None:
        # Published (or taken down) needs a time it went out; without one it is a draft for the desk to date.
        notes.append(
            f"imported as a draft: {'published' if status == Article.Status.PUBLISHED else 'withdrawn'} "
            "needs a date (date or publishDate) and the file has none"
        )
        status = Article.Status.DRAFT
    if meta.get("publishDate") and meta.get("date"):
        extra["date"] = _plain(meta["date"])

    if published_at and published_at.utcoffset() != timezone.localtime(published_at).utcoffset():
        keys["utcoffset"] = int(published_at.utcoffset().total_seconds() // 60)
    dek_key = "summary" if meta.get("summary") or not meta.get("description") else "description"
    if meta.get("summary") and meta.get("description"):
        extra["description"] = meta["description"]
    if dek_key != "summary":
        keys["dek"] = dek_key

    image_url = ""
    for key in IMAGE_FIELDS:
        values = _as_list(meta.get(key))
        if values:
            image_url, keys["image"] = str(values[0]).strip(), key
            if key == "images" and len(values) > 1:
                extra["images"] = _plain(values)
            break

    aliases = [str(a) for a in _as_list(meta.get("aliases"))]
    if meta.get("url"):
        aliases.append(str(meta["url"]))
    tags = []
    for key in TAG_FIELDS:
        for tag in _as_list(meta.get(key)):
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
    }
    section = _section(meta, folder, keys)
    fields["front_matter"] = {"extra": extra, "keys": keys} if extra or keys else {}
    return ArticleData(fields=fields, authors=_authors(meta), tags=tags, aliases=aliases, notes=notes, section=section)


class _Dumper(yaml.SafeDumper):
    """Writes datetimes as plain ISO 8601 timestamps (2023-06-01T04:59:00-06:00), as Hugo writes them."""


_Dumper.add_representer(
    dt.datetime, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat())
)


def _when(value, utcoffset=None):
    if utcoffset is None:
        return timezone.localtime(value)
    return value.astimezone(dt.timezone(dt.timedelta(minutes=utcoffset)))


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
    the body and the image field, and described in ``resources`` (Hugo's page resources)."""
    files = files or {}
    stored = article.front_matter or {}
    extra, keys = dict(stored.get("extra", {})), stored.get("keys", {})
    meta = {"title": article.title, "slug": article.slug}
    if article.section_id is not None and keys.get("section") == "section":
        meta["section"] = article.section.name
    if "date" in extra and article.published_at:
        meta["date"], meta["publishDate"] = extra.pop("date"), _when(article.published_at, keys.get("utcoffset"))
    elif article.published_at:
        meta["date"] = _when(article.published_at, keys.get("utcoffset"))
    if article.updated_at:
        meta["lastmod"] = _when(article.updated_at)
    if article.expires_at:
        meta["expiryDate"] = _when(article.expires_at)
    if article.embargo_until:
        meta["embargo"] = _when(article.embargo_until)
    meta["draft"] = article.status != Article.Status.PUBLISHED
    if article.status not in (Article.Status.DRAFT, Article.Status.PUBLISHED):
        meta["status"] = article.status
    if article.dek:
        meta[keys.get("dek", "summary")] = article.dek
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
    if aliases:
        meta["aliases"] = list(aliases)
    if files:
        meta["resources"] = [_resource(image, files[image.pk]) for image in article.bundled_pictures]
    meta.update(extra)
    body = refer_to_files(article.body, files) if files else article.body
    post = frontmatter.Post(body, **meta)
    return frontmatter.dumps(post, handler=YAMLHandler(), Dumper=_Dumper, sort_keys=False, allow_unicode=True) + "\n"
