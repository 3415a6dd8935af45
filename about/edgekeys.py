"""What a change to one of the newsroom's pages purges at the edge.

A page's own key (``links.page``: its address, its entry on the index) is purged when it is or was published.
The list of pages (``links.PAGES``: every page's footer, the publisher's JSON-LD, author pages, the index) is
purged only when what the list shows changed: a page published or unpublished, renamed, moved to another
address or place, given another role, added to the footer or taken off it, or deleted. A body edit purges the
page alone. A page that stops being shown (unpublished, deleted) is purged hard, as is the list then; a page
that starts being shown, or moves, purges ``MISSING`` too (a 404 at its address may now answer).
"""

from typing import NamedTuple

import edge
from about.links import PAGES, page
from articles.models import surrogates

LISTED_FIELDS = ("title", "slug", "role", "position", "in_footer")


class PageBefore(NamedTuple):
    """A page as stored before a write."""

    pk: int
    published: bool
    listed: tuple
    slug: str


def _listed(row):
    return tuple(getattr(row, name) for name in LISTED_FIELDS)


def page_before(instance):
    if instance.pk is None:
        return None
    stored = type(instance)._base_manager.filter(pk=instance.pk).only("published", *LISTED_FIELDS).first()
    return None if stored is None else PageBefore(stored.pk, stored.published, _listed(stored), stored.slug)


def page_keys(instance, before, deleted):
    """The keys a save or a delete of ``instance`` purges (see the module's docstring)."""
    shown = instance.published and not deleted
    was_shown = before is not None and before.published
    if not shown and not was_shown:
        return set()
    keys = {page(instance.pk if before is None else before.pk)}
    if not shown or not was_shown or _listed(instance) != before.listed:
        keys.add(PAGES)
    if shown and (not was_shown or instance.slug != before.slug):
        keys.add(surrogates.MISSING)
    return edge.hard(keys) if was_shown and not shown else keys


def register(model):
    """Purge those keys on every save and delete of ``model``; a bulk write, whose rows are not known, purges every
    page that shows the list (each of the newsroom's pages among them), hard."""
    edge.register(model, page_keys, before=page_before, bulk_keys=edge.hard({PAGES, surrogates.MISSING}))
