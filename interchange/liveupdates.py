"""A live page in export files: the ``live`` table of the article's front matter, and its updates, one Markdown
file each in the page bundle's ``updates`` folder.

The article's front matter says when coverage runs and how::

    live:
      from: 2026-12-06T15:00:00+01:00
      until: 2026-12-06T23:00:00+01:00   # when coverage ends, if set
      oldestFirst: true                  # the stream's order once coverage ends, if oldest first
      moderated: true                    # writers' updates wait for an editor, if so

Each update is ``<slug>/updates/<id>.md`` beside the bundle's ``index.md``: its front matter gives ``id`` (the
moment the update was first written, in UTC: it never changes, and an import finds the update again by it, so
importing twice writes nothing twice), ``date`` (its time), ``title`` (its headline), ``authors``, ``keyEvent``,
``pinned``, ``status`` (``pending`` while it waits for an editor), ``lastmod`` (its "updated" time) and
``correction``; its body is the update's Markdown. Hugo takes the files of a leaf bundle's folders for the
page's resources, so a Hugo build of the export is unchanged by them.

Deleted updates are not exported: a deletion takes an update off every surface, and an export is one (a file
sent to another site or kept in a repository). The backup keeps them, with every revision.
"""

import datetime as dt
from pathlib import Path
from typing import NamedTuple

from articles.markup import limits, markdown
from articles.models import one_spaced
from articles.models.text import one_line
from interchange.frontmatter import (
    MAX_FILE_BYTES,
    FrontMatterError,
    as_list,
    dump,
    local_time,
    parse_document,
    parse_when,
)
from live.models import time_problem

FIELD = "live"
FOLDER = "updates"
MAX_UPDATES = 10_000  # a page's update files one import reads; far more than any live page has
LIVE_KEYS = {"from", "until", "oldestFirst", "moderated"}
UPDATE_KEYS = {"id", "date", "title", "authors", "keyEvent", "pinned", "status", "lastmod", "correction"}
STATUSES = ("published", "pending")  # live.models.Update.Status, which this module may not import
HEADLINE_LENGTH = 200


class FileUpdate(NamedTuple):
    """What one update file says: its id (the moment it was first written), its fields, its authors' names."""

    key: dt.datetime
    fields: dict
    authors: list


def _flag(value, name):
    if value is None:
        return False
    if not isinstance(value, bool):
        raise FrontMatterError(f"{name}: expected true or false, found {value!r}", field=name.split(".")[0])
    return value


def to_front_matter(article):
    """The ``live`` table of a live page's front matter (None for an article that is not one)."""
    if article.live_from is None:
        return None
    live = {"from": local_time(article.live_from)}
    if article.live_until is not None:
        live["until"] = local_time(article.live_until)
    if article.live_oldest_first:
        live["oldestFirst"] = True
    if article.live_moderated:
        live["moderated"] = True
    return live


def from_front_matter(meta):
    """The article's coverage fields from a file's ``live`` table (all unset without one)."""
    live = meta.get(FIELD)
    if live is None:
        return {"live_from": None, "live_until": None, "live_oldest_first": False, "live_moderated": False}
    if not isinstance(live, dict):
        raise FrontMatterError("live: expected a table (from, until, oldestFirst, moderated)", field=FIELD)
    if unknown := set(map(str, live)) - LIVE_KEYS:
        raise FrontMatterError(f"live: unknown key(s) {', '.join(sorted(unknown))}", field=FIELD)
    start, end = parse_when(live.get("from"), "live.from"), parse_when(live.get("until"), "live.until")
    if start is None:
        raise FrontMatterError("live: a live page needs `from`, when its coverage starts", field=FIELD)
    if end is not None and end <= start:
        raise FrontMatterError("live: coverage must end (`until`) after it starts (`from`)", field=FIELD)
    return {
        "live_from": start,
        "live_until": end,
        "live_oldest_first": _flag(live.get("oldestFirst"), "live.oldestFirst"),
        "live_moderated": _flag(live.get("moderated"), "live.moderated"),
    }


def file_name(update):
    """``<id>.md``: the update's first moment in UTC, readable and safe on every file system."""
    return update.created_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H-%M-%S.%fZ.md")


