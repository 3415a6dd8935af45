"""Sending a delivery (``deliver``), retrying it, giving it up, and turning off an endpoint that keeps failing.

A worker first claims the delivery (one UPDATE, so two jobs for it never both send it) with a lease as long as a
send can take; it records each try as an ``Attempt``. A 2xx answer is a success; anything else (another status, a
redirect, which is never followed, a timeout, a refused address, a connection error) is a failed attempt, tried
again after ``NEWSROOM_WEBHOOK_RETRY_SECONDS``, doubling each time up to ``NEWSROOM_WEBHOOK_RETRY_MAX_SECONDS``,
until ``NEWSROOM_WEBHOOK_RETRY_HOURS`` after the first try; then it is given up. Retries, and deliveries whose job
was lost (a broker down, a worker killed mid-send), are asked for by the periodic ``sweep``, which also forgets
the deliveries done with ``NEWSROOM_WEBHOOK_KEEP_DAYS`` ago.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from newsroom import jobs, outbound
from webhooks import fanout, payload
from webhooks.models import Attempt, Delivery, Endpoint

logger = logging.getLogger("newsroom.webhooks")
Status = Delivery.Status
EXCERPT_BYTES = 1024
SWEPT_AT_ONCE = 500
FORGOTTEN_AT_ONCE = 1000


def lease():
    """How long a worker holds a delivery: as long as a send can take, and a margin."""
    return timedelta(seconds=settings.NEWSROOM_WEBHOOK_CONNECT_SECONDS + settings.NEWSROOM_WEBHOOK_TIMEOUT_SECONDS + 30)


def claim(pk, now):
    return Delivery.objects.due(now).filter(pk=pk).update(status=Status.DELIVERING, leased_until=now + lease()) == 1


def deliver(pk, now=None):
    """Try delivery ``pk`` if it is due and nobody holds it; returns its ``Attempt``, or None when not tried."""
    now = now or timezone.now()
    if not claim(pk, now):
        return None
    delivery = Delivery.objects.select_related("endpoint").get(pk=pk)
    if not delivery.endpoint.active:
        reason = "the endpoint was turned off"
        Delivery.objects.filter(pk=pk).update(status=Status.GIVEN_UP, leased_until=None, last_result=reason)
        return None
    attempt = attempt_once(delivery)
    record(delivery, attempt, now)
    return attempt


def attempt_once(delivery):
    """Post the delivery's body, signed now, and return the unsaved ``Attempt`` saying how it went."""
    body = delivery.body.encode()
    sent_at = timezone.now()
    attempt = Attempt(delivery=delivery, at=sent_at)
    try:
        answer = outbound.post(
            delivery.endpoint.url,
            body,
            headers=payload.headers(delivery.endpoint.secret, delivery.event_id, sent_at, body),
            allowed_hosts=settings.NEWSROOM_WEBHOOK_ALLOWED_HOSTS,
            setting="NEWSROOM_WEBHOOK_ALLOWED_HOSTS",
            connect_timeout=settings.NEWSROOM_WEBHOOK_CONNECT_SECONDS,
            timeout=settings.NEWSROOM_WEBHOOK_TIMEOUT_SECONDS,
            max_bytes=EXCERPT_BYTES,
        )
    except outbound.FetchError as error:
        attempt.error = str(error)[:300]
        attempt.latency_ms = int((timezone.now() - sent_at).total_seconds() * 1000)
        return attempt
    attempt.status_code, attempt.latency_ms = answer.status, int(answer.seconds * 1000)
    # as text a database keeps: whatever the receiver sent, a NUL included
    attempt.response_excerpt = answer.body.decode("utf-8", "replace").replace("\x00", "\ufffd")
    if 300 <= answer.status < 400:
        attempt.error = f"redirected (HTTP {answer.status}); redirects are not followed"
    elif not attempt.succeeded:
        attempt.error = f"answered HTTP {answer.status}"
    return attempt


def retry_delay(attempts):
    """Seconds before the next try after ``attempts`` failed ones: doubling from the first, capped."""
    base, cap = settings.NEWSROOM_WEBHOOK_RETRY_SECONDS, settings.NEWSROOM_WEBHOOK_RETRY_MAX_SECONDS
    return min(base * 2 ** min(attempts - 1, 30), cap)


