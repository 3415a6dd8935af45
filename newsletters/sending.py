"""An issue's way from the desk to its subscribers: scheduled or queued by an editor, started by a worker
(``start``: rendered once and one ``Delivery`` row written for each subscriber who receives it then), sent by
several jobs side by side (``newsletters.delivery``), paused, resumed or cancelled by an editor, finished when no
row waits. Each step is one conditional change of the issue's status, so two editors, two workers or a worker
and an editor acting at once change it once; the jobs are asked for after the commit (``jobs``), and a job lost
(the broker down, a worker killed) is asked for again by the sweep (``newsletters.tasks.sweep``)."""

import logging

from django.db import connection, transaction
from django.db.models import Count, F
from django.utils import timezone

from newsletters import messages
from newsletters.models import Delivery, Edition, Subscriber, Subscription, receiving
from newsroom import jobs

log = logging.getLogger("newsroom.newsletters")
Status = Edition.Status


class NotSendable(Exception):
    """The issue cannot go as asked; the message says why."""


def _move(edition, sources, target, **changes):
    """Change ``edition``'s status from one of ``sources`` to ``target`` in one conditional update; False when
    it was not in one of them (someone else moved it first)."""
    moved = Edition.objects.filter(pk=edition.pk, status__in=sources).update(status=target, **changes)
    if moved:
        edition.status = target
        for name, value in changes.items():
            setattr(edition, name, value)
    return bool(moved)


def problems(edition):
    """Why ``edition`` cannot be sent as it stands (a list of sentences; empty when it can)."""
    found = []
    if not edition.subject.strip():
        found.append("It needs a subject.")
    if edition.mode == Edition.Mode.CHOSEN and not edition.intro.strip() and not messages.articles_of(edition):
        found.append("It has nothing to send: write an intro or choose published articles.")
    return found


def queue(edition):
    """Send ``edition`` now: it is queued, and a worker starts it."""
    if found := problems(edition):
        raise NotSendable(" ".join(found))
    if not _move(edition, [Status.DRAFT, Status.SCHEDULED], Status.QUEUED, send_at=timezone.now(), note=""):
        raise NotSendable(
            f"It is {edition.get_status_display().lower()}: only a draft or a scheduled issue can be sent."
        )
    jobs.after_commit("newsletters.tasks.start", edition.pk)


def schedule(edition, when):
    if when is None or when <= timezone.now():
        raise NotSendable("Scheduling needs a time in the future.")
    if found := problems(edition):
        raise NotSendable(" ".join(found))
    if not _move(edition, [Status.DRAFT, Status.SCHEDULED], Status.SCHEDULED, send_at=when, note=""):
        raise NotSendable(f"It is {edition.get_status_display().lower()}: it can no longer be scheduled.")


def unschedule(edition):
    if not _move(edition, [Status.SCHEDULED], Status.DRAFT, send_at=None):
        raise NotSendable("It is not scheduled.")


def pause(edition):
    if not _move(edition, [Status.SENDING, Status.QUEUED], Status.PAUSED, note="Paused by an editor."):
        raise NotSendable("Only an issue being sent can be paused.")


def resume(edition):
    target = Status.SENDING if edition.started_at else Status.QUEUED
    if not _move(edition, [Status.PAUSED], target, note=""):
        raise NotSendable("Only a paused issue can be resumed.")
    jobs.after_commit("newsletters.tasks.start" if target == Status.QUEUED else "newsletters.tasks.send", edition.pk)


def cancel(edition):
    if not _move(edition, [Status.DRAFT, Status.SCHEDULED, Status.QUEUED, Status.PAUSED], Status.CANCELLED,
                 finished_at=timezone.now()):  # fmt: skip
        raise NotSendable("Only an issue not being sent right now can be cancelled (pause it first).")


def audience(newsletter_id, now):
    """The subscribers an issue of the list goes to: confirmed, on the list, not paused."""
    on_list = Subscription.objects.filter(newsletter=newsletter_id, status=Subscription.Status.ACTIVE)
    return Subscriber.objects.filter(receiving(now), pk__in=on_list.values("subscriber_id"))


def _write_deliveries(edition, now):
    """One queued Delivery an audience member, written by the database in one statement (a hundred thousand
    rows in about a second); a row already there (a start run twice) is kept."""
    sql, params = (
        audience(edition.newsletter_id, now)
        .values(audience_id=F("pk"))
        .query.get_compiler(connection=connection)
        .as_sql()
    )
    table = Delivery._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (edition_id, subscriber_id, status, attempts, due_at, error) "  # noqa: S608
            f"SELECT %s, audience.audience_id, %s, 0, %s, '' FROM ({sql}) AS audience WHERE true "
            "ON CONFLICT (edition_id, subscriber_id) DO NOTHING",
            [edition.pk, Delivery.Status.QUEUED, now, *params],
        )
    return Delivery.objects.filter(edition=edition).count()


def start(edition_pk):
    """Render a queued issue and write its deliveries, then ask for its senders. Run by a worker; running it
    twice, or for an issue no longer queued, does nothing."""
    now = timezone.now()
    with transaction.atomic():
        edition = Edition.objects.select_for_update().select_related("newsletter").filter(pk=edition_pk).first()
        if edition is None or edition.status != Status.QUEUED:
            return None
        since = messages.digest_since(edition, now) if edition.mode == Edition.Mode.DIGEST else None
        rendered = messages.render(edition, since=since)
        if not rendered.article_pks and not edition.intro.strip():
            _move(edition, [Status.QUEUED], Status.DRAFT,
                  note="Not sent: none of its articles is published now, and it has no intro.")  # fmt: skip
            return edition
        edition.digest_since, edition.started_at, edition.status = since, now, Status.SENDING
        edition.html, edition.text = rendered.html, rendered.text
        edition.carry(rendered.article_pks, now)
        edition.total = _write_deliveries(edition, now)
        edition.save(update_fields=["digest_since", "started_at", "status", "html", "text", "rendered_articles",
                                    "carried_articles", "total"])  # fmt: skip
    log.info("Sending %s to %s subscribers", edition, edition.total, extra={"event": "newsletter-start"})
    send_jobs(edition)
    return edition


def send_jobs(edition, count=None):
    from django.conf import settings

    for _ in range(count or settings.NEWSROOM_NEWSLETTER_SENDERS):
        jobs.after_commit("newsletters.tasks.send", edition.pk)


def due_scheduled(now=None):
    """Queue every scheduled issue whose time has come; the issues queued."""
    now = now or timezone.now()
    started = []
    for edition in Edition.objects.filter(status=Status.SCHEDULED, send_at__lte=now).select_related("newsletter"):
        if found := problems(edition):
            _move(edition, [Status.SCHEDULED], Status.DRAFT, note="Not sent at its time: " + " ".join(found))
            continue
        if _move(edition, [Status.SCHEDULED], Status.QUEUED):
            jobs.after_commit("newsletters.tasks.start", edition.pk)
            started.append(edition)
    return started


def progress(edition):
    """How far a send has got: {status: count} over its deliveries, every status present."""
    counts = dict.fromkeys(Delivery.Status.values, 0)
    rows = Delivery.objects.filter(edition=edition).values("status").annotate(n=Count("pk")).order_by()
    counts.update({row["status"]: row["n"] for row in rows})
    return counts
