"""Readers' side of the lists, without passwords: asking to subscribe (``ask``), confirming by the signed link
(``confirm``: the consent that counts), changing preferences, unsubscribing (``unsubscribe``: also RFC 8058's
one-click), a copy of one's data (``export``) and its deletion (``erase``). Each is one transaction; each is
recorded as a ``SubscriberEvent``. Nothing here says whether an address was known: the pages answer alike.

The e-mail an ask calls for (a confirmation, or a note that the address is already subscribed) is sent by a job
after the commit (``newsletters.notices``), at most one every ``NEWSROOM_NEWSLETTER_RESEND_MINUTES`` an address,
so that the form cannot be used to flood someone's inbox."""

from django.core.exceptions import ValidationError
from django.core.mail.message import sanitize_address
from django.core.validators import EmailValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.encoding import punycode

from newsletters import notices
from newsletters.models import ADDRESS_LENGTH, Subscriber, SubscriberEvent, Subscription
from newsroom import jobs

CONFIRM, ALREADY, LINK = "confirm", "already", "link"
SOURCE_LENGTH = 500
_validate = EmailValidator()


class BadAddress(ValueError):
    """The address cannot be used; the message says why, for the reader."""


def normalise(address):
    """``address`` as it is kept (trimmed, its domain in lower case and ASCII), or BadAddress saying why not."""
    address = (address or "").strip()
    if not address:
        raise BadAddress("Enter your e-mail address.")
    if len(address) > ADDRESS_LENGTH:
        raise BadAddress(f"That address is too long: an e-mail address has at most {ADDRESS_LENGTH} characters.")
    if any(ord(c) < 32 or ord(c) == 127 for c in address):
        raise BadAddress("That address has characters no e-mail address has.")
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain:
        raise BadAddress("That is not an e-mail address: it needs a name, an @ and a domain, as in name@example.com.")
    try:
        domain = punycode(domain.lower())
    except UnicodeError:
        raise BadAddress(f"“{domain}” is not a domain an e-mail address can have.") from None
    address = f"{local}@{domain}"
    if len(address) > ADDRESS_LENGTH:
        raise BadAddress(f"That address is too long: an e-mail address has at most {ADDRESS_LENGTH} characters.")
    try:
        _validate(address)
        # The address the mail goes to must be this one: an encoded word ("=?utf-8?q?...?=") is decoded into
        # another, quotes a name does not need are dropped, and each such spelling would be an address of its
        # own with its own confirmation. Only such addresses are parsed again (it is slow: imports call this).
        if ('"' in local or "=?" in local) and sanitize_address(address, "utf-8") != address:
            raise ValueError(address)
    except (ValidationError, ValueError):
        raise BadAddress("That is not an e-mail address: check it for typing slips.") from None
    return address


def tell(subscriber_pk, kind):
    """Once the transaction commits, send the notice ``kind`` from a worker; when the queue does not take the
    job, from here (bounded by the e-mail timeout), so that a reader's confirmation is never left unsent."""

    def send():
        if not jobs.send("newsletters.tasks.notice", subscriber_pk, kind):
            notices.send_now(subscriber_pk, kind)

    transaction.on_commit(send)


def find(address):
    return Subscriber.objects.filter(email__iexact=address).first()


def _subscriber(address, source):
    """The address's row, made (pending) when there is none; two asks at once make one."""
    found = find(address)
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Subscriber.objects.create(email=address, source=source[:SOURCE_LENGTH])
    except IntegrityError:
        return find(address)


def ask(address, newsletters, source=""):
    """A reader asks for ``newsletters`` (open lists) for ``address`` on the page ``source``. Lists the address is
    already confirmed on stay as they are; the others wait for confirmation. Returns nothing a page could tell
    known and unknown addresses apart by."""
    address, source = normalise(address), (source or "")[:SOURCE_LENGTH]
    newsletters = [n for n in newsletters if n.is_open]
    if not newsletters:
        raise BadAddress("Choose at least one newsletter.")
    now = timezone.now()
    with transaction.atomic():
        subscriber = _subscriber(address, source)
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        waiting = []
        for newsletter in newsletters:
            subscription, made = Subscription.objects.get_or_create(
                subscriber=subscriber, newsletter=newsletter, defaults={"requested_at": now, "source": source}
            )
            if subscription.status == Subscription.Status.ACTIVE and subscriber.status == Subscriber.Status.ACTIVE:
                continue
            if not made:
                subscription.status, subscription.requested_at, subscription.source = (
                    Subscription.Status.PENDING, now, source)  # fmt: skip
                subscription.save(update_fields=["status", "requested_at", "source"])
            waiting.append(newsletter)
            SubscriberEvent.objects.create(subscriber=subscriber, kind="asked", newsletter=newsletter,
                                           detail=source)  # fmt: skip
        tell(subscriber.pk, CONFIRM if waiting else ALREADY)
    return subscriber


def ask_for_link(address):
    """A reader whose link expired asks for a new one: it is sent if the address is known (and nothing says)."""
    subscriber = find(normalise(address))
    if subscriber is not None:
        tell(subscriber.pk, LINK)


