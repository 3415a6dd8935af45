"""Pieces of pages rendered once per version of what they show, kept in the shared cache and, the small
ones, in this process too.

A fragment's key is its kind, a digest of what every fragment of that kind depends on (``depends_on``, given
by the caller: the settings the fragments read, say) with the release, and a digest of the item's own
``signature`` (every row it is rendered from). An edit, a rename or a new template makes new keys, so an old
fragment is never served and nothing has to be invalidated.

Fragments live in the shared cache (every worker and server renders each version once) and, since a key
can only ever name one rendering, each process also keeps the small ones it used lately in memory
(``local.FRAGMENTS``, ``NEWSROOM_FRAGMENT_LOCAL_ENTRIES`` of them), which saves the round trip.
"""

import hashlib

from django.core.cache import cache

from pagecache import local
from pagecache.generation import release

SHARED_SECONDS = 7 * 24 * 3600  # unused fragments leave the shared cache after a week
LOCAL_LARGEST = 32 * 1024  # larger fragments (long article bodies) are only kept in the shared cache


def key_prefix(kind, depends_on):
    """What every key of ``kind`` shares: the release and what the caller says such fragments depend on."""
    shared = (release(), *depends_on)
    return f"newsroom:fragment:{kind}:{hashlib.blake2b(repr(shared).encode(), digest_size=8).hexdigest()}:"


def key(prefix, signature):
    return prefix + hashlib.blake2b(repr(signature).encode(), digest_size=16).hexdigest()


def many(kind, items, signature, render, *, depends_on=(), prepare=None):
    """The fragment of each item, in order: ``signature(item)`` is everything the fragment shows;
    ``render(item)`` makes it on a miss, after ``prepare(missed items)`` when given; ``depends_on`` is what
    every fragment of ``kind`` shows besides (see ``key_prefix``). Looked up in this process first, then in the
    shared cache with one round trip; the misses are rendered and stored with one more."""
    if not items:
        return []
    prefix = key_prefix(kind, depends_on)
    keys = [key(prefix, signature(item)) for item in items]
    found = local.FRAGMENTS.get_many(keys)
    wanted = [name for name in keys if name not in found]
    if wanted:
        shared = cache.get_many(wanted)
        _keep_local(shared)
        found |= shared
    missed = [(name, item) for name, item in zip(keys, items, strict=True) if name not in found]
    if missed and prepare is not None:
        prepare([item for _, item in missed])
    made = {}
    for name, item in missed:
        if name not in found:  # the same item twice in one list is rendered once
            found[name] = made[name] = render(item)
    if made:
        cache.set_many(made, timeout=SHARED_SECONDS)
        _keep_local(made)
    return [found[name] for name in keys]


def one(kind, item, signature, render, *, depends_on=()):
    return many(kind, [item], signature, render, depends_on=depends_on)[0]


def size(fragment):
    """Characters in a fragment: a string, or a dict of strings (an article's parts)."""
    return sum(map(len, fragment.values())) if isinstance(fragment, dict) else len(fragment)


def _keep_local(fragments):
    small = {name: fragment for name, fragment in fragments.items() if size(fragment) <= LOCAL_LARGEST}
    if small:
        local.FRAGMENTS.set_many(small)
