"""Values worked out from the database once per generation of the page cache, and never kept past the next
scheduled change: in the shared cache (``remember``) and, for what every page reads, in this process too
(``per_process``).

Each value is kept with the surrogate keys tagged while it was worked out (``pagecache.keys``), and every
later use tags them again: a page built from a remembered value carries the keys of what that value shows,
whether this request worked it out or not.
"""

import time

from pagecache import deadlines, keys, local
from pagecache.generation import generation
from pagecache.schedule import DEGRADED_SECONDS, next_change

LONGEST_SECONDS = 3600


def remember(name, compute, *, longest=LONGEST_SECONDS):
    """``compute()``, kept in the shared cache for the current generation (so any edit recomputes it) and
    never past the next scheduled change."""
    token = generation()
    if token is None:
        return compute()
    kept = _remember(name, compute, token, longest)
    keys.tag(*kept.value.keys)
    return kept.value.value


def _remember(name, compute, token, longest=LONGEST_SECONDS):
    """``remember`` for generation ``token``, as ``deadlines.Kept``: the value with its keys (``Tagged``) and
    the moment it stops being true.

    The deadline is the next change as known before ``compute()`` runs: a value worked out just before a
    scheduled moment is true until that moment and is never read after it, and one whose work spans the
    moment is not stored at all (its deadline has passed by then).
    """
    key = f"newsroom:memo:{name}:{token}"
    found = deadlines.look_up(key)
    if found is not None:
        return found
    deadline = min(time.time() + longest, next_change(token))
    value = _tagged(compute)
    deadlines.keep(key, value, deadline)
    return deadlines.Kept(value, deadline)


def _tagged(compute):
    """``compute()`` with the surrogate keys it tagged, as ``local.Tagged``."""
    with keys.collect() as found:
        value = compute()
    return local.Tagged(value, frozenset(found))


def per_process(name, compute):
    """``compute()``, kept in this process's memory for the current generation and never past the next
    scheduled change: for what every page reads (the site's settings, its sections, the banner), at no
    round trip once known. The generation is read from the shared cache, so an edit on any server retires
    it here too; the value itself is shared (``remember``), so after an edit one process works it out.

    While the shared cache is down there is no generation to tell of edits: the value is then kept for
    ``DEGRADED_SECONDS`` (an edit made here clears it at once, and never past the next scheduled change),
    not read again on every use.
    """
    token = generation()
    held = local.HELD.get(name)
    if held is not None and held.generation == token and time.time() < held.until:
        keys.tag(*held.keys)
        return held.value
    if token is None:
        until = min(time.time() + DEGRADED_SECONDS, next_change(None))
        made = _tagged(compute)
        local.HELD[name] = local.Held(None, until, made.value, made.keys)
        return made.value
    # After an edit, one process reads the database; the others, its answer, until the same deadline.
    kept = _remember(name, compute, token)
    keys.tag(*kept.value.keys)
    local.HELD[name] = local.Held(token, kept.deadline, kept.value.value, kept.value.keys)
    return kept.value.value


def held(name):
    """What ``per_process`` last kept under ``name`` in this process, with no query or cache call; or None."""
    found = local.HELD.get(name)
    return found.value if found else None
