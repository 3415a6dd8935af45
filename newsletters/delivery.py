"""The senders: a job (``newsletters.tasks.send``) takes a batch of an issue's due deliveries at a time, claims
them for a lease, and sends each over one SMTP connection (``newsletters.smtp``), marking it sent in the same
moment the server is told the message is complete. Several jobs send one issue side by side; each stops after a
few seconds and asks for itself again, so other work (purges, the desk's e-mail) is never held behind a send.

A temporary refusal (4xx, the server away) puts the delivery back with a growing wait, up to
``NEWSROOM_NEWSLETTER_ATTEMPTS`` tries; a permanent one (5xx) marks the address bounced, and nothing more is sent
to it. The statement that marks a message sent checks that the issue is still being sent and the address still
receives it, so no message is completed after a pause, a cancel or an unsubscribe. An article in it that stops
being public (withdrawn, say) is taken out of the messages not yet sent, and if nothing is left to send, the send
pauses and says why."""

import logging
import smtplib
import time
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from articles.models import Article
from newsletters import envelope, handover, messages, pacing
from newsletters.models import Delivery, Edition, Subscriber, SubscriberEvent, Subscription, receiving, waiting
from newsletters.smtp import Abandoned, Mailer, Refused
from newsroom import jobs

log = logging.getLogger("newsroom.newsletters")

JOB_SECONDS = 10  # a job's share of the worker before it asks for itself again
CHECK_EVERY = 50  # messages between two looks at the status (a pause stops a job within them)
LAST_RETRY_SECONDS = 3600
Status = Delivery.Status


def backoff(attempts):
    """Seconds before try ``attempts + 1``: 30, 60, 120... (``NEWSROOM_NEWSLETTER_RETRY_SECONDS``, doubled each
    time) up to an hour."""
    return min(LAST_RETRY_SECONDS, settings.NEWSROOM_NEWSLETTER_RETRY_SECONDS * 2 ** max(0, attempts - 1))


def take(edition, limit):
    """Claim up to ``limit`` due deliveries of ``edition`` for this job (a lease), with their subscribers and
    whether each is still on the list."""
    now = timezone.now()
    lease = now + timedelta(seconds=settings.NEWSROOM_NEWSLETTER_LEASE_SECONDS)
    with transaction.atomic():
        due = Delivery.objects.filter(waiting(now), edition=edition)
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True, of=("self",))
        pks = list(due.order_by("due_at", "pk").values_list("pk", flat=True)[:limit])
        if pks:
            Delivery.objects.filter(pk__in=pks).update(lease_until=lease)
    on_list = Subscription.objects.filter(
        subscriber=OuterRef("subscriber_id"), newsletter=edition.newsletter_id, status=Subscription.Status.ACTIVE
    )
    rows = Delivery.objects.filter(pk__in=pks).select_related("subscriber").annotate(on_list=Exists(on_list))
    return sorted(rows, key=lambda row: row.pk), lease


def senders_at_work(edition_pk, now=None):
    """How many senders hold a batch of the issue now: each claim has a lease of its own, so the live leases
    count them (a sender killed is counted until its lease runs out)."""
    now = now or timezone.now()
    held = Delivery.objects.filter(edition=edition_pk, status__in=Delivery.WAITING, lease_until__gt=now)
    return held.values("lease_until").distinct().count()


