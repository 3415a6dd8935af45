"""Live coverage: an article whose page carries a stream of short updates (the ``live`` app) between two
times the desk sets. The one home of what "live" means for an article: a live page (coverage was set up) and
coverage running now (started and not yet ended), which cards and the article page label "LIVE"."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone


def live_pages():
    """Articles that are live pages: coverage was set up (running, ahead or ended; ``is_live_page``)."""
    return Q(live_from__isnull=False)


def running(now):
    """Articles whose coverage is running at ``now``: started, and not ended."""
    return Q(live_from__lte=now) & (Q(live_until__isnull=True) | Q(live_until__gt=now))


class LiveCoverage(models.Model):
    """The fields that make an article a live page, and what they mean."""

    live_from = models.DateTimeField(
        null=True,
        blank=True,
        verbose_name="coverage starts",
        help_text="Makes this a live page: a stream of updates under the article, labelled LIVE from this time.",
    )
    live_until = models.DateTimeField(
        null=True,
        blank=True,
        verbose_name="coverage ends",
        help_text="The LIVE label goes and the page reads as a normal article; the updates stay.",
    )
    live_oldest_first = models.BooleanField(
        default=False,
        verbose_name="oldest update first once coverage ends",
        help_text="While coverage runs the newest update is always first.",
    )
    live_moderated = models.BooleanField(
        default=False,
        verbose_name="writers' updates need an editor's approval",
    )

    class Meta:
        abstract = True

    @property
    def is_live_page(self):
        """Coverage was set up: the page has a stream of updates (running, ahead or ended)."""
        return self.live_from is not None

    def coverage_running(self, now=None):
        now = now or timezone.now()
        return (
            self.live_from is not None and self.live_from <= now and (self.live_until is None or now < self.live_until)
        )

    def coverage_ended(self, now=None):
        return self.live_until is not None and self.live_until <= (now or timezone.now())

    def newest_first(self, now=None):
        """The order the stream is shown in: newest first while coverage runs, the editor's choice after."""
        return not (self.coverage_ended(now) and self.live_oldest_first)

    def clean(self):
        super().clean()
        if self.live_until is not None and self.live_from is None:
            raise ValidationError({"live_from": "Coverage that ends must start: set when it starts."})
        if self.live_from is not None and self.live_until is not None and self.live_until <= self.live_from:
            raise ValidationError({"live_until": "Coverage must end after it starts."})
