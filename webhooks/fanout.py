"""An event becomes deliveries: one for each active endpoint subscribed to its kind, each sent by a job asked for
once the deliveries are committed. Connected to ``articles.signals.article_event`` in ``WebhooksConfig.ready``,
so it runs after the editor's change has committed and only writes rows: nothing here slows or fails a save.

Fanning the same event out twice makes no second delivery (one per event and endpoint), and a delivery already
sent is not asked for again. A fan-out that never ran (the process stopped between the event's commit and it, the
database away a moment) is made up for by the sweep (``missed``), for the events of the last ``CATCH_UP``."""

import logging
import uuid
from datetime import timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from articles.models import ArticleEvent
from newsroom import jobs
from webhooks import payload
from webhooks.models import Delivery, Endpoint, Kind

logger = logging.getLogger("newsroom.webhooks")
CATCH_UP = timedelta(hours=1)
SWEPT_EVENTS = 200


def fan_out(kind, event_id, body):
    """Make the deliveries of event ``event_id`` and ask for their jobs; returns the pks of those waiting."""
    endpoints = [endpoint for endpoint in Endpoint.objects.filter(active=True) if endpoint.wants(kind)]
    if not endpoints:
        return []
    with transaction.atomic():
        deliveries = [Delivery(endpoint=e, event_id=event_id, kind=kind, body=body) for e in endpoints]
        Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
        waiting = list(
            Delivery.objects.filter(event_id=event_id, endpoint__in=endpoints, status=Delivery.Status.PENDING)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        for pk in waiting:
            jobs.after_commit("webhooks.tasks.deliver", pk)
    return waiting


def missed(now):
    """Fan out the article events of the last ``CATCH_UP`` (after an endpoint was made) an active endpoint
    subscribed to has no delivery of; returns how many."""
    made = 0
    for endpoint in Endpoint.objects.filter(active=True):
        # Each recent event looks up its own delivery (the unique index of event and endpoint), so the cost is that
        # of the last hour's events, not of every delivery the endpoint ever had.
        delivered = Exists(Delivery.objects.filter(endpoint=endpoint, event_id=OuterRef("id")))
        events = ArticleEvent.objects.filter(
            ~delivered, happened_at__gte=max(now - CATCH_UP, endpoint.created_at), kind__in=endpoint.events or []
        )
        for event in events.order_by("happened_at", "seq")[:SWEPT_EVENTS]:
            fan_out(event.kind, event.id, payload.article_body(event))
            made += 1
    return made


def test_event(endpoints):
    """Send each of ``endpoints`` a ``webhook.test`` event of its own, for an editor to see a receiver answer."""
    with transaction.atomic():
        for endpoint in endpoints:
            data = {"endpoint": str(endpoint), "message": "A test event sent from the newsroom's admin."}
            body = payload.dumps(Kind.TEST, timezone.now(), data)
            delivery = Delivery.objects.create(endpoint=endpoint, event_id=uuid.uuid4(), kind=Kind.TEST, body=body)
            jobs.after_commit("webhooks.tasks.deliver", delivery.pk)


def article_event(sender, event, **kwargs):
    """Receiver of ``articles.signals.article_event``."""
    try:
        fan_out(event.kind, event.id, payload.article_body(event))
    except Exception:  # the event stays logged; its failure must not reach the editor's request
        logger.exception("The webhooks of event %s could not be made", event.id)
