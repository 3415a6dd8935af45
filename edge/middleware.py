"""No edge keeps a page for long while the purges that would replace it cannot be sent, and the app servers send
the waiting purges themselves until the job queue does again."""

import logging
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connections
from django.utils import timezone

from edge import outbox
from edge.models import Purge
from newsroom import jobs

HEADER = "Surrogate-Control"
STALLED_SECONDS = 30  # a purge still waiting this long (or a broker refusing this recently) means purges stall
CHECK_EVERY_SECONDS = 5  # how often this process asks the outbox

_checked = {"at": -float("inf"), "stalled": False}
_rescuing = threading.Lock()

log = logging.getLogger("newsroom.edge")


def stalled():
    """Whether purges are not going out: the job queue refused one lately, or the oldest purge waiting is older
    than ``STALLED_SECONDS`` (no worker, every edge unreachable). Asked of the database at most every
    ``CHECK_EVERY_SECONDS`` in each process; a database that does not answer counts as stalled."""
    now = time.monotonic()
    if jobs.refused_within(STALLED_SECONDS):
        if now - _checked["at"] >= CHECK_EVERY_SECONDS:
            _checked["at"] = now
            rescue()
        return True
    if now - _checked["at"] >= CHECK_EVERY_SECONDS:
        since = timezone.now() - timedelta(seconds=STALLED_SECONDS)
        try:
            _checked["stalled"] = Purge.objects.filter(created_at__lt=since).exists()
        except DatabaseError:
            _checked["stalled"] = True
        _checked["at"] = now
        if _checked["stalled"]:
            rescue()
    return _checked["stalled"]


def rescue():
    """Deliver the purges that wait, from this process, in a thread of its own (one at a time): a withdrawal
    must reach the edges while no worker runs or the queue's broker is down. Its rows are taken as a worker
    takes them, so a worker coming back meanwhile does not send them twice."""
    if not _rescuing.acquire(blocking=False):
        return
    threading.Thread(target=_deliver_here, name="edge-purge-rescue", daemon=True).start()


def _deliver_here():
    try:
        delivered = outbox.deliver()
        if delivered:
            log.warning("Delivered %s waiting purges from the app server: the job queue is not sending them", delivered)
    except Exception:
        log.exception("Waiting purges could not be delivered from the app server")
    finally:
        connections.close_all()
        _rescuing.release()


class EdgeLifetimeMiddleware:
    """Above the page cache: while purges stall, a page tells the edge to keep it no longer than any shared cache
    may (``NEWSROOM_CDN_SECONDS``), since a change made meanwhile would not reach it; and this process sends the
    waiting purges itself (``rescue``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Asked on every request (the edge's health probe included), so that waiting purges are sent even while
        # the edge answers every reader itself.
        if settings.NEWSROOM_EDGE_PURGE_URLS and stalled() and response.has_header(HEADER):
            told = int(response[HEADER].partition("max-age=")[2] or 0)
            response[HEADER] = f"max-age={min(told, settings.NEWSROOM_CDN_SECONDS)}"
        return response
