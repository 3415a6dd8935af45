"""Who has an article's change form open, kept in the shared cache so every worker and machine sees the same.

Each open form sends a heartbeat every ``HEARTBEAT_SECONDS``; a person is present while their last heartbeat is
younger than ``GONE_SECONDS``. The first person present holds the article ("is editing it"); anyone else sees
who and since when, and may take it over, which the holder is told on their next heartbeat. Presence never
blocks a save (optimistic locking is the guard); it warns before two people collide. While the cache is down
nobody is shown as present: forms work as before.
"""

import time

from django.core.cache import cache

HEARTBEAT_SECONDS = 30
GONE_SECONDS = 75  # two heartbeats missed, plus slack for a slow network
# Per person: up to three beats a minute (a late timer) from each of twenty open forms, take-overs and leaving.
BEATS_PER_MINUTE = 60


def _key(article_pk, part):
    return f"newsroom:presence:{article_pk}:{part}"


def _name(user):
    return user.get_full_name() or user.get_username()


def beat(article_pk, user, *, take_over=False):
    """Record that ``user`` has the form open; return what their form should show."""
    now = time.time()
    mine = cache.get(_key(article_pk, f"user:{user.pk}")) or {"since": now}
    cache.set(
        _key(article_pk, f"user:{user.pk}"),
        {"id": user.pk, "name": _name(user), "since": mine["since"], "at": now},
        timeout=GONE_SECONDS,
    )
    _remember(article_pk, user.pk)
    holder_key = _key(article_pk, "holder")
    holder = cache.get(holder_key)
    if take_over and (holder is None or holder["id"] != user.pk):
        if holder is not None:
            cache.set(_key(article_pk, f"taken:{holder['id']}"), {"by": _name(user), "at": now}, GONE_SECONDS * 4)
        holder = {"id": user.pk, "name": _name(user), "since": now}
        cache.set(holder_key, holder, timeout=GONE_SECONDS)
    elif holder is None or (holder["id"] != user.pk and not _present(article_pk, holder["id"])):
        entry = {"id": user.pk, "name": _name(user), "since": mine["since"]}
        if holder is None:
            cache.add(holder_key, entry, timeout=GONE_SECONDS)  # two arriving at once: the first one holds
        else:
            cache.set(holder_key, entry, timeout=GONE_SECONDS)
        holder = cache.get(holder_key) or entry
    elif holder["id"] == user.pk:
        cache.touch(holder_key, GONE_SECONDS)
    taken_over_by = None
    if holder["id"] == user.pk:
        cache.delete(_key(article_pk, f"taken:{user.pk}"))
    else:
        taken_over_by = cache.get(_key(article_pk, f"taken:{user.pk}"))
    others = [person for person in present(article_pk) if person["id"] != user.pk]
    return {
        "holder": holder,
        "you_hold": holder["id"] == user.pk,
        "others": others,
        "taken_over": taken_over_by,
        "heartbeat_seconds": HEARTBEAT_SECONDS,
    }


def leave(article_pk, user):
    cache.delete(_key(article_pk, f"user:{user.pk}"))
    holder = cache.get(_key(article_pk, "holder"))
    if holder and holder["id"] == user.pk:
        cache.delete(_key(article_pk, "holder"))


def _remember(article_pk, user_pk):
    """Add the user to the article's list of people to look for (re-added on every heartbeat, so a lost
    update between two simultaneous heartbeats lasts one beat at most)."""
    key = _key(article_pk, "users")
    ids = set(cache.get(key) or ())
    if user_pk not in ids:
        ids.add(user_pk)
        cache.set(key, sorted(ids), timeout=GONE_SECONDS * 4)
    else:
        cache.touch(key, GONE_SECONDS * 4)


def _present(article_pk, user_pk):
    entry = cache.get(_key(article_pk, f"user:{user_pk}"))
    return entry is not None and time.time() - entry["at"] < GONE_SECONDS


def present(article_pk):
    """Everyone with the form open, longest-present first."""
    ids = cache.get(_key(article_pk, "users")) or []
    found = cache.get_many([_key(article_pk, f"user:{pk}") for pk in ids])
    now = time.time()
    people = [entry for entry in found.values() if now - entry["at"] < GONE_SECONDS]
    return sorted(people, key=lambda entry: entry["since"])


def holders(article_pks):
    """{article pk: holder} for the articles someone is editing now, in one cache call (for the list)."""
    keys = {_key(pk, "holder"): pk for pk in article_pks}
    found = cache.get_many(list(keys))
    return {keys[key]: holder for key, holder in found.items() if holder}
