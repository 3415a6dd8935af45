"""Telling WebSub hubs that feeds changed (the publisher's side of WebSub: a form-encoded POST of
``hub.mode=publish`` with the feed's address as both ``hub.url``, which most hubs read, and ``hub.topic``, which
the others do), from the job queue, after the change commits.

Each article event (``articles.signals.article_event``) leaves a ``Notice`` for every hub and every feed it
changed (``websub.topics``), then asks the queue to send them; so does a live page's update readers see posted,
edited or deleted, for the page's feeds of updates (``update_saved``). A send takes every due notice of one hub and
feed at once and makes one request for them all, so events close together on the same feed make one notice.
A hub that fails is told again later, the wait doubling from ``NEWSROOM_WEBSUB_RETRY_SECONDS`` up to an hour,
until ``NEWSROOM_WEBSUB_ATTEMPTS``; the sweep (a periodic job) sends whatever is due, so a job lost with a
worker or a broker that was down delays a notice and loses none.
"""

import logging
import uuid
from datetime import timedelta
from functools import partial
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from live.models import Update
from live.public.page import readable_pages
from newsroom import jobs, outbound
from websub import topics
from websub.models import Notice

log = logging.getLogger("newsroom.websub")
Status = Notice.Status

SEND_JOB = "websub.tasks.send"
KEEP_DAYS = 7  # sent and abandoned notices are kept this long, for the operator to look at


def event_committed(sender, event, **kwargs):
    """Leave the notices ``event`` calls for and ask for them to be sent (a receiver of ``article_event``).
    A failure here is logged: it must not stop the event's other receivers."""
    if not settings.NEWSROOM_WEBSUB_HUBS:
        return
    try:
        queue(topics.changed_feeds(event))
    except Exception:
        log.exception("The WebSub notices of event %s could not be queued", event.pk)


def update_saved(sender, instance, raw=False, using=None, **kwargs):
    """Once a live page's update is written, tell the hubs of the page's feeds of updates (a receiver of the
    updates' ``post_save``)."""
    if not raw and settings.NEWSROOM_WEBSUB_HUBS:
        transaction.on_commit(partial(_update_committed, instance.pk), using=using, robust=True)


def _update_committed(update_pk):
    """Queue the notices of the feeds update ``update_pk`` changed: those of a page readers may see, when the
    update is shown or was taken away (one awaiting approval is in no feed)."""
    try:
        update = Update.objects.filter(pk=update_pk).first()
        if update is None or not (update.is_shown or update.deleted_at is not None):
            return
        article = readable_pages().filter(pk=update.article_id).first()
        if article is not None:
            queue(topics.live_feeds(article))
    except Exception:  # the update is saved; its failure must not reach the desk's request
        log.exception("The WebSub notices of live update %s could not be queued", update_pk)


def queue(feeds, now=None):
    """A pending notice to every hub for each of ``feeds``, each sent from the queue after commit; none where one
    is due and not yet taken by a send: that send, made after this change committed, tells of it too."""
    now = now or timezone.now()
    hubs = settings.NEWSROOM_WEBSUB_HUBS
    owed = Notice.objects.filter(status=Status.PENDING, claim__isnull=True, due_at__lte=now, hub__in=hubs)
    owed = set(owed.filter(topic__in=feeds).values_list("hub", "topic"))
    pairs = [(hub, feed) for hub in hubs for feed in feeds if (hub, feed) not in owed]
    with transaction.atomic():
        Notice.objects.bulk_create(Notice(hub=hub, topic=feed, created_at=now, due_at=now) for hub, feed in pairs)
        for hub, feed in pairs:
            jobs.after_commit(SEND_JOB, hub, feed)
    return len(pairs)


def _lease():
    """How long a send holds its notices: longer than its request can take."""
    return timedelta(seconds=settings.NEWSROOM_WEBSUB_TIMEOUT_SECONDS + 60)


def _wait(attempts):
    return timedelta(seconds=min(settings.NEWSROOM_WEBSUB_RETRY_SECONDS * 2 ** (attempts - 1), 3600))


def send(hub, topic, now=None):
    """Tell ``hub`` that ``topic`` changed, for every notice of the two that is due; returns whether the hub took
    it (None when nothing was due: another send has it, or it is waiting for its retry)."""
    now = now or timezone.now()
    waiting = Notice.objects.filter(hub=hub, topic=topic, status=Status.PENDING)
    if hub not in settings.NEWSROOM_WEBSUB_HUBS:  # the operator removed the hub since
        waiting.update(status=Status.FAILED, last_error="The hub is no longer in NEWSROOM_WEBSUB_HUBS.")
        return None
    claim = uuid.uuid4()
    if not waiting.filter(due_at__lte=now).update(claim=claim, due_at=now + _lease()):
        return None
    error = _post(hub, topic)
    if error is None:
        # The hub fetches the feed as it is now: every notice of it made before this send is answered too.
        done = Q(claim=claim) | Q(hub=hub, topic=topic, status=Status.PENDING, created_at__lte=now)
        Notice.objects.filter(done).update(status=Status.SENT, sent_at=now, last_error="")
        return True
    error = error.replace("\x00", "\ufffd")  # the hub's words as text a database keeps, a NUL included
    held = Notice.objects.filter(claim=claim, status=Status.PENDING)
    attempts = (held.aggregate(most=Max("attempts"))["most"] or 0) + 1
    if attempts >= settings.NEWSROOM_WEBSUB_ATTEMPTS:
        held.update(status=Status.FAILED, attempts=attempts, last_error=error[:500])
        log.error("WebSub hub %s was not told of %s after %s attempts: %s", hub, topic, attempts, error)
    else:
        held.update(attempts=attempts, due_at=now + _wait(attempts), claim=None, last_error=error[:500])
        log.warning("WebSub hub %s was not told of %s (attempt %s, tried again later): %s", hub, topic, attempts, error)
    return False


def _post(hub, topic):
    """The error of one publish request to ``hub``, or None when it answered 2xx."""
    body = urlencode([("hub.mode", "publish"), ("hub.url", topic), ("hub.topic", topic)])
    hosts = [urlsplit(url).hostname or "" for url in settings.NEWSROOM_WEBSUB_HUBS]
    try:
        answer = outbound.post(
            hub,
            body.encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded", "User-Agent": "Newsroom WebSub"},
            allowed_hosts=hosts,
            setting="NEWSROOM_WEBSUB_HUBS",
            connect_timeout=settings.NEWSROOM_WEBSUB_CONNECT_SECONDS,
            timeout=settings.NEWSROOM_WEBSUB_TIMEOUT_SECONDS,
            max_bytes=1024,
        )
    except outbound.FetchError as error:
        return str(error)
    if 200 <= answer.status < 300:
        return None
    return f"HTTP {answer.status}: {answer.body[:200].decode('utf-8', 'replace')}"


def sweep(now=None):
    """Send every notice that is due (its retry time come, or its job lost), each hub and feed from its own job,
    or here when the queue does not take it; and forget notices done with for ``KEEP_DAYS``. Returns the number
    of hub and feed pairs asked for."""
    now = now or timezone.now()
    Notice.objects.exclude(status=Status.PENDING).filter(created_at__lt=now - timedelta(days=KEEP_DAYS)).delete()
    due = Notice.objects.filter(status=Status.PENDING, due_at__lte=now).values_list("hub", "topic").distinct()
    pairs = list(due.order_by("hub", "topic"))
    for hub, topic in pairs:
        if not jobs.send(SEND_JOB, hub, topic):
            send(hub, topic, now)
    return len(pairs)
