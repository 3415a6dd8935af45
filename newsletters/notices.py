"""The e-mail of signing up, one to an address at a time: the confirmation with its signed link, a note that the
address is already subscribed (with its preferences link: whoever asked learns nothing, the owner is told), and
a fresh preferences link asked for on the site. Sent by a job (``newsletters.tasks.notice``); an address that was
sent one within ``NEWSROOM_NEWSLETTER_RESEND_MINUTES`` gets no other (claimed by one conditional update, so
two jobs at once send one)."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from articles.desk import sending as mail
from articles.models import SiteSettings, one_line
from newsletters import tokens
from newsletters.models import Subscriber, Subscription

log = logging.getLogger("newsroom.newsletters")

SUBJECTS = {
    "confirm": "Confirm your subscription to {site}",
    "already": "You are already subscribed to {site}",
    "link": "Your newsletter preferences at {site}",
}


def message(subscriber, kind):
    site = SiteSettings.current()
    link = lambda name, purpose: site.absolute(reverse(f"newsletters:{name}", args=[tokens.make(subscriber, purpose)]))  # noqa: E731
    context = {
        "site": site,
        "kind": kind,
        "subscriber": subscriber,
        "waiting": [
            s.newsletter
            for s in subscriber.subscriptions.filter(status=Subscription.Status.PENDING)
            .select_related("newsletter")
            .order_by("newsletter__position")
        ],  # fmt: skip
        "confirm_url": link("confirm", tokens.CONFIRM),
        "preferences_url": link("preferences", tokens.PREFERENCES),
        "confirm_days": settings.NEWSROOM_NEWSLETTER_CONFIRM_DAYS,
    }
    body = render_to_string("newsletters/email/notice.txt", context)
    sender = settings.NEWSROOM_NEWSLETTER_FROM or settings.DEFAULT_FROM_EMAIL
    return EmailMessage(one_line(SUBJECTS[kind].format(site=site.name)), body, sender, [subscriber.email],
                        headers={"Auto-Submitted": "auto-replied"})  # fmt: skip


def send(subscriber_pk, kind):
    """Send the notice ``kind`` unless the address had one within the last minutes; True when it went."""
    now = timezone.now()
    recent = now - timedelta(minutes=settings.NEWSROOM_NEWSLETTER_RESEND_MINUTES)
    free = Q(last_mailed_at__isnull=True) | Q(last_mailed_at__lt=recent)
    if (
        not Subscriber.objects.filter(free, pk=subscriber_pk)
        .exclude(status=Subscriber.Status.BOUNCED)
        .update(last_mailed_at=now)
    ):
        return False
    subscriber = Subscriber.objects.get(pk=subscriber_pk)
    if kind == "confirm" and not subscriber.subscriptions.filter(status=Subscription.Status.PENDING).exists():
        return False
    (error,) = mail.send_within([message(subscriber, kind)])
    if error is not None:
        # Not sent: the address may ask again at once.
        Subscriber.objects.filter(pk=subscriber_pk, last_mailed_at=now).update(last_mailed_at=None)
        log.warning("Could not send the %s e-mail to subscriber %s: %s", kind, subscriber_pk, error)
        raise error
    return True


def send_now(subscriber_pk, kind):
    """``send`` from the web process, when the job queue did not take the job: a failure is logged (the reader
    can ask again at once), never raised into the page that asked."""
    try:
        return send(subscriber_pk, kind)
    except Exception:  # noqa: BLE001 - a notice that cannot be sent never fails the reader's request
        log.exception("Could not send the %s e-mail to subscriber %s", kind, subscriber_pk)
        return False
