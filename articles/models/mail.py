"""E-mail the desk could not send: kept until someone sends it again or dismisses it, and shown on the desk."""

from django.db import models
from django.utils import timezone


class UndeliveredMail(models.Model):
    """One workflow e-mail to one person that the mail server (or the message itself) refused."""

    article = models.ForeignKey(
        "Article", null=True, blank=True, on_delete=models.CASCADE, related_name="undelivered_mail"
    )
    action = models.CharField(max_length=12, editable=False, help_text="The workflow step the e-mail told of.")
    to = models.TextField(help_text="The addresses, one per line.")
    subject = models.TextField()
    body = models.TextField()
    error = models.TextField(help_text="Why it was not sent, as the mail server or Django put it.")
    failed_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=1)
    sending_since = models.DateTimeField(
        null=True, blank=True, editable=False,
        help_text="Set while someone sends it again, so that a second press (or a second editor) sends nothing.",
    )  # fmt: skip

    class Meta:
        ordering = ["-failed_at", "-pk"]
        verbose_name = verbose_name_plural = "undelivered e-mail"

    def __str__(self):
        return f"{self.subject} (to {', '.join(self.recipients)})"

    @property
    def recipients(self):
        return self.to.splitlines()
