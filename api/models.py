"""The content API's keys (``ApiKey``): who may read more than readers see, and who is counted by key rather
than by address. A key's secret is never stored (``api.keys``)."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from api import keys

LAST_USED_EVERY = timedelta(minutes=1)


class ApiKeyQuerySet(models.QuerySet):
    def active(self):
        """The keys that still open the API: not revoked."""
        return self.filter(revoked_at__isnull=True)


class ApiKey(models.Model):
    class Scope(models.TextChoices):
        PUBLIC = "read-public", "Read what readers see"
        DRAFTS = "read-drafts", "Read drafts too (preview apps)"

    name = models.CharField(max_length=100, help_text="Who or what uses the key, e.g. “Mobile app preview”.")
    scope = models.CharField(
        max_length=20, choices=Scope.choices, default=Scope.PUBLIC,
        help_text="A drafts key reads every article, published or not: give it only to the newsroom's own tools.",
    )  # fmt: skip
    prefix = models.CharField(max_length=keys.PREFIX_HEX, unique=True, editable=False)
    digest = models.CharField(max_length=64, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, editable=False,
        related_name="api_keys",
    )  # fmt: skip
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="To within a minute: it is written at most once a minute."
    )

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        get_latest_by = "created_at"
        verbose_name = "API key"

    def __str__(self):
        return f"{self.name} (nr_{self.prefix}_…)"

    @classmethod
    def issue(cls, name, scope=Scope.PUBLIC, created_by=None):
        """A new key, saved, and the full key to give its holder (it cannot be seen again)."""
        key = cls(name=name, scope=scope, created_by=created_by)
        full = key.make_secret()
        key.save()
        return key, full

    def make_secret(self):
        """Give an unsaved key its prefix and digest; return the full key, which is kept nowhere."""
        made = keys.new_key()
        self.prefix, self.digest = made.prefix, made.digest
        return made.full

    @classmethod
    def find(cls, text):
        """The key ``text`` is (revoked or not), or None: unknown and a wrong secret are alike to the caller."""
        presented = keys.parse(text)
        if presented is None:
            return None
        key = cls.objects.filter(prefix=presented.prefix).first()
        if key is None or not keys.matches(presented, key.digest):
            return None
        return key

    @property
    def reads_drafts(self):
        return self.scope == self.Scope.DRAFTS

    def is_revoked(self):
        return self.revoked_at is not None

    def revoke(self):
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])

    def used(self, now=None):
        """Note a use: written only when the last note is a minute old, so a busy key costs no write a call."""
        now = now or timezone.now()
        if self.last_used_at is not None and now - self.last_used_at < LAST_USED_EVERY:
            return
        stale = models.Q(last_used_at__isnull=True) | models.Q(last_used_at__lt=now - LAST_USED_EVERY)
        ApiKey.objects.filter(stale, pk=self.pk).update(last_used_at=now)
        self.last_used_at = now
