"""What each front-matter field the importer reads may hold, checked before anything is taken from it.

YAML, TOML and JSON give a value whatever type its text spells: a list, a mapping, a number, true or false.
The importer reads each field as one type, and taking ``str()`` of another (a mapping as alt text, which even
satisfies the publish checklist) or quietly dropping a value it cannot read would store what the file never
said. A file with a value of the wrong type is reported with the field, its line and what the field takes, and
nothing of it is written; fields the importer does not read are kept as they came.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.dateparse import parse_date, parse_datetime

from articles.models import Article, Correction
from interchange.frontmatter import FrontMatterError, line_of

TEXT_FIELDS = (
    "title",
    "slug",
    "url",
    "summary",
    "description",
    "imageAlt",
    "imageCaption",
    "imageCredit",
    "withdrawalNote",
    "genre",
    "sponsor",
)
LIST_FIELDS = ("tags", "categories", "keywords", "aliases", "thumbnail", "image", "featured_image", "images")
DRAFT_WORDS = {"true", "yes", "1", "false", "no", "0", ""}  # as mapping.to_article_data reads them
# Each entry of a list of tags, authors or old addresses becomes a row: a file gives no more than this many, which is
# far more than any article needs and keeps one file's import to seconds.
MAX_ENTRIES = 500
PICTURE_TEXT = {"alt": 300, "credit": 200, "source": 500, "licence": 200, "license": 200, "title": 500, "caption": 500,
                "creator": 200, "copyrightNotice": 300}  # fmt: skip
# A picture's licence addresses: the param, the library's field (``Image``), http or https as the admin takes them.
PICTURE_URLS = {"licenceUrl": "licence_url", "licencePageUrl": "licence_page_url"}
WEB_ADDRESS = URLValidator(schemes=["http", "https"])


class _Wrong(Exception):
    """A value of the wrong type: where inside the field (``'x.jpg': params.alt: ``), what it takes, what it is."""

    def __init__(self, expected, value, where="", found=None):
        super().__init__(f"{where}expected {expected}, found {found or _kind(value)}")

    def within(self, where):
        self.args = (where + self.args[0],)
        return self


def _kind(value):
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value: quote text that reads like one)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, (dt.date, dt.time)):
        return f"the {'time' if isinstance(value, dt.time) else 'date'} {value.isoformat()}"
    return repr(value)[:80]


def _text(value, where=""):
    """Text, or a number or date YAML read from text (``title: 1984``), which reads back the same."""
    if value is None or (isinstance(value, (str, int, float, dt.date)) and not isinstance(value, bool)):
        return value
    raise _Wrong("text", value, where)


def _entries(value):
    """The entries of a field that takes one value or a list of them (at most ``MAX_ENTRIES``)."""
    if not isinstance(value, (list, tuple)):
        return [value]
    if len(value) > MAX_ENTRIES:
        raise _Wrong(f"no more than {MAX_ENTRIES} entries", value, found=f"{len(value):,}")
    return value


def _texts(value):
    """Text, or a list of texts."""
    for item in _entries(value):
        _text(item, "an entry: " if isinstance(value, (list, tuple)) else "")


def _draft(value):
    if value is None or isinstance(value, bool) or value in (0, 1):
        return
    if isinstance(value, str) and value.strip().lower() in DRAFT_WORDS:
        return
    raise _Wrong("true or false", value)


def _status(value):
    if value not in (None, "", *Article.Status.values):
        raise _Wrong("one of " + ", ".join(Article.Status.values), value)


def _name(value, where=""):
    """A person's name or role: text as written (a number is nobody's name)."""
    if value is not None and not isinstance(value, str):
        raise _Wrong("a name", value, where)


def _people(value):
    """A name, a mapping with ``name`` (and ``role``), or a list of either."""
    for person in _entries(value):
        if isinstance(person, dict):
            _name(person.get("name") or person.get("title"), "name: ")
            _name(person.get("role"), "role: ")
        else:
            _name(person, "an author: " if isinstance(value, (list, tuple)) else "")


def rights_date(value):
    """A ``rightsExpireOn`` value as a date: a date, or text of a date or a time (whose day it is)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            when = parse_date(value.strip()) or parse_datetime(value.strip())
        except ValueError:
            when = None
        if when is not None:
            return when.date() if isinstance(when, dt.datetime) else when
    raise _Wrong("a date (YYYY-MM-DD)", value, "rightsExpireOn: ")


def _web_address(value, where=""):
    """Nothing, or an http(s) address of at most 500 characters (the library's ``URLField``)."""
    if value is None or value == "":
        return
    try:
        if not isinstance(value, str) or len(value.strip()) > 500:
            raise ValidationError("not an address")
        WEB_ADDRESS(value.strip())
    except ValidationError:
        raise _Wrong("an http:// or https:// address of at most 500 characters", value, where) from None


