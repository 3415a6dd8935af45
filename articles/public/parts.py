"""What other apps add to an article's page, registered from their ``AppConfig.ready()`` (the content knows
none of them), as ``articles.desk.panels`` does for the back office: a variant of the page's key in the page
cache (``register_variant``: a live page's stream is retired by its own token) and parts of the page
(``register_part``: a live page's stream of updates).

A part is ``part(request, article) -> dict | None``: None when it has nothing to add for that article, else the
slots it fills, every one optional (``SLOTS``):

- ``feeds``: feeds of the page besides the site's, each ``{"href", "type", "title"}`` (``<link rel="alternate">``);
- ``structured_data``: JSON-LD, escaped for a script element, that stands for the article's own;
- ``after_body``: what is shown under the article's body, each a dict naming the ``template`` to include (given
  the dict as ``part``) and the context it needs;
- ``page_obj``: the page of a paginated part (the canonical address names it);
- ``modified_at``: when what the part shows last changed, if without the article: the page's Last-Modified is
  never older.
"""

from dataclasses import dataclass, field
from datetime import datetime

SLOTS = ("feeds", "structured_data", "after_body", "page_obj", "modified_at")

_VARIANTS = []
_PARTS = []


@dataclass
class PageParts:
    """The slots every registered part filled, as the article's template shows them (``page_parts``)."""

    feeds: list = field(default_factory=list)
    structured_data: str = ""
    after_body: list = field(default_factory=list)
    page_obj: object = None
    modified_at: datetime | None = None

    def add(self, slots):
        unknown = set(slots) - set(SLOTS)
        if unknown:
            raise ValueError(f"An article page's part has no slot {', '.join(sorted(unknown))}: use {SLOTS}.")
        self.feeds += slots.get("feeds", [])
        self.after_body += slots.get("after_body", [])
        self.structured_data = slots.get("structured_data") or self.structured_data
        self.page_obj = slots.get("page_obj") or self.page_obj
        self.modified_at = max(filter(None, (self.modified_at, slots.get("modified_at"))), default=None)


def register_variant(variant):
    """``variant(slug=...) -> str``: a token made part of the article page's key in the page cache."""
    if variant not in _VARIANTS:
        _VARIANTS.append(variant)


def register_part(part):
    if part not in _PARTS:
        _PARTS.append(part)


def article_variant(**kwargs):
    """The article page's variant: every registered variant's token, joined ("" when none has one)."""
    return ".".join(filter(None, (variant(**kwargs) for variant in _VARIANTS)))


def article_parts(request, article):
    """The context the registered parts add to the article's page: ``page_parts`` (a ``PageParts``), and the
    ``page_obj`` and ``modified_at`` the page reads as any paginated, dated page does."""
    found = PageParts()
    for part in _PARTS:
        found.add(part(request, article) or {})
    added = {"page_parts": found, "modified_at": found.modified_at}
    if found.page_obj is not None:
        added["page_obj"] = found.page_obj
    return added
