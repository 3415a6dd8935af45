"""The stream's token in the page cache: every cached copy of a live page (its HTML pages, its poll answer, its
feeds of updates) holds the token of its stream in its key, and a change to the stream replaces the token once
it commits, so those copies are retired at once on every server while every other page stays cached.

Which articles have a stream is read once per generation of the page cache (any article's save starts a new
one) and kept in each process (``pagecache.memo.per_process``): an article page that is not live costs no
round trip to learn it.
"""

from django.core.cache import cache
from django.db import transaction

from articles.models import Article
from pagecache.generation import new_token
from pagecache.memo import per_process


def _key(slug):
    return f"newsroom:live:stream:{slug}"


def live_slugs():
    return per_process(
        "live:slugs", lambda: frozenset(Article.objects.exclude(live_from=None).values_list("slug", flat=True))
    )


def variant(slug=None, **kwargs):
    """The token of the stream of the article at ``slug`` (for ``cache_for_readers``' key), "" when it has none."""
    if slug is None or slug not in live_slugs():
        return ""
    return cache.get_or_set(_key(slug), new_token, timeout=None) or ""


def advance(slug):
    """The stream at ``slug`` changed: retire its cached pages now and again once the transaction commits (a
    reader served in between would have stored the old stream under the new token)."""
    cache.set(_key(slug), new_token(), timeout=None)
    transaction.on_commit(lambda: cache.set(_key(slug), new_token(), timeout=None), robust=True)