def record(delivery, attempt, now):
    """Save ``attempt`` and move the delivery and its endpoint on: succeeded, to be retried, or given up."""
    first = delivery.first_attempt_at or attempt.at
    attempts = delivery.attempts + 1
    with transaction.atomic():
        attempt.save()
        endpoints = Endpoint.objects.filter(pk=delivery.endpoint_id)
        if attempt.succeeded:
            result = f"HTTP {attempt.status_code} in {attempt.latency_ms} ms"
            fields = {"status": Status.SUCCEEDED, "succeeded_at": attempt.at}
            endpoints.update(consecutive_failures=0, failing_since=None)
        else:
            result = attempt.error
            next_at = max(now, attempt.at) + timedelta(seconds=retry_delay(attempts))
            if next_at > first + timedelta(hours=settings.NEWSROOM_WEBHOOK_RETRY_HOURS):
                fields = {"status": Status.GIVEN_UP}
            else:
                fields = {"status": Status.FAILED, "next_attempt_at": next_at}
            endpoints.update(consecutive_failures=F("consecutive_failures") + 1,
                             failing_since=Coalesce("failing_since", attempt.at))  # fmt: skip
        Delivery.objects.filter(pk=delivery.pk).update(
            attempts=attempts, first_attempt_at=first, leased_until=None, last_result=result[:300], **fields
        )
    if not attempt.succeeded:
        disable_if_failing(delivery.endpoint_id, attempt.at)


def disable_if_failing(endpoint_pk, now):
    """Turn the endpoint off after ``NEWSROOM_WEBHOOK_DISABLE_FAILURES`` failed attempts in a row, the first at
    least ``NEWSROOM_WEBHOOK_DISABLE_HOURS`` ago."""
    endpoint = Endpoint.objects.get(pk=endpoint_pk)
    hours = settings.NEWSROOM_WEBHOOK_DISABLE_HOURS
    if not endpoint.active or endpoint.consecutive_failures < settings.NEWSROOM_WEBHOOK_DISABLE_FAILURES:
        return False
    if endpoint.failing_since is None or endpoint.failing_since > now - timedelta(hours=hours):
        return False
    reason = (
        f"Turned off after {endpoint.consecutive_failures} failed attempts in a row since "
        f"{timezone.localtime(endpoint.failing_since):%Y-%m-%d %H:%M}."
    )
    Endpoint.objects.filter(pk=endpoint_pk, active=True).update(active=False, disabled_at=now, disabled_reason=reason)
    logger.warning("Webhook endpoint %s: %s", endpoint_pk, reason)
    return True


def sweep(now=None):
    """Forget the deliveries done with long enough ago (``forget``); make the deliveries of recent article events
    that have none (``fanout.missed``); ask again for the deliveries that are due (retries, and those whose job
    was lost); give up those of endpoints turned off. Returns the pks asked for."""
    now = now or timezone.now()
    forget(now)
    fanout.missed(now)
    due = Delivery.objects.due(now)
    due.filter(endpoint__active=False).update(
        status=Status.GIVEN_UP, leased_until=None, last_result="the endpoint was turned off"
    )
    pks = list(due.filter(endpoint__active=True).order_by("next_attempt_at", "pk").values_list("pk", flat=True))
    for pk in pks[:SWEPT_AT_ONCE]:
        jobs.send("webhooks.tasks.deliver", pk)
    return pks[:SWEPT_AT_ONCE]


def forget(now):
    """Delete (with their attempts) deliveries that succeeded, or were last due before being given up, more than
    ``NEWSROOM_WEBHOOK_KEEP_DAYS`` ago, a batch a sweep; returns how many. A resent delivery counts from its
    resend."""
    before = now - timedelta(days=settings.NEWSROOM_WEBHOOK_KEEP_DAYS)
    done = Q(status=Status.SUCCEEDED, succeeded_at__lt=before) | Q(status=Status.GIVEN_UP, next_attempt_at__lt=before)
    pks = list(Delivery.objects.filter(done).order_by("pk").values_list("pk", flat=True)[:FORGOTTEN_AT_ONCE])
    Delivery.objects.filter(pk__in=pks).delete()
    return len(pks)


def resend(deliveries):
    """Send ``deliveries`` again (the same webhook-id and body, signed afresh), with a day of retries from now;
    those a worker holds now are left alone. Returns how many were asked for."""
    now = timezone.now()
    held = {"status": Status.DELIVERING, "leased_until__gte": now}
    pks = list(deliveries.exclude(**held).values_list("pk", flat=True))
    with transaction.atomic():
        Delivery.objects.filter(pk__in=pks).update(
            status=Status.PENDING, next_attempt_at=now, first_attempt_at=None, leased_until=None
        )
        for pk in pks:
            jobs.after_commit("webhooks.tasks.deliver", pk)
    return len(pks)
