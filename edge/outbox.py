"""The outbox of purges: rows written in the transaction of the change that names them, delivered by the job
queue, retried until delivered or until no page cached before them can still be at the edge
(``NEWSROOM_EDGE_SECONDS``).

A row holds the keys of one change for one edge, hard or soft (``record``). Written with the change, it commits
or rolls back with it: no purge is lost between a commit and its delivery, whatever runs after the commit or
however the process ends. After the commit one job (``kick``) asks a worker to deliver whatever is due; a job
lost is a delay, not a lost purge, as the sweep (``edge.tasks.sweep``, every 10 s) delivers it.

Delivery (``deliver``) takes the due rows, merges them per edge and mode (a key purged hard in the run is not
also purged soft) and sends each edge its purges in a thread of its own, so an edge that hangs delays no other:
``PURGE`` with ``xkey-purge: k1 k2 ...`` (hard) or ``xkey-softpurge: k1 k2 ...`` (soft), at most
``KEYS_PER_REQUEST`` keys a request, and ``X-Purge-Secret``; the edge answers 200. The rows of what an edge took
are deleted, the others retried later. A purge is idempotent, so a row delivered twice does no harm; two workers
still do not take the same row: each takes due rows in a short transaction that moves their due time ahead by
``LEASE_SECONDS`` (on PostgreSQL ``SELECT ... FOR UPDATE SKIP LOCKED``, so a worker skips rows another is
taking; SQLite serialises writers).
"""

import http.client
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from edge.models import Purge
from newsroom import jobs

log = logging.getLogger("newsroom.edge")

KEYS_PER_REQUEST = 100
TIMEOUT_SECONDS = 2.0  # to connect, and for the whole answer
FIRST_RETRY_SECONDS, LAST_RETRY_SECONDS = 1, 60
LEASE_SECONDS = 30  # a worker's hold on the rows it took; a worker that dies lets them go after this
ROWS_PER_RUN = 1000  # rows merged into one delivery to each edge
ROWS_PER_QUERY = 500  # primary keys named in one statement

DELIVER_TASK = "edge.tasks.deliver"


def record(*, soft=(), hard=(), using=None):
    """Write the ``soft`` and ``hard`` keys for every edge (a key in both is purged hard only), one row an edge
    and mode, in the current transaction of the database ``using``; nothing is sent."""
    hard = set(hard)
    batches = [(True, hard), (False, set(soft) - hard)]
    return Purge.objects.using(using).bulk_create(
        Purge(url=url, keys=" ".join(sorted(keys)), hard=mode)
        for mode, keys in batches
        if keys
        for url in settings.NEWSROOM_EDGE_PURGE_URLS
    )


def send(*, soft=(), hard=()):
    """Record the ``soft`` and ``hard`` keys (outside a transaction: they are committed at once) and ask a worker
    to deliver them now; a queue that cannot be reached leaves them to the sweep (the save that named them never
    waits for it)."""
    rows = record(soft=soft, hard=hard)
    if rows:
        kick()
    return rows


def kick(countdown=None):
    """Ask a worker to deliver every due row; False when the queue did not take the job (the sweep will). A
    broker that failed a moment ago is not asked again (``newsroom.jobs.send``)."""
    return jobs.send(DELIVER_TASK, countdown=countdown)


def backoff(attempts):
    """Seconds before attempt ``attempts + 1``: 1, 2, 4... up to 60."""
    return min(LAST_RETRY_SECONDS, FIRST_RETRY_SECONDS * 2 ** max(0, attempts - 1))


def _chunks(items, size=ROWS_PER_QUERY):
    return (items[start : start + size] for start in range(0, len(items), size))


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
        for pks in _chunks([row.pk for row in rows]):
            Purge.objects.filter(pk__in=pks).update(due_at=now + timedelta(seconds=LEASE_SECONDS))
    return rows


def deliver(ids=None):
    """Deliver the due rows (of ``ids``, or all of them): delete each the edge took, reschedule the others.
    Returns the number of rows delivered."""
    delivered = 0
    while True:
        rows = take(ids)
        if rows:
            delivered += _deliver(rows)
        if ids is not None or len(rows) < ROWS_PER_RUN:
            return delivered


def _deliver(rows):
    """Send the keys of ``rows``, merged per edge and mode, to every edge at once (one thread an edge: the
    threads only speak HTTP), then delete or reschedule the rows here."""
    groups = {}  # url: {hard: [rows]}
    for row in rows:
        groups.setdefault(row.url, {True: [], False: []})[row.hard].append(row)
    purges = {}
    for url, modes in groups.items():
        hard_keys = set().union(*(row.keys.split() for row in modes[True]))
        soft_keys = set().union(*(row.keys.split() for row in modes[False])) - hard_keys
        purges[url] = (sorted(hard_keys), sorted(soft_keys))
    with ThreadPoolExecutor(max_workers=len(groups), thread_name_prefix="edge-purge") as pool:
        outcomes = dict(zip(groups, pool.map(lambda url: _purge_all(url, *purges[url]), groups), strict=True))
    delivered, failed = 0, []
    for url, modes in groups.items():
        for mode, group in modes.items():
            error = outcomes[url][mode]
            if error is None:
                for pks in _chunks([row.pk for row in group]):
                    Purge.objects.filter(pk__in=pks).delete()
                delivered += len(group)
            elif group:
                log.warning("Purge at %s failed: %s", url, error)
                failed.append(_failed(group, error))
    if failed:
        kick(countdown=min(failed))  # sooner than the sweep, for the first tries
    return delivered


def _purge_all(url, hard_keys, soft_keys):
    """Purge ``hard_keys`` then ``soft_keys`` at ``url``: ``{True: error, False: error}`` (None: taken). After a
    failure nothing more is tried at that edge in this run; soft keys all purged hard share the hard outcome."""
    outcomes = {}
    for mode, keys in ((True, hard_keys), (False, soft_keys)):
        if not keys:
            outcomes[mode] = outcomes.get(True)
            continue
        if outcomes.get(True) is not None:
            outcomes[mode] = outcomes[True]
            continue
        try:
            for start in range(0, len(keys), KEYS_PER_REQUEST):
                purge(url, keys[start : start + KEYS_PER_REQUEST], hard=mode)
        except (OSError, http.client.HTTPException, PurgeRefused) as error:
            outcomes[mode] = error
        else:
            outcomes[mode] = None
    return outcomes


def _failed(rows, error):
    """Reschedule ``rows`` after ``error`` with the backoff of each; drop those older than every page they were
    meant for. Returns the shortest wait."""
    now = timezone.now()
    oldest = now - timedelta(seconds=settings.NEWSROOM_EDGE_SECONDS)
    # Every page a purge older than that was meant for has expired at the edge by now.
    expired = [row for row in rows if row.created_at < oldest]
    if expired:
        log.error("%s purges given up at %s after %s attempts: %s", len(expired), rows[0].url,
                  max(row.attempts + 1 for row in expired), error)  # fmt: skip
        for pks in _chunks([row.pk for row in expired]):
            Purge.objects.filter(pk__in=pks).delete()
    by_attempts = {}
    for row in rows:
        if row.created_at >= oldest:
            by_attempts.setdefault(row.attempts + 1, []).append(row.pk)
    for attempts, ids in by_attempts.items():
        for pks in _chunks(ids):
            Purge.objects.filter(pk__in=pks).update(
                attempts=attempts, due_at=now + timedelta(seconds=backoff(attempts)), last_error=str(error)[:1000]
            )
    return min((backoff(attempts) for attempts in by_attempts), default=LAST_RETRY_SECONDS)


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
