"""When an exported article may be seen, said so that Hugo honours it and an import reads it back.

The site shows an article when it is approved (``published``), its publication time has come, it has not
expired and no embargo is ahead (``articles.models.states``). Hugo builds a page unless it is a draft, its
``publishDate`` is ahead (``buildFuture`` is off by default) or its ``expiryDate`` has passed
(``buildExpired``), and knows nothing of embargoes or of the newsroom's workflow. So export writes:

- ``draft: true`` for anything not approved (a draft, in review, withdrawn) and for an approved article with no
  publication time, which the site never shows either; ``status`` then says which it is;
- ``date``, the publication time, and, when an embargo ends after it, ``publishDate`` at the embargo's end,
  so Hugo holds the page as long as the site does (``embargo`` is written too: it is the newsroom's);
- ``expiryDate`` at the expiry.

A static build of the export therefore never shows an article earlier than the site would. Import reads the
publication time from ``publishDate`` (else ``date``), except in a file whose ``publishDate`` is its embargo's
end and whose ``date`` is earlier: that is the hold above, and the publication time is ``date``.
"""

from typing import NamedTuple

from articles.models import Article, states
from interchange.frontmatter import local_time, parse_when


class Publication(NamedTuple):
    """A file's publication time, and whether its ``date`` is only the page's other date (kept for export)."""

    published_at: object  # an aware datetime, or None
    other_date: bool


def _held_until(article):
    """The embargo's end, when it is later than an approved article's publication time (else None)."""
    if not states.is_approved(article) or article.published_at is None or article.embargo_until is None:
        return None
    return article.embargo_until if article.embargo_until > article.published_at else None


def to_front_matter(article, keys, extra):
    """The time and visibility fields of ``article``'s front matter, in the order they are written. ``keys`` and
    ``extra`` are what the article's file said (``Article.front_matter``); a ``date`` kept there is used up."""
    meta = {}
    published = article.published_at and local_time(article.published_at, keys.get("utcoffset"))
    held_until = _held_until(article)
    if held_until is not None:
        extra.pop("date", None)  # the publication time needs ``date``: the hold is in ``publishDate``
        meta["date"], meta["publishDate"] = published, local_time(held_until)
    elif "date" in extra and published:
        meta["date"], meta["publishDate"] = extra.pop("date"), published
    elif published:
        meta["date"] = published
    if article.updated_at:
        meta["lastmod"] = local_time(article.updated_at)
    if article.expires_at:
        meta["expiryDate"] = local_time(article.expires_at)
    if article.embargo_until:
        meta["embargo"] = local_time(article.embargo_until)
    meta["draft"] = not states.is_approved(article) or article.published_at is None
    if article.status != (Article.Status.DRAFT if meta["draft"] else Article.Status.PUBLISHED):
        meta["status"] = article.status
    return meta


def from_front_matter(meta):
    """The Publication a file's front matter gives."""
    publish = parse_when(meta.get("publishDate"), "publishDate")
    date = parse_when(meta.get("date"), "date")
    embargo = parse_when(meta.get("embargo"), "embargo")
    if publish is not None and date is not None and publish == embargo and date < publish:
        return Publication(date, other_date=False)
    return Publication(publish or date, other_date=publish is not None and date is not None)
