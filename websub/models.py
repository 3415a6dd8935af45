"""The notices owed to WebSub hubs: one row for each hub and feed a change concerns, kept until the hub has
taken it (``websub.notices``)."""

from django.db import models
from django.utils import timezone


class Notice(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Given up"

    hub = models.URLField(max_length=500)
    topic = models.URLField(max_length=500, help_text="The feed whose content changed.")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    # When the notice may next be sent: now for a new one, later after a failure, and a little later while a
    # job is sending it (so that a job killed mid-send leaves it to the sweep, and no other job takes it).
    due_at = models.DateTimeField(default=timezone.now)
    # The send that holds it: the notices of one hub and feed that were due are sent together, as one request.
    claim = models.UUIDField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        get_latest_by = "created_at"
        indexes = [models.Index(fields=["status", "due_at"]), models.Index(fields=["hub", "topic", "status"])]

    def __str__(self):
        return f"{self.topic} to {self.hub} ({self.get_status_display()})"