class Sender:
    """One job's work on one issue, until nothing is due, the issue stops, or its time is up."""

    def __init__(self, edition_pk, seconds=JOB_SECONDS):
        self.edition_pk, self.deadline = edition_pk, time.monotonic() + seconds
        self.pace, self.mailer = pacing.Pace(), Mailer()
        self.edition, self.envelope, self.sent, self.trouble = None, None, 0, ""
        self.abandoned = False

    def refresh(self):
        """The issue as it stands; False when it is no longer being sent. Renders it again when an article in it
        stopped being public since it was rendered."""
        edition = Edition.objects.select_related("newsletter").filter(pk=self.edition_pk).first()
        if edition is None or edition.status != Edition.Status.SENDING:
            return False
        public = set(Article.objects.published().filter(pk__in=edition.rendered_articles).values_list("pk", flat=True))
        if public != set(edition.rendered_articles):
            edition = rerender(edition)
            if edition.status != Edition.Status.SENDING:
                return False
        if self.edition is None or self.edition.rendered_articles != edition.rendered_articles:
            self.envelope = envelope.Envelope(edition, messages.Rendered(edition.subject, edition.html, edition.text))
        self.edition = edition
        return True

    def run(self):
        """Send until done or out of time; True when more waits (the job asks for itself again)."""
        if senders_at_work(self.edition_pk) >= settings.NEWSROOM_NEWSLETTER_SENDERS:
            return False  # as many as the operator allows are at work: this job is one too many (the sweep's)
        handover.hold_checkpoints()
        try:
            while time.monotonic() < self.deadline:
                if not self.refresh():
                    return False
                handover.checkpoint()
                rows, lease = take(self.edition, settings.NEWSROOM_NEWSLETTER_BATCH)
                if not rows:
                    finish(self.edition)
                    return False
                for index, row in enumerate(rows):
                    if index and index % CHECK_EVERY == 0 and not self.carry_on():
                        release(rows[index:], lease)
                        return self.still_sending()
                    if not self.deliver(row, lease):
                        # The server is away or takes nothing now: the batch waits its turn to be tried again.
                        for rest in rows[index + 1 :]:
                            defer(rest, lease, self.trouble)
                        finish(self.edition)
                        return False
                    if self.abandoned and not self.still_sending():
                        release(rows[index + 1 :], lease)
                        return False
                    self.abandoned = False
            return True
        finally:
            self.mailer.close()
            handover.checkpoint()

    def carry_on(self):
        """Whether to go on with the batch: within the job's time, and the issue still being sent (rendered again
        first if an article in it stopped being public)."""
        return time.monotonic() < self.deadline and self.refresh()

    def still_sending(self):
        return Edition.objects.filter(pk=self.edition_pk, status=Edition.Status.SENDING).exists()

    def deliver(self, row, lease):
        """Send one delivery; False when the mail server cannot be reached (the rest of the batch waits)."""
        subscriber = row.subscriber
        if not (subscriber.receives and row.on_list):
            Delivery.objects.filter(pk=row.pk, lease_until=lease).update(status=Status.SKIPPED, lease_until=None)
            return True
        self.pace.wait()
        committed = []

        def mark():
            marked = still_wanted(row, lease, self.edition).update(
                status=Status.SENT, sent_at=timezone.now(), attempts=F("attempts") + 1, lease_until=None, error=""
            )
            committed.append(marked)
            return marked

        def commit(complete):
            return handover.mark_then(mark, complete)

        data = self.envelope.message(subscriber)
        try:
            self.mailer.send(self.envelope.sender, subscriber.email, data, commit,
                             envelope.RawMessage(data, subscriber.email))  # fmt: skip
        except Abandoned:
            release([row], lease)
            self.abandoned = True
            return True
        except Refused as refusal:
            held = None if refusal.stage == "end" else lease  # after the end, the row is marked sent by this job
            if refusal.bounced:
                bounce(row, held, subscriber, str(refusal))
            elif refusal.permanent and refusal.stage != "mail":
                give_up(row, held, str(refusal))
            else:
                defer(row, held, str(refusal))
                # A sender refused (or told to wait) is refused for every address: the batch waits.
                self.trouble = str(refusal)
                return refusal.stage != "mail"
            return True
        except (smtplib.SMTPException, OSError) as error:
            self.mailer.drop()
            self.trouble = f"{type(error).__name__}: {error}"[:500]
            if not committed:  # the server never had the whole message: it goes again later
                defer(row, lease, self.trouble)
            log.warning("Mail server lost while sending %s: %s", self.edition, error)
            return False
        self.sent += 1
        return True


def still_wanted(row, lease, edition):
    """``row`` if it is still to be sent, checked in the statement that marks it sent (the last moment before the
    server has the message): held by this job, the issue still being sent (not paused or cancelled since the batch
    was claimed), the address still receiving it (not unsubscribed from the list, paused, bounced or erased)."""
    now = timezone.now()
    receives = Subscriber.objects.filter(receiving(now), pk=row.subscriber_id)
    on_list = Subscription.objects.filter(
        subscriber=row.subscriber_id, newsletter=edition.newsletter_id, status=Subscription.Status.ACTIVE
    )
    sending = Edition.objects.filter(pk=edition.pk, status=Edition.Status.SENDING)
    return Delivery.objects.filter(
        Exists(receives), Exists(on_list), Exists(sending), pk=row.pk, status__in=Delivery.WAITING, lease_until=lease
    )


