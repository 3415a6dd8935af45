"""Hugo's front matter, as pure functions on text and dicts: parse a file's bytes, Hugo's rules for dates, and
write a file's text back.

Front matter may be YAML (``---``), TOML (``+++``) or JSON (``{ ... }``), as Hugo accepts. What the fields
mean for an article is ``interchange.mapping``'s; nothing here knows a model.
"""

import datetime as dt
import json
import re
import tomllib

import yaml
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from frontmatter import Post, dumps
from frontmatter.default_handlers import BaseHandler, YAMLHandler

MAX_FILE_BYTES = 2 * 1024 * 1024
# Front matter holds an article's whole public record (its corrections among it): a megabyte holds thousands of
# corrections and parses in about half a second.
MAX_FRONT_MATTER_BYTES = 1024 * 1024
# These bounds refuse YAML alias "bombs" (a few hundred bytes that expand to millions of values) and nesting deep
# enough to exhaust the stack. Values as written are bounded by the size; aliases may add only MAX_VALUES more.
MAX_ALIASES = 100
MAX_VALUES = 10_000
MAX_DEPTH = 20


class FrontMatterError(ValueError):
    """A file that cannot be imported; ``line`` points at the problem when known, else ``field`` names the
    front-matter field it is in."""

    def __init__(self, message, line=None, field=None):
        super().__init__(message)
        self.line, self.field = line, field


# libyaml's parser, when PyYAML was built with it: several times faster than PyYAML's own.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _count_aliases(fm):
    """Refuse YAML with more than ``MAX_ALIASES`` alias references (counted on the parser's events, which
    libyaml gives quickly, before anything is built)."""
    count = 0
    for event in yaml.parse(fm, Loader=_FAST_LOADER):
        if isinstance(event, yaml.AliasEvent):
            count += 1
            if count > MAX_ALIASES:
                raise FrontMatterError(f"front matter uses more than {MAX_ALIASES} YAML aliases")


class _BoundedYAMLHandler(YAMLHandler):
    def load(self, fm, **kwargs):
        # A YAML alias needs an anchor (&) and a reference (*): without both characters there can be none.
        if "&" in fm and "*" in fm:
            _count_aliases(fm)
        return yaml.load(fm, Loader=_FAST_LOADER)  # noqa: S506 - a safe loader


def _check_bounds(value):
    """Refuse front matter whose aliases add more than ``MAX_VALUES`` values to it, or nested deeper than
    ``MAX_DEPTH``. A list or mapping met a second time is an alias's: it and all it holds count as added. Stops
    at the bound, so checking costs little whatever the input."""
    added, seen, stack = 0, set(), [(value, 0, False)]
    while stack:
        item, depth, repeated = stack.pop()
        if depth > MAX_DEPTH:
            raise FrontMatterError(f"front matter is nested more than {MAX_DEPTH} levels deep")
        if isinstance(item, (dict, list, tuple)):
            repeated = repeated or id(item) in seen
            seen.add(id(item))
        added += repeated
        if added > MAX_VALUES:
            raise FrontMatterError(f"front matter's YAML aliases add more than {MAX_VALUES:,} values to it")
        if isinstance(item, dict):
            stack.extend((child, depth + 1, repeated) for pair in item.items() for child in pair)
        elif isinstance(item, (list, tuple)):
            stack.extend((child, depth + 1, repeated) for child in item)


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


def as_list(value):
    """A front-matter value as a list: none for nothing, text split at commas, one value as a list of one."""
    if value in (None, ""):
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def plain(value):
    """Unknown front-matter values as JSON-safe data (dates become ISO strings)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return value


class _Dumper(yaml.SafeDumper):
    """Writes datetimes as plain ISO 8601 timestamps (2023-06-01T04:59:00-06:00), as Hugo writes them."""


def _timestamp(dumper, value):
    # YAML's timestamps, and Hugo, take a UTC offset in whole minutes; a time at a local mean time's offset (Amsterdam
    # before 1937: +00:19:32) is written in UTC, the same moment.
    if value.utcoffset() and value.utcoffset() % dt.timedelta(minutes=1):
        value = value.astimezone(dt.UTC)
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat())


_Dumper.add_representer(dt.datetime, _timestamp)
# Text that YAML 1.2 parsers, Hugo's among them, read as a number or a yes/no value where PyYAML (YAML 1.1) reads
# text: "1e3", "0o17", "08", "y", "N". Resolving it to a tag of its own makes the dumper quote it, so that a
# headline or a byline reads the same in a Hugo build.
_Dumper.add_implicit_resolver(
    "tag:yaml.org,2002:yaml-1.2-scalar",
    re.compile(r"^(?:[yYnN]|[-+]?(?:0o[0-7_]+|[0-9][0-9_]*|(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?))$"),
    list("yYnN-+.0123456789"),
)


def local_time(value, utcoffset=None):
    """``value`` as the site's zone shows it, or at the UTC offset (minutes) a file gave it in."""
    if utcoffset is None:
        return timezone.localtime(value)
    return value.astimezone(dt.timezone(dt.timedelta(minutes=utcoffset)))


def dump(meta, body):
    """A Markdown file's text: ``meta`` as YAML front matter (in its order, times as Hugo writes them), then
    ``body``."""
    post = Post(body, **meta)
    return dumps(post, handler=YAMLHandler(), Dumper=_Dumper, sort_keys=False, allow_unicode=True) + "\n"


def line_of(raw, name):
    """The line of the file on which front matter gives the top-level field ``name``, or None."""
    text = raw.decode("utf-8-sig", "replace").replace("\r\n", "\n").replace("\r", "\n")
    key = re.escape(name)
    if text.lstrip().startswith("{"):  # JSON: keys may sit anywhere on a line
        pattern = rf'"{key}"\s*:'
    else:  # YAML (key:) or TOML (key = …, [key], [[key]]), at the start of a line
        pattern = rf"""^(?:\[\[?)?["']?{key}["']?(?:\]\]?|[ \t]*[:=])"""
    found = re.search(pattern, text, re.MULTILINE)
    return text.count("\n", 0, found.start()) + 1 if found else None
