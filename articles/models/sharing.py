"""Share links: a draft shown to someone outside the newsroom, without a login, until the link expires or is
revoked."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from articles.models import states


def _new_token():
    return secrets.token_urlsafe(24)


def _in_a_week():
    return timezone.now() + timedelta(days=7)


class ShareLink(models.Model):
    """A signed, expiring, revocable link that shows a draft to someone without a login."""

    SALT = "articles.sharelink"

    article = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="share_links")
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField(default=_in_a_week)
    revoked = models.BooleanField(default=False, help_text="Tick to stop the link working at once.")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        until = timezone.localtime(self.expires_at)
        return f"Share link for {self.article} until {date_format(until, 'DATETIME_FORMAT')} {until:%Z}"

    def get_absolute_url(self):
        return reverse("articles:share", kwargs={"signed": signing.Signer(salt=self.SALT).sign(self.token)})

    def is_valid(self):
        return not self.revoked and self.expires_at > timezone.now()

    @classmethod
    def from_signed(cls, signed):
        """The link a signed token names, if the signature holds and the link is still valid."""
        try:
            token = signing.Signer(salt=cls.SALT).unsign(signed)
        except signing.BadSignature:
            return None
        link = cls.objects.select_related("article").filter(token=token).first()
        if link is None or not link.is_valid() or link.article.status == states.Status.WITHDRAWN:
            return None  # withdrawing an article revokes its links; this also covers links made since
        return link