def to_document(update):
    """An update (its authors prefetched) as a Markdown file with YAML front matter."""
    meta = {"id": update.created_at.astimezone(dt.UTC), "date": local_time(update.posted_at)}
    if update.headline:
        meta["title"] = update.headline
    if authors := [author.name for author in update.authors.all()]:
        meta["authors"] = authors
    if update.key_event:
        meta["keyEvent"] = True
    if update.pinned:
        meta["pinned"] = True
    if update.status != STATUSES[0]:
        meta["status"] = update.status
    if update.edited_at is not None:
        meta["lastmod"] = local_time(update.edited_at)
    if update.correction:
        meta["correction"] = update.correction
    return dump(meta, update.body)


def _text(meta, name):
    value = meta.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise FrontMatterError(f"{name}: expected text, found {value!r}", field=name)
    return value


def from_document(raw, site_host):
    """The FileUpdate of an update file's bytes, its body rendered for ``site_host``; FrontMatterError names
    what is wrong."""
    meta, body = parse_document(raw)
    if unknown := set(map(str, meta)) - UPDATE_KEYS:
        raise FrontMatterError(f"unknown field(s) {', '.join(sorted(unknown))}")
    key = parse_when(meta.get("id"), "id")
    posted_at = parse_when(meta.get("date"), "date")
    if key is None or posted_at is None:
        raise FrontMatterError("an update needs its `id` and its `date`")
    if problem := time_problem(posted_at):
        raise FrontMatterError(f"date: {posted_at.isoformat()}: {problem}", field="date")
    body, correction = body.strip(), _text(meta, "correction").strip()  # stored as the stream stores them
    if not body:
        raise FrontMatterError("an update needs some text")
    for name, text in (("body", body), ("correction", correction)):
        if message := limits.size_error(text):
            raise FrontMatterError(f"{name}: {message}", field=name)
    status = meta.get("status") or STATUSES[0]
    if status not in STATUSES:
        raise FrontMatterError(f"status: expected one of {', '.join(STATUSES)}, found {status!r}", field="status")
    headline = one_line(_text(meta, "title")).strip()
    if len(headline) > HEADLINE_LENGTH:
        raise FrontMatterError(f"title: longer than {HEADLINE_LENGTH} characters", field="title")
    authors = []
    for entry in as_list(meta.get("authors")):
        name = one_spaced(entry) if isinstance(entry, str) else ""
        if not name:
            raise FrontMatterError(f"authors: expected names, found {entry!r}", field="authors")
        if name.casefold() not in {a.casefold() for a in authors}:
            authors.append(name)
    fields = {
        "headline": headline,
        "body": body,
        "body_html": markdown.render_markdown(body, site_host=site_host),
        "posted_at": posted_at,
        "edited_at": parse_when(meta.get("lastmod"), "lastmod"),
        "correction": correction,
        "key_event": _flag(meta.get("keyEvent"), "keyEvent"),
        "pinned": _flag(meta.get("pinned"), "pinned"),
        "status": status,
    }
    return FileUpdate(key, fields, authors)


def read_folder(folder, site_host):
    """FileUpdates of the update files in ``folder`` (a bundle's ``updates``), in the order of their ids;
    FrontMatterError names the first file that cannot be read."""
    files = sorted(path for path in Path(folder).glob("*.md") if path.is_file()) if Path(folder).is_dir() else []
    if len(files) > MAX_UPDATES:
        raise FrontMatterError(f"{FOLDER}: more than {MAX_UPDATES:,} update files")
    updates, seen = [], {}
    for path in files:
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise FrontMatterError(f"file is over the {MAX_FILE_BYTES:,}-byte limit")
            update = from_document(path.read_bytes(), site_host)
        except FrontMatterError as error:
            raise FrontMatterError(f"{FOLDER}/{path.name}: {error}") from None
        if update.key in seen:
            raise FrontMatterError(f"{FOLDER}/{path.name}: the same id as {FOLDER}/{seen[update.key]}")
        seen[update.key] = path.name
        updates.append(update)
    return sorted(updates, key=lambda update: update.key)


def is_update_file(path):
    """Whether a found Markdown file is an update of a live page bundle (``<slug>/updates/x.md`` beside
    ``<slug>/index.md``), read with its page rather than imported as an article."""
    return path.parent.name == FOLDER and (path.parent.parent / "index.md").is_file()
