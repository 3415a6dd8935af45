"""No edge keeps a page for long while the purges that would replace it cannot be sent."""

import time
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from edge import outbox
from edge.models import Purge

HEADER = "Surrogate-Control"
STALLED_SECONDS = 30  # a purge still waiting this long (or a broker refusing this recently) means purges stall
CHECK_EVERY_SECONDS = 5  # how often this process asks the outbox

_checked = {"at": -float("inf"), "stalled": False}


def stalled():
    """Whether purges are not going out: the job queue refused one lately, or the oldest purge waiting is older
    than ``STALLED_SECONDS`` (no worker, every edge unreachable). Asked of the database at most every
    ``CHECK_EVERY_SECONDS`` in each process; a database that does not answer counts as stalled."""
    now = time.monotonic()
    if now - outbox._broker_failed_at[0] < STALLED_SECONDS:
        return True
    if now - _checked["at"] >= CHECK_EVERY_SECONDS:
        since = timezone.now() - timedelta(seconds=STALLED_SECONDS)
        try:
            _checked["stalled"] = Purge.objects.filter(created_at__lt=since).exists()
        except DatabaseError:
            _checked["stalled"] = True
        _checked["at"] = now
    return _checked["stalled"]


class EdgeLifetimeMiddleware:
    """Above the page cache: while purges stall, a page tells the edge to keep it no longer than any shared cache
    may (``NEWSROOM_CDN_SECONDS``), since a change made meanwhile would not reach it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.has_header(HEADER) and stalled():
            told = int(response[HEADER].partition("max-age=")[2] or 0)
            response[HEADER] = f"max-age={min(told, settings.NEWSROOM_CDN_SECONDS)}"
        return response
