"""What this process keeps in its own memory, beside the shared cache: the values every page reads
(``memo.per_process``) and the fragments it used lately (``fragment_store``).

``reset_process_memory()`` forgets both, as a process that has just started would (tests use it to begin
each test with nothing held from the one before).
"""

import threading
from collections import OrderedDict
from typing import Any, NamedTuple

from django.conf import settings


class Held(NamedTuple):
    """A value this process keeps: read for ``generation`` (None while the shared cache was down), true
    until ``until`` (a Unix time), and the surrogate keys of what it shows (``pagecache.keys``)."""

    generation: str | None
    until: float
    value: Any
    keys: frozenset = frozenset()


class Tagged(NamedTuple):
    """A remembered value and the surrogate keys tagged while it was worked out (``pagecache.memo``)."""

    value: Any
    keys: frozenset


HELD: dict[str, Held] = {}  # by name, see ``memo.per_process``


class RecentFragments:
    """The fragments this process used lately, least recently used dropped first. Fragments are immutable
    strings under keys that never change meaning, so they are kept as they are (no copy, no pickling)."""

    def __init__(self):
        self._items = OrderedDict()
        self._lock = threading.Lock()

    def get_many(self, keys):
        found = {}
        with self._lock:
            for name in keys:
                value = self._items.get(name)
                if value is not None:
                    self._items.move_to_end(name)
                    found[name] = value
        return found

    def set_many(self, values):
        limit = settings.NEWSROOM_FRAGMENT_LOCAL_ENTRIES
        with self._lock:
            self._items.update(values)
            for name in values:
                self._items.move_to_end(name)
            while len(self._items) > limit:
                self._items.popitem(last=False)

    def values(self):
        with self._lock:
            return list(self._items.values())

    def clear(self):
        with self._lock:
            self._items.clear()


FRAGMENTS = RecentFragments()


def reset_process_memory():
    """Forget every value and fragment this process holds (the shared cache is left as it is)."""
    HELD.clear()
    FRAGMENTS.clear()
