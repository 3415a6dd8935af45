"""Surrogate keys: the names of what a response shows, sent in its ``xkey`` header so that an edge cache in
front (Varnish's xkey module, a CDN's surrogate keys) can drop exactly the pages that showed a thing when it
changes.

This module knows no key's meaning: the content names what it shows (``tag``) wherever it chooses something for
a page, and whatever renders a response collects those names around the render (``collect``). Collections nest:
what an inner one gathers (a value worked out once and remembered, see ``pagecache.memo``) counts for the
outer one too, so the page carries it, and the memo can keep it beside the value and tag it again on every
later use.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

HEADER = "xkey"
LARGEST_HEADER = 32 * 1024  # what a page's keys may add up to; the edge is told to accept twice as much

_collection: ContextVar[set | None] = ContextVar("surrogate_keys", default=None)


def tag(*keys):
    """Say that what is being rendered shows ``keys``; nothing happens outside a collection (a management
    command, a signed-in page)."""
    found = _collection.get()
    if found is not None:
        found.update(keys)


@contextmanager
def collect():
    """Gather the keys tagged inside the block into the set it gives; they count for any collection around
    it as well."""
    outer = _collection.get()
    found = set()
    token = _collection.set(found)
    try:
        yield found
    finally:
        _collection.reset(token)
        if outer is not None:
            outer.update(found)


def header(keys):
    """The ``xkey`` value for ``keys``: sorted (the same page always says the same thing), space-separated."""
    return " ".join(sorted(keys))


def label(response, keys):
    """Send ``keys`` with ``response`` when edges are purged by them (``NEWSROOM_EDGE_PURGE_URLS``; otherwise
    they are bytes no reader needs). Keys that add up to more than ``LARGEST_HEADER`` are not sent at all: an
    edge would refuse the response, and a page without keys is one no edge keeps
    (``pagecache.middleware.public_headers``), since nothing could purge it."""
    value = header(keys)
    if value and len(value) <= LARGEST_HEADER and settings.NEWSROOM_EDGE_PURGE_URLS:
        response[HEADER] = value
    return response


PENDING = "_surrogate_keys"  # where a view that raised Http404 leaves what it had tagged, for the error page


def leave_for_error_page(request, keys, rendered_under):
    """Keep the keys a view tagged before it raised (a 404), and the generation of the page cache it began
    under, so that the error page rendered for it carries them (``pending``) and is kept no longer than a page
    would be (``pagecache.middleware.edge_seconds``)."""
    setattr(request, PENDING, (set(keys), rendered_under))


def pending(request):
    """(keys, generation) a reader view left for its error page, or None when the error did not come from one
    (an address no view answers, a signed-in reader)."""
    return getattr(request, PENDING, None)
