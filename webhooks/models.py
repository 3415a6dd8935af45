"""Webhooks: the endpoints editors register (``Endpoint``), one ``Delivery`` of each event to each endpoint
subscribed to its kind, and an ``Attempt`` for every try at it.

A delivery keeps the body it sends and its event's id, so that each retry and a resend from the admin send the
same ``webhook-id`` and body (signed again with a fresh timestamp, as Standard Webhooks says). A worker holds a
delivery while it sends it (``leased_until``): a worker killed mid-send leaves a lease that runs out, and the
sweep takes the delivery up again (``Delivery.objects.due``).
"""

import base64
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from articles.models import ArticleEvent


def new_secret():
    """A signing secret as Standard Webhooks writes it: ``whsec_`` and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


class Kind(models.TextChoices):
    """What endpoints can be told of: the articles' events, and updates posted on live pages."""

    ARTICLE_PUBLISHED = ArticleEvent.Kind.PUBLISHED.value, "Article published"
    ARTICLE_UPDATED = ArticleEvent.Kind.UPDATED.value, "Article updated"
    ARTICLE_CORRECTED = ArticleEvent.Kind.CORRECTED.value, "Article corrected"
    ARTICLE_WITHDRAWN = ArticleEvent.Kind.WITHDRAWN.value, "Article withdrawn"
    ARTICLE_DELETED = ArticleEvent.Kind.DELETED.value, "Article deleted"
    LIVE_UPDATE_PUBLISHED = "live.update.published", "Live update published"
    LIVE_UPDATE_UPDATED = "live.update.updated", "Live update edited"
    LIVE_UPDATE_DELETED = "live.update.deleted", "Live update deleted"
    TEST = "webhook.test", "Test event"

    @classmethod
    def subscribable(cls):
        """The kinds an endpoint chooses among (a test event is sent when an editor asks, whatever it chose)."""
        return [(value, label) for value, label in cls.choices if value != cls.TEST]


class Endpoint(models.Model):
    url = models.URLField("URL", max_length=500, help_text="Where the events are posted: a public http(s) address.")
    description = models.CharField(max_length=200, blank=True, help_text="Who receives them, and what for.")
    events = models.JSONField(default=list, help_text="The kinds of event this endpoint is told of.")
    secret = models.CharField(max_length=100, default=new_secret, editable=False,
                              help_text="The receiver verifies each delivery's signature with it.")  # fmt: skip
    active = models.BooleanField(default=True, help_text="Only active endpoints are sent events.")
    consecutive_failures = models.PositiveIntegerField(default=0, editable=False)
    failing_since = models.DateTimeField(null=True, blank=True, editable=False)
    disabled_at = models.DateTimeField(null=True, blank=True, editable=False)
    disabled_reason = models.CharField(max_length=300, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   editable=False, related_name="+")  # fmt: skip
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["url", "pk"]
        get_latest_by = "created_at"

    def __str__(self):
        return self.description or self.url

    def save(self, *args, **kwargs):
        if self.active and self.disabled_at is not None:  # turned on again: the count of failures starts over
            self.consecutive_failures, self.failing_since = 0, None
            self.disabled_at, self.disabled_reason = None, ""
        super().save(*args, **kwargs)

    def wants(self, kind):
        return self.active and kind in (self.events or [])


class DeliveryQuerySet(models.QuerySet):
    def due(self, now):
        """Deliveries a worker should try now: waiting and due, or held by a worker whose lease ran out."""
        waiting = Q(status__in=Delivery.WAITING, next_attempt_at__lte=now)
        abandoned = Q(status=Delivery.Status.DELIVERING, leased_until__lt=now)
        return self.filter(waiting | abandoned)


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERING = "delivering", "Delivering"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed, to be retried"
        GIVEN_UP = "given_up", "Given up"

    WAITING = (Status.PENDING, Status.FAILED)

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.UUIDField(help_text="Sent as webhook-id: the receiver's key to ignore a repeat.")
    kind = models.CharField(max_length=40, choices=Kind.choices)
    body = models.TextField(help_text="The JSON posted, the same at every attempt.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    # Retries go on for NEWSROOM_WEBHOOK_RETRY_HOURS after the first try (a resend starts the count again).
    first_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    leased_until = models.DateTimeField(null=True, blank=True)
    succeeded_at = models.DateTimeField(null=True, blank=True)
    last_result = models.CharField(max_length=300, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        get_latest_by = "created_at"
        verbose_name_plural = "deliveries"
        constraints = [models.UniqueConstraint(fields=["event_id", "endpoint"], name="one_delivery_per_endpoint")]

    def __str__(self):
        return f"{self.kind} to {self.endpoint}"


class Attempt(models.Model):
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveIntegerField("HTTP status", null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    latency_ms = models.PositiveIntegerField("latency (ms)", null=True, blank=True)
    response_excerpt = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.status_code or self.error} at {self.at:%Y-%m-%d %H:%M:%S}"

    @property
    def succeeded(self):
        return self.status_code is not None and 200 <= self.status_code < 300
