"""Entries in a cache that carry their own deadline, and are a miss from that moment on.

What readers see changes by itself at scheduled moments (a publication, an embargo's end, an expiry), so what
is worked out from the clock is true only until the next such moment. A backend's own expiry cannot promise
that: Redis counts whole seconds on its own clock, so a value kept "until the next change" could outlive it
by up to a second, long enough for a page rendered then to be stored for minutes with what was true before.
Each entry here holds the Unix time it stops being true and is never returned from then on, whatever the
backend still holds; the backend's expiry only frees the memory a little later.
"""

import math
import time
from typing import Any, NamedTuple

from django.core.cache import cache

SPARE_SECONDS = 1  # how long the backend keeps an entry past its deadline (unread: only memory)


class Kept(NamedTuple):
    """A value found in a cache, and the Unix time it stops being true."""

    value: Any
    deadline: float


def keep(key, value, deadline, backend=None):
    """Store ``value`` under ``key`` until ``deadline`` (a Unix time; inf for no deadline). A deadline that
    has already passed stores nothing."""
    remaining = deadline - time.time()
    if remaining <= 0:
        return
    timeout = None if deadline == math.inf else math.ceil(remaining) + SPARE_SECONDS
    # Stored as (deadline, value), the form every release before this one wrote and read.
    (backend or cache).set(key, (deadline, value), timeout=timeout)


def look_up(key, backend=None):
    """The ``Kept`` value stored under ``key``, or None when there is none or its deadline has come."""
    entry = (backend or cache).get(key)
    if entry is None or time.time() >= entry[0]:
        return None
    deadline, value = entry
    return Kept(value, deadline)
