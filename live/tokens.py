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


def _key(article_pk):
    return f"newsroom:live:stream:{article_pk}"


def live_pages():
    """The live pages' addresses: {slug: article pk}."""
    return per_process("live:pages", lambda: dict(Article.objects.live_pages().values_list("slug", "pk")))


def variant(slug=None, **kwargs):
    """The token of the stream of the article at ``slug`` (for ``cache_for_readers``' key), "" when it has none."""
    article_pk = live_pages().get(slug) if slug is not None else None
    return "" if article_pk is None else token_of(article_pk)


def token_of(article_pk):
    """The token of the stream of article ``article_pk`` (a live page's, or any article's)."""
    key = _key(article_pk)
    token = cache.get(key)
    if token is None:  # the first ask since the stream changed or was evicted; a cache that does not answer: ""
        cache.add(key, new_token(), timeout=None)
        token = cache.get(key)
    return token or ""


def advance(article_pk):
    """The stream of article ``article_pk`` changed: retire its cached pages now and again once the transaction
    commits (a reader served in between would have stored the old stream under the new token)."""
    cache.set(_key(article_pk), new_token(), timeout=None)
    transaction.on_commit(lambda: cache.set(_key(article_pk), new_token(), timeout=None), robust=True)
