"""Corrections and updates in front matter, and what an import makes of them.

Hugo has no field for them, so the export gives them one: ``corrections``, a list, oldest first, of
``{date, kind, text}`` (the time readers are shown, ``correction`` or ``update``, and the Markdown readers
read), which a Hugo layout can show as ``.Params.corrections``. The front matter is the whole public record:
an import adds the corrections an article does not have yet (the same kind, time and text are the same
correction), and never removes one, so importing a file again, or an older file, takes nothing back.
"""

from typing import NamedTuple

from articles.markup import limits
from articles.models import Correction
from articles.models.corrections import record_pictures
from interchange.frontmatter import FrontMatterError, local_time, parse_when

FIELD = "corrections"


class FileCorrection(NamedTuple):
    """A correction as a file gives it (its types checked by ``frontmatter_types``)."""

    kind: str
    created_at: object  # an aware datetime
    text: str


def to_front_matter(corrections):
    """The ``corrections`` field for an article's corrections (in their order, oldest first)."""
    return [{"date": local_time(c.created_at), "kind": c.kind, "text": c.text} for c in corrections]


def from_front_matter(meta):
    """The FileCorrections a file's front matter gives, oldest first."""
    found = []
    for number, entry in enumerate(meta.get(FIELD) or [], start=1):
        text = str(entry["text"])
        if message := limits.size_error(text):
            raise FrontMatterError(f"{FIELD}: correction {number}: {message}", field=FIELD)
        when = parse_when(entry["date"], FIELD)
        found.append(FileCorrection(entry.get("kind") or Correction.Kind.CORRECTION, when, text))
    return sorted(found, key=lambda c: c.created_at)


def _same(kind, created_at, text):
    return kind, created_at, text.replace("\x00", "")


def missing(article, corrections):
    """Those of ``corrections`` (FileCorrections) that ``article`` does not have yet."""
    if article.pk is None:
        return list(corrections)
    held = {_same(*row) for row in article.corrections.values_list("kind", "created_at", "text")}
    return [c for c in corrections if _same(*c) not in held]


def add(pairs):
    """Write the corrections of each (article, FileCorrections) pair in a few statements, and record the library
    pictures they show. They are the file's record of what readers were told: they date nothing and notify
    nobody, as the article's own times come from the same file."""
    rows = []
    for article, corrections in pairs:
        for kind, created_at, text in corrections:
            row = Correction(article=article, kind=kind, created_at=created_at, text=text)
            row.prepare_for_write()
            rows.append(row)
    Correction.objects.bulk_create(rows, batch_size=500)
    showing = {row.article_id: row.article for row in rows if "data-image=" in row.text_html}
    if showing:
        record_pictures(list(showing.values()))
