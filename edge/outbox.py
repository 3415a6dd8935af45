"""The outbox of purges: written after a commit, delivered by the job queue, retried until delivered or until no
page cached before it can still be at the edge (``NEWSROOM_EDGE_SECONDS``).

Delivery is ``PURGE`` with ``xkey-purge: k1 k2 ...`` (hard) or ``xkey-softpurge: k1 k2 ...`` (soft), at most
``KEYS_PER_REQUEST`` keys, and ``X-Purge-Secret``; the edge answers 200. A commit naming both writes two rows an
edge, one of each mode. A purge is idempotent, so a row delivered twice does no harm; two
workers still do not take the same row: each takes due rows in a short transaction that moves their due time
ahead by ``LEASE_SECONDS`` (on PostgreSQL ``SELECT ... FOR UPDATE SKIP LOCKED``, so a worker skips rows another
is taking; SQLite serialises writers).
"""

import http.client
import logging
import time
from datetime import timedelta
from urllib.parse import urlsplit

from celery import current_app
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from edge.models import Purge

log = logging.getLogger("newsroom.edge")

KEYS_PER_REQUEST = 100
TIMEOUT_SECONDS = 2.0  # to connect, and for the whole answer
FIRST_RETRY_SECONDS, LAST_RETRY_SECONDS = 1, 60
LEASE_SECONDS = 30  # a worker's hold on the rows it took; a worker that dies lets them go after this
ROWS_PER_RUN = 50
ENQUEUE_PAUSE_SECONDS = 5  # after the broker failed, how long to leave new rows to the sweep without asking it

DELIVER_TASK = "edge.tasks.deliver"

_broker_failed_at = [0.0]


def send(*, soft=(), hard=()):
    """Record the ``soft`` and ``hard`` keys for every edge (a key in both is purged hard only) and ask a
    worker to deliver them now; a queue that cannot be reached leaves them to the sweep (the save that named
    them never waits for it)."""
    hard = set(hard)
    batches = [(True, hard), (False, set(soft) - hard)]
    rows = Purge.objects.bulk_create(
        Purge(url=url, keys=" ".join(sorted(keys)), hard=mode)
        for mode, keys in batches
        if keys
        for url in settings.NEWSROOM_EDGE_PURGE_URLS
    )
    enqueue([row.pk for row in rows])
    return rows


def enqueue(ids, countdown=None):
    if not ids or time.monotonic() - _broker_failed_at[0] < ENQUEUE_PAUSE_SECONDS:
        return False
    try:
        current_app.send_task(DELIVER_TASK, (ids,), countdown=countdown, retry=False)
    except Exception as error:  # noqa: BLE001 - any broker failure: the sweep delivers them
        _broker_failed_at[0] = time.monotonic()
        log.warning("Purges left for the sweep: the job queue did not take them (%s)", error)
        return False
    return True


def backoff(attempts):
    """Seconds before attempt ``attempts + 1``: 1, 2, 4... up to 60."""
    return min(LAST_RETRY_SECONDS, FIRST_RETRY_SECONDS * 2 ** max(0, attempts - 1))


def take(ids=None, limit=ROWS_PER_RUN):
    """Take due rows (of ``ids``, or any) for this worker: their due time moves a lease ahead."""
    now = timezone.now()
    with transaction.atomic():
        due = Purge.objects.filter(due_at__lte=now)
        if ids is not None:
            due = due.filter(pk__in=ids)
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        rows = list(due.order_by("due_at", "pk")[:limit])
        Purge.objects.filter(pk__in=[row.pk for row in rows]).update(due_at=now + timedelta(seconds=LEASE_SECONDS))
    return rows


def deliver(ids=None):
    """Deliver the due rows (of ``ids``, or all of them): delete each the edge took, reschedule the others.
    Returns the number delivered."""
    delivered = 0
    while True:
        rows = take(ids)
        for row in rows:
            delivered += _attempt(row)
        if ids is not None or len(rows) < ROWS_PER_RUN:
            return delivered


def _attempt(row):
    try:
        keys = row.keys.split()
        for start in range(0, len(keys), KEYS_PER_REQUEST):
            purge(row.url, keys[start : start + KEYS_PER_REQUEST], hard=row.hard)
    except (OSError, http.client.HTTPException, PurgeRefused) as error:
        _failed(row, error)
        return 0
    Purge.objects.filter(pk=row.pk).delete()
    return 1


def _failed(row, error):
    now = timezone.now()
    attempts = row.attempts + 1
    if now - row.created_at > timedelta(seconds=settings.NEWSROOM_EDGE_SECONDS):
        # Every page this purge was meant for has expired at the edge by now.
        log.error("Purge given up after %s attempts at %s: %s", attempts, row.url, error)
        Purge.objects.filter(pk=row.pk).delete()
        return
    log.warning("Purge at %s failed (attempt %s): %s", row.url, attempts, error)
    Purge.objects.filter(pk=row.pk).update(
        attempts=attempts, due_at=now + timedelta(seconds=backoff(attempts)), last_error=str(error)[:1000]
    )
    enqueue([row.pk], countdown=backoff(attempts))  # sooner than the sweep, for the first tries


class PurgeRefused(Exception):
    """The edge answered, but not 200."""


def purge(url, keys, hard=True):
    """One ``PURGE`` of ``keys`` at the edge ``url``, hard or soft; the number of objects it purged (its
    ``X-Purged``)."""
    parts = urlsplit(url)
    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    conn = kind(parts.hostname, parts.port, timeout=TIMEOUT_SECONDS)
    deadline = time.monotonic() + TIMEOUT_SECONDS
    try:
        conn.request(
            "PURGE",
            parts.path or "/",
            headers={
                "xkey-purge" if hard else "xkey-softpurge": " ".join(keys),
                "X-Purge-Secret": settings.NEWSROOM_EDGE_PURGE_SECRET,
            },
        )
        conn.sock.settimeout(max(0.01, deadline - time.monotonic()))
        response = conn.getresponse()
        response.read()
    finally:
        conn.close()
    if response.status != 200:
        raise PurgeRefused(f"{response.status} {response.reason}")
    return int(response.getheader("X-Purged", "0") or 0)
