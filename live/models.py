"""A live article's stream: its updates (``Update``), each update's revisions (``UpdateRevision``) and the
stream's own counters (``Stream``: the position of its last change, its last post), which pages and the desk
read instead of scanning the updates."""

from datetime import UTC, datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from articles.markup import limits
from articles.models import Article, Author
from articles.models.text import NormalText

HEADLINE_LENGTH = 200
FUTURE_GRACE_SECONDS = 60  # a clock a little ahead of the server's


EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)  # no update is older than the web; an older time is a typing slip


def ahead_of_now(moment):
    """Whether an update's time is in the future (beyond a clock's small difference): none may be."""
    return (moment - timezone.now()).total_seconds() > FUTURE_GRACE_SECONDS


def time_problem(moment):
    """What is wrong with ``moment`` as an update's time (an aware datetime), or None."""
    if moment < EARLIEST:
        return f"An update's time cannot be before {EARLIEST.year}."
    if ahead_of_now(moment):
        return "An update's time cannot be in the future."
    return None


class UpdateQuerySet(models.QuerySet):
    def shown(self):
        """Updates readers may see on a page they may see: approved and not deleted (the article's own
        visibility is the caller's, who found it through ``live.public.page.readable_pages()``)."""
        return self.filter(status=Update.Status.PUBLISHED, deleted_at__isnull=True)

    def in_stream_order(self, newest_first=True):
        """Pinned updates first while pinned, then by their time."""
        order = "-posted_at" if newest_first else "posted_at"
        return self.order_by("-pinned", order, "-pk" if newest_first else "pk")

    def changed_after(self, seq):
        """Every change after position ``seq`` of its stream, deleted and withdrawn updates included (a poll
        must learn of those too), latest first."""
        return self.filter(seq__gt=seq).order_by("-seq")


class Stream(models.Model):
    """One per live article: where its stream stands. ``seq`` numbers every change (a post, an edit, a
    deletion) in commit order; ``shown_count`` and ``key_count`` are what pages show without counting."""

    article = models.OneToOneField(Article, on_delete=models.CASCADE, primary_key=True, related_name="stream")
    seq = models.PositiveBigIntegerField(default=0)
    last_posted_at = models.DateTimeField(null=True, blank=True, help_text="The last update readers were shown.")
    changed_at = models.DateTimeField(null=True, blank=True, help_text="The last change of any kind.")
    shown_count = models.PositiveIntegerField(default=0)
    key_count = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"Stream of {self.article}"


class Update(NormalText, models.Model):
    class Status(models.TextChoices):
        PUBLISHED = "published", "Published"
        PENDING = "pending", "Awaiting approval"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="live_updates")
    headline = models.CharField(max_length=HEADLINE_LENGTH, blank=True)
    body = models.TextField(help_text="Markdown.", validators=[limits.validate_source_size])
    body_html = models.TextField(blank=True, editable=False)
    posted_at = models.DateTimeField(default=timezone.now, verbose_name="time")
    edited_at = models.DateTimeField(null=True, blank=True, editable=False, verbose_name="updated")
    correction = models.TextField(
        blank=True,
        help_text="For a substantive change: what was wrong, shown to readers with the update.",
        validators=[limits.validate_source_size],
    )
    key_event = models.BooleanField(default=False, help_text="Listed in the summary at the top of the page.")
    pinned = models.BooleanField(default=False, help_text="Held at the top of the stream until unpinned.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PUBLISHED)
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)
    authors = models.ManyToManyField(Author, blank=True, related_name="live_updates")
    version = models.PositiveIntegerField(default=1, editable=False)
    seq = models.PositiveBigIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    broken_out_as = models.ForeignKey(
        Article, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+",
        help_text="The draft article this key event was broken out as, once it was.",
    )  # fmt: skip

    objects = UpdateQuerySet.as_manager()

    class Meta:
        ordering = ["-pinned", "-posted_at", "-pk"]
        indexes = [
            models.Index(fields=["article", "seq"], name="update_article_seq"),
            models.Index(fields=["article", "status", "deleted_at", "-posted_at"], name="update_article_shown"),
            # The key events' summary reads the few key events, not every update up to the tenth of them.
            models.Index(
                fields=["article", "-posted_at"], condition=models.Q(key_event=True), name="update_article_key"
            ),
        ]

    def __str__(self):
        return self.headline or self.body[:60]

    @property
    def anchor(self):
        """The fragment of its permalink: ``#update-<pk>``."""
        return f"update-{self.pk}"

    @property
    def is_shown(self):
        return self.status == self.Status.PUBLISHED and self.deleted_at is None


class UpdateRevision(NormalText, models.Model):
    """An update as one save left it: every version is kept, deletions included."""

    update = models.ForeignKey(Update, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    headline = models.CharField(max_length=HEADLINE_LENGTH, blank=True)
    body = models.TextField()
    posted_at = models.DateTimeField()
    correction = models.TextField(blank=True)
    key_event = models.BooleanField(default=False)
    pinned = models.BooleanField(default=False)
    status = models.CharField(max_length=12)
    deleted = models.BooleanField(default=False)
    authors = models.TextField(blank=True, help_text="The credited authors' names, as they stood.")
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["update", "-version"]
        constraints = [models.UniqueConstraint(fields=["update", "version"], name="update_revision_unique")]

    def __str__(self):
        return f"{self.update} (version {self.version})"

    @classmethod
    def of(cls, update, author_names, saved_by=None, saved_at=None):
        """The revision recording ``update`` as it now stands (unsaved), credited to ``author_names``."""
        return cls(
            update=update,
            version=update.version,
            headline=update.headline,
            body=update.body,
            posted_at=update.posted_at,
            correction=update.correction,
            key_event=update.key_event,
            pinned=update.pinned,
            status=update.status,
            deleted=update.deleted_at is not None,
            authors=", ".join(author_names),
            saved_by=saved_by,
            saved_at=saved_at or timezone.now(),
        )