def confirm(subscriber):
    """The reader opened their confirmation link: every list waiting for it is theirs (the consent is now).
    Returns the lists confirmed by this call (none when it had been done)."""
    now = timezone.now()
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        pending = list(subscriber.subscriptions.filter(status=Subscription.Status.PENDING).select_related("newsletter"))
        for subscription in pending:
            subscription.status, subscription.consented_at = Subscription.Status.ACTIVE, now
            subscription.unsubscribed_at = None
            subscription.save(update_fields=["status", "consented_at", "unsubscribed_at"])
            SubscriberEvent.objects.create(subscriber=subscriber, kind="confirmed", newsletter=subscription.newsletter)
        if pending or subscriber.status == Subscriber.Status.PENDING:
            subscriber.status, subscriber.confirmed_at = Subscriber.Status.ACTIVE, subscriber.confirmed_at or now
            subscriber.save(update_fields=["status", "confirmed_at"])
    return [subscription.newsletter for subscription in pending]


def unsubscribe(subscriber, newsletter=None, how="link"):
    """Take the address off ``newsletter``, or off every list; an address on no list is unsubscribed."""
    now = timezone.now()
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        leaving = subscriber.subscriptions.exclude(status=Subscription.Status.UNSUBSCRIBED)
        if newsletter is not None:
            leaving = leaving.filter(newsletter=newsletter)
        for subscription in leaving.select_related("newsletter"):
            SubscriberEvent.objects.create(subscriber=subscriber, kind="unsubscribed",
                                           newsletter=subscription.newsletter, detail=how)  # fmt: skip
        leaving.update(status=Subscription.Status.UNSUBSCRIBED, unsubscribed_at=now)
        still_on = subscriber.subscriptions.filter(status=Subscription.Status.ACTIVE).exists()
        if not still_on and subscriber.status != Subscriber.Status.UNSUBSCRIBED:
            subscriber.status, subscriber.unsubscribed_at = Subscriber.Status.UNSUBSCRIBED, now
            subscriber.save(update_fields=["status", "unsubscribed_at"])
    return subscriber


def choose(subscriber, newsletters, *, format=None, paused_until=None, source="preferences"):
    """The preferences page's answer: the address is on exactly ``newsletters`` (the signed link proves it is
    theirs, so a list added here needs no other confirmation), in ``format``, paused until ``paused_until``."""
    now = timezone.now()
    chosen = {n.pk: n for n in newsletters}
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        current = {s.newsletter_id: s for s in subscriber.subscriptions.select_related("newsletter")}
        for pk, subscription in current.items():
            if pk not in chosen and subscription.status != Subscription.Status.UNSUBSCRIBED:
                unsubscribe(subscriber, subscription.newsletter, how=source)
        for pk, newsletter in chosen.items():
            subscription = current.get(pk)
            if subscription is not None and subscription.status == Subscription.Status.ACTIVE:
                continue
            if subscription is None and not newsletter.is_open:
                continue
            Subscription.objects.update_or_create(
                subscriber=subscriber, newsletter=newsletter,
                defaults={"status": Subscription.Status.ACTIVE, "consented_at": now, "requested_at": now,
                          "source": source, "unsubscribed_at": None},
            )  # fmt: skip
            SubscriberEvent.objects.create(subscriber=subscriber, kind="confirmed", newsletter=newsletter,
                                           detail=source)  # fmt: skip
        subscriber.refresh_from_db()
        if chosen:
            subscriber.status = Subscriber.Status.ACTIVE
            subscriber.confirmed_at = subscriber.confirmed_at or now
            subscriber.unsubscribed_at = None
        if format is not None:
            subscriber.format = format
        if paused_until != subscriber.paused_until:
            SubscriberEvent.objects.create(subscriber=subscriber, kind="paused" if paused_until else "resumed",
                                           detail=paused_until.isoformat() if paused_until else "")  # fmt: skip
        subscriber.paused_until = paused_until
        subscriber.save()
    return subscriber


def export(subscriber):
    """Everything kept about the address, as the reader downloads it (JSON-ready)."""
    stamp = lambda moment: moment.isoformat() if moment else None  # noqa: E731
    return {
        "address": subscriber.email,
        "status": subscriber.status,
        "format": subscriber.format,
        "paused_until": stamp(subscriber.paused_until),
        "signed_up_at": stamp(subscriber.created_at),
        "signed_up_on": subscriber.source,
        "confirmed_at": stamp(subscriber.confirmed_at),
        "unsubscribed_at": stamp(subscriber.unsubscribed_at),
        "bounced_at": stamp(subscriber.bounced_at),
        "lists": [
            {
                "list": s.newsletter.name,
                "status": s.status,
                "asked_at": stamp(s.requested_at),
                "asked_on": s.source,
                "consented_at": stamp(s.consented_at),
                "unsubscribed_at": stamp(s.unsubscribed_at),
            }
            for s in subscriber.subscriptions.select_related("newsletter").order_by("newsletter__position", "pk")
        ],  # fmt: skip
        "events": [
            {
                "at": stamp(e.at),
                "what": e.kind,
                "list": e.newsletter.name if e.newsletter_id else None,
                "detail": e.detail,
            }
            for e in subscriber.events.select_related("newsletter")
        ],  # fmt: skip
        "issues_sent": [
            {
                "issue": d.edition.subject,
                "list": d.edition.newsletter.name,
                "status": d.status,
                "sent_at": stamp(d.sent_at),
            }
            for d in subscriber.deliveries.select_related("edition__newsletter").order_by("pk")
        ],  # fmt: skip
    }


def erase(subscriber):
    """Delete the address and everything kept about it; its links open nothing afterwards."""
    Subscriber.objects.filter(pk=subscriber.pk).delete()
