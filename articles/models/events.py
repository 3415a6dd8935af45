"""What happened to the articles readers see, as other software is told of it: a log of events, one row each,
written once the change that makes them has committed (``articles.events``).

Each event has its own id, the ``webhook-id`` of the Standard Webhooks deliveries made of it, and a place in its
article's own sequence (``seq``): two processes that would log the same next event for one article (two editors
saving at once, the clock's sweep beside an editor's save) write one row, the other's insert doing nothing. The
kinds follow the article as readers see it: *published* when it starts being public, *withdrawn* when it stops
(withdrawn, unpublished, expired, put under embargo), *updated* and *corrected* while it is public, *deleted*
when a public article is deleted. An article's last event therefore says whether software told of it should
show it: ``announced_live``.
"""

import uuid

from django.db import models
from django.utils import timezone


class ArticleEventQuerySet(models.QuerySet):
    def latest_of(self, article_id):
        return self.filter(article_id=article_id).order_by("-seq").first()


class ArticleEvent(models.Model):
    class Kind(models.TextChoices):
        PUBLISHED = "article.published", "Published"
        UPDATED = "article.updated", "Updated"
        CORRECTED = "article.corrected", "Corrected"
        WITHDRAWN = "article.withdrawn", "Withdrawn"
        DELETED = "article.deleted", "Deleted"

    # The kinds after which the article is public to anyone told of its events.
    LIVE_KINDS = (Kind.PUBLISHED, Kind.UPDATED, Kind.CORRECTED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=24, choices=Kind.choices)
    # No foreign key: the events of a deleted article stay, its deletion last.
    article_id = models.IntegerField(db_index=True)
    seq = models.PositiveIntegerField()
    happened_at = models.DateTimeField(default=timezone.now, db_index=True)
    # What the article was when the event happened, for those who cannot read it any more (its deletion,
    # withdrawal): slug, title, address, section, tags and authors (slugs), and a digest of the rest readers see,
    # its corrections included (see events.snapshot).
    data = models.JSONField(default=dict)

    objects = ArticleEventQuerySet.as_manager()

    class Meta:
        ordering = ["happened_at", "seq"]
        constraints = [models.UniqueConstraint(fields=["article_id", "seq"], name="one_event_per_article_place")]
        verbose_name = "article event"

    def __str__(self):
        return f"{self.kind} of article {self.article_id} at {self.happened_at:%Y-%m-%d %H:%M:%S}"

    @property
    def announced_live(self):
        return self.kind in self.LIVE_KINDS
