"""What an import does before the database: find the files, then read, parse, map and render each one.

``prepare`` needs no database, so large imports run it in worker processes (``importing.Importer``).
"""

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from articles.markup import limits
from articles.models import Article
from interchange import bundles, frontmatter_types, liveupdates, mapping
from interchange.frontmatter import MAX_FILE_BYTES, FrontMatterError, line_of, parse_document

logger = logging.getLogger(__name__)

SUFFIXES = {".md", ".markdown", ".txt"}


@dataclass
class Outcome:
    """What the import did with one file, and why when it did not write it."""

    path: Path
    result: str  # created, updated, unchanged, kept, skipped or failed
    reason: str = ""
    line: int | None = None
    notes: list = field(default_factory=list)

    def __str__(self):
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.reason}" if self.reason else f"{where}: {self.result}"


class FoundFile(NamedTuple):
    """A file to import, the root its place is read from, whether it was named rather than found, and the name
    of its section folder (the title of the folder's ``_index.md``; "" for none)."""

    path: Path
    root: Path
    named: bool
    section_name: str = ""


class FileTask(NamedTuple):
    """One file's work for ``prepare``, as a worker process receives it."""

    path: Path
    root: Path
    named: bool
    as_draft: bool
    site_host: str
    section_name: str = ""


class Prepared(NamedTuple):
    """A file read and mapped: where it came from (its path under the root) and what it says."""

    source_key: str
    data: mapping.ArticleData


def find_files(paths):
    """FoundFile for each path: files as given, folders searched recursively for Markdown."""
    found = []
    for path in map(Path, paths):
        if path.is_dir():
            files = [
                p
                for p in sorted(path.rglob("*"))
                if p.suffix.lower() in SUFFIXES and p.is_file() and not liveupdates.is_update_file(p)
            ]
            names = _section_names(files, path)
            found += [
                FoundFile(p, path, False, names.get(mapping.content_folder(p.relative_to(path).as_posix()), ""))
                for p in files
            ]
        else:
            found.append(FoundFile(path, path.parent, named=True))
    return found


def _section_names(files, root):
    """{folder: the title of its ``_index.md``} of the section folders among ``files`` (found under ``root``)."""
    names = {}
    for path in files:
        folder = mapping.section_page_folder(path.relative_to(root).as_posix())
        if folder is None or path.stat().st_size > MAX_FILE_BYTES:
            continue
        try:
            meta, _body = parse_document(path.read_bytes())
        except (OSError, FrontMatterError):
            continue  # the folder is named after itself
        if isinstance(meta.get("title"), str):
            names[folder] = meta["title"]
    return names


def prepare(task):
    """Read, parse, map and render one file (a FileTask); no database. Runs in worker processes on large
    imports.

    Returns Prepared, or an Outcome for a file that failed or was skipped.
    """
    path, root = task.path, task.root
    raw = b""
    try:
        if not path.is_file():
            raise FrontMatterError("no such file")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise FrontMatterError(f"file is over the {MAX_FILE_BYTES:,}-byte limit")
        if mapping.is_section_page(path.name):
            return Outcome(path, "skipped", "a list page (Hugo's _index), not an article: it names its section")
        raw = path.read_bytes()
        meta, body = parse_document(raw)
        frontmatter_types.check(meta, raw)
        if not meta and path.suffix.lower() == ".txt" and not task.named:
            return Outcome(path, "skipped", "no front matter")
        relative = path.relative_to(root).as_posix()
        data = mapping.to_article_data(
            meta,
            body,
            relative,
            as_draft=task.as_draft,
            folder=mapping.content_folder(relative),
            folder_name=task.section_name,
        )
        fields = data.fields
        data.kind_line = line_of(raw, mapping.KIND_FIELD) if data.kind else None
        data.pictures, data.remote, data.resources = bundles.find_pictures(
            meta, fields["body"], fields["lead_image_url"], path.parent, root
        )
        if message := limits.size_error(fields["body"]):
            raise FrontMatterError(f"body: {message}")
        if meta.get(liveupdates.FIELD) is not None and path.name == "index.md":  # a live page bundle
            data.updates = liveupdates.read_folder(path.parent / liveupdates.FOLDER, task.site_host)
        fields["body_html"], fields["body_html_key"] = Article.rendering(
            fields["body"], fields["title"], fields["lead_image_url"], site_host=task.site_host
        )
    except FrontMatterError as error:
        line = error.line or (error.field and line_of(raw, error.field))
        return Outcome(path, "failed", str(error), line)
    except OSError as error:
        return Outcome(path, "failed", f"cannot read: {error.strerror or error}")
    except Exception as error:  # noqa: BLE001 - one file's problem is reported, and the run goes on
        logger.exception("import of %s failed", path)
        return Outcome(path, "failed", f"cannot import: {type(error).__name__}: {str(error)[:200]}")
    return Prepared(relative, data)