def ours(row, lease):
    """``row`` if this job still has it: waiting under its ``lease``, or, with ``lease`` None, marked sent by it a
    moment ago (the server refused the message after its end). A lease that ran out while a slow server was
    mid-message may have let another job take the row and send it: that job's outcome stands."""
    if lease is None:
        return Delivery.objects.filter(pk=row.pk, status=Status.SENT)
    return Delivery.objects.filter(pk=row.pk, lease_until=lease, status__in=Delivery.WAITING)


def give_up(row, lease, error):
    ours(row, lease).update(status=Status.FAILED, attempts=F("attempts") + 1, lease_until=None, error=error[:500])


def defer(row, lease, error):
    """Put a delivery back for a later try, or give it up after the last."""
    attempts = row.attempts + 1
    if attempts >= settings.NEWSROOM_NEWSLETTER_ATTEMPTS:
        give_up(row, lease, error)
        return
    ours(row, lease).update(
        status=Status.DEFERRED, attempts=attempts, lease_until=None, error=error[:500],
        due_at=timezone.now() + timedelta(seconds=backoff(attempts)),
    )  # fmt: skip


def bounce(row, lease, subscriber, reason):
    """A permanent refusal: the delivery failed and the address is bounced (nothing more is sent to it)."""
    now = timezone.now()
    with transaction.atomic():
        ours(row, lease).update(status=Status.BOUNCED, attempts=F("attempts") + 1, lease_until=None, error=reason[:500])
        if (
            Subscriber.objects.filter(pk=subscriber.pk)
            .exclude(status=Subscriber.Status.BOUNCED)
            .update(status=Subscriber.Status.BOUNCED, bounced_at=now, bounce_reason=reason[:500])
        ):
            SubscriberEvent.objects.create(subscriber=subscriber, kind="bounced", detail=reason[:500])


def release(rows, lease):
    """Let another job take the rows this one claimed and did not send."""
    Delivery.objects.filter(pk__in=[row.pk for row in rows], lease_until=lease, status__in=Delivery.WAITING).update(
        lease_until=None
    )


def rerender(edition):
    """Render ``edition`` again for the messages not yet sent, under its lock; pause it when nothing is left."""
    with transaction.atomic():
        edition = Edition.objects.select_for_update().select_related("newsletter").get(pk=edition.pk)
        public = set(Article.objects.published().filter(pk__in=edition.rendered_articles).values_list("pk", flat=True))
        if public == set(edition.rendered_articles) or edition.status != Edition.Status.SENDING:
            return edition
        rendered = messages.render(edition, since=edition.digest_since, only=public)
        if not rendered.article_pks and not edition.intro.strip():
            edition.status = Edition.Status.PAUSED
            edition.note = "Paused: no article in it is public any more. Cancel it, or add an intro and resume."
            edition.save(update_fields=["status", "note"])
            return edition
        edition.html, edition.text = rendered.html, rendered.text
        edition.carry(rendered.article_pks, timezone.now())
        edition.save(update_fields=["html", "text", "rendered_articles", "carried_articles"])
    log.warning("%s rendered again: an article in it is no longer public", edition)
    return edition


def finish(edition):
    """Mark the issue sent when no delivery waits; else ask for a job when the next deferred one is due."""
    left = Delivery.objects.filter(edition=edition, status__in=Delivery.WAITING)
    next_due = left.order_by("due_at").values_list("due_at", flat=True).first()
    if next_due is None:
        Edition.objects.filter(pk=edition.pk, status=Edition.Status.SENDING).update(
            status=Edition.Status.SENT, finished_at=timezone.now()
        )
        return
    wait = (next_due - timezone.now()).total_seconds()
    if wait > 0:
        jobs.after_commit("newsletters.tasks.send", edition.pk, countdown=min(wait + 1, LAST_RETRY_SECONDS))
