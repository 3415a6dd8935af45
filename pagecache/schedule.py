"""The moments at which what readers see changes by itself: a scheduled publication, an expiry, an embargo's
end, a banner starting or ending, a pin expiring, a picture's rights running out.

The owners of those time fields register them (``registry.register_schedule``). The next such moment bounds
how long any page or value is kept; the last one dates the newest change no edit made (Last-Modified).
Worked out once per generation and kept until the very moment it names.
"""

import math
import time
from typing import NamedTuple

from django.utils import timezone

from pagecache import deadlines, local, registry
from pagecache.generation import generation_time

DEGRADED_SECONDS = 5  # while the shared cache is down, how long this process trusts what it read from the database
SCHEDULE_HELD = "schedule"  # the name of the schedule among the values this process holds (``local.HELD``)


class Schedule(NamedTuple):
    """What every registered provider says, as Unix times: the next change (inf when none is ahead) and the
    last one (0 when none ever was)."""

    next_change_at: float
    last_change_at: float


def read_schedule():
    """Ask every registered provider (one query each) for its moments now."""
    now = timezone.now()
    found = [provider.moments(now) for provider in registry.schedule_providers()]
    ahead = [moments.next_change_at.timestamp() for moments in found if moments.next_change_at is not None]
    behind = [moments.last_change_at.timestamp() for moments in found if moments.last_change_at is not None]
    return Schedule(min(ahead, default=math.inf), max(behind, default=0.0))


def schedule_for(token):
    """The schedule as of generation ``token`` (None: the shared cache is down)."""
    if token is None:  # kept briefly in this process, never past the moment it names
        held = local.HELD.get(SCHEDULE_HELD)
        if held is not None and held.generation is None and time.time() < held.until:
            return held.value
        schedule = read_schedule()
        until = min(time.time() + DEGRADED_SECONDS, schedule.next_change_at)
        local.HELD[SCHEDULE_HELD] = local.Held(None, until, schedule)
        return schedule
    key = f"newsroom:moments-until:{token}"
    found = deadlines.look_up(key)
    if found is not None:
        return Schedule(*found.value)
    schedule = read_schedule()
    # True until the next change it names, not a moment longer; stored as a plain pair of numbers.
    deadlines.keep(key, tuple(schedule), schedule.next_change_at)
    return schedule


def next_change(token):
    """The Unix time at which what readers may see changes by itself (a schedule or an expiry), or inf."""
    return schedule_for(token).next_change_at


def changed_at(token):
    """The Unix time of the last change readers could see: an edit (the generation's start) or a scheduled
    publication or expiry taking effect. No page can have changed since; Last-Modified is never older."""
    last = schedule_for(token).last_change_at
    if token is None:
        return max(last, time.time())  # unknown while the cache is down: say "now", never a stale 304
    return max(last, generation_time(token))