def focal_point(value):
    """A ``focalPoint`` value as (x, y): two numbers from 0 to 1 (left to right, top to bottom)."""
    numbers = value if isinstance(value, (list, tuple)) and len(value) == 2 else ()
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v <= 1 for v in numbers) or not numbers:
        raise _Wrong("[x, y] with both between 0 and 1", value, "focalPoint: ")
    return float(numbers[0]), float(numbers[1])


def _resources(value):
    if not isinstance(value, (list, tuple)):
        raise _Wrong("a list of pictures (src, title, params)", value)
    for item in value:
        if not isinstance(item, dict):
            raise _Wrong("a picture (src, title, params)", item, "an entry: ")
        where = f"{str(item.get('src'))[:80]!r}: "
        _text(item.get("src"), where + "src: ")
        _text(item.get("title"), where + "title: ")
        params = item.get("params")
        if params is None:
            continue
        if not isinstance(params, dict):
            raise _Wrong("a mapping", params, where + "params: ")
        for name in PICTURE_TEXT:
            _text(params.get(name), f"{where}params.{name}: ")
        for name in PICTURE_URLS:
            _web_address(params.get(name), f"{where}params.{name}: ")
        try:
            if params.get("rightsExpireOn") not in (None, ""):
                rights_date(params["rightsExpireOn"])
            if params.get("focalPoint") is not None:
                focal_point(params["focalPoint"])
        except _Wrong as error:
            raise error.within(where + "params.") from None


def _when(value, where=""):
    """A date or a time, or text of one (as ``frontmatter.parse_when`` reads it)."""
    if isinstance(value, dt.date):
        return
    if isinstance(value, str) and value.strip():
        text = value.strip()
        try:
            if parse_datetime(text) or parse_datetime(text.replace(" ", "T", 1)) or parse_date(text):
                return
        except ValueError:
            pass
    raise _Wrong("a date", value, where)


def _corrections(value):
    """A list of corrections, each a mapping with a ``date``, ``text`` that is not empty (once the NULs no text
    keeps are gone), and perhaps a ``kind``."""
    if not isinstance(value, (list, tuple)):
        raise _Wrong("a list of corrections (date, kind, text)", value)
    for number, item in enumerate(value, start=1):
        where = f"correction {number}: "
        if not isinstance(item, dict):
            raise _Wrong("a correction (date, kind, text)", item, where)
        _when(item.get("date"), where + "date: ")
        if not isinstance(item.get("text"), str) or not item["text"].replace("\x00", "").strip():
            raise _Wrong("text", item.get("text"), where + "text: ")
        if item.get("kind") not in (None, "", *Correction.Kind.values):
            raise _Wrong("one of " + ", ".join(Correction.Kind.values), item["kind"], where + "kind: ")


CHECKS = {
    **dict.fromkeys(TEXT_FIELDS, _text),
    **dict.fromkeys(LIST_FIELDS, _texts),
    "section": _texts,
    "draft": _draft,
    "status": _status,
    "author": _people,
    "authors": _people,
    "resources": _resources,
    "corrections": _corrections,
}


def check(meta, raw=b""):
    """Refuse front matter (``meta``, parsed from the file's bytes ``raw``) that gives a field the importer reads
    a value of another type: FrontMatterError names the field, what it takes and the line it is on."""
    for name, check_one in CHECKS.items():
        if name not in meta:
            continue
        try:
            check_one(meta[name])
        except _Wrong as error:
            raise FrontMatterError(f"{name}: {error}", line_of(raw, name)) from None


def picture_fields(described):
    """What the library records of a picture from what ``resources`` says of it (checked by ``check``)."""
    fields = {
        "alt": str(described.get("alt") or ""),
        "caption": str(described.get("title") or described.get("caption") or ""),
        "credit": str(described.get("credit") or ""),
        "source": str(described.get("source") or ""),
        "licence": str(described.get("licence") or described.get("license") or ""),
        "creator": str(described.get("creator") or ""),
    }
    fields = {name: value[: PICTURE_TEXT[name]] for name, value in fields.items()}
    fields["copyright_notice"] = str(described.get("copyrightNotice") or "")[: PICTURE_TEXT["copyrightNotice"]]
    fields |= {field: str(described.get(name) or "").strip() for name, field in PICTURE_URLS.items()}
    if described.get("rightsExpireOn") not in (None, ""):
        fields["rights_expire_on"] = rights_date(described["rightsExpireOn"])
    if described.get("focalPoint") is not None:
        fields["focal_x"], fields["focal_y"] = focal_point(described["focalPoint"])
    return fields
