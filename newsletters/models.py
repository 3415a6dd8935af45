"""Readers' e-mail newsletters: the lists editors define (``Newsletter``), the people on them (``Subscriber``, one a
confirmed address, ``Subscription``, one a list, with its consent), what happened to each address
(``SubscriberEvent``), the issues sent (``Edition`` with its ``EditionArticle`` rows) and one ``Delivery`` row an
issue and subscriber, which the senders claim so that each subscriber gets one copy (``newsletters.sending``)."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from articles.markup import limits
from articles.models import Article, Author, Section
from articles.models.text import NormalText
from pagecache.registry import PageRetiringQuerySet

ADDRESS_LENGTH = 254  # RFC 5321's longest forward path, less the angle brackets


def new_key():
    return secrets.token_urlsafe(12)


class NewsletterQuerySet(PageRetiringQuerySet):
    def open(self):
        """The lists readers may sign up for (``is_open``): every sign-up form and the subscribe view ask here."""
        return self.filter(is_open=True)


class Newsletter(NormalText, models.Model):
    """A list readers subscribe to: a morning briefing, breaking news, a section's or an author's digest."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True, help_text="In the list's address and its List-Id header.")
    description = models.TextField(blank=True, max_length=500, help_text="One or two sentences on the sign-up form.")
    cadence = models.CharField(max_length=100, blank=True, help_text="How often it comes, e.g. “Weekday mornings”.")
    sections = models.ManyToManyField(
        Section, blank=True, related_name="newsletters",
        help_text="A digest of this list gathers what was published in these sections (all sections if none).",
    )  # fmt: skip
    authors = models.ManyToManyField(
        Author, blank=True, related_name="newsletters",
        help_text="…or by these authors (a list of one author's pieces).",
    )  # fmt: skip
    is_open = models.BooleanField(
        default=True, verbose_name="open for sign-up",
        help_text="Shown on the sign-up forms. A closed list keeps its subscribers and can still be sent.",
    )  # fmt: skip
    position = models.PositiveIntegerField(default=0, help_text="Lists are offered in this order.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = NewsletterQuerySet.as_manager()  # the sign-up forms show the lists: a bulk change retires them too

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class Subscriber(NormalText, models.Model):
    """One e-mail address. Nothing is sent to it but its confirmation until it has confirmed (``ACTIVE``); an
    address that unsubscribed or bounced gets nothing either. ``key`` is part of every link sent to it: a new key
    (``forget_links``) makes every earlier link invalid."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending confirmation"
        ACTIVE = "active", "Active"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
        BOUNCED = "bounced", "Bounced"

    class Format(models.TextChoices):
        HTML = "html", "HTML with a plain-text copy"
        TEXT = "text", "Plain text only"

    email = models.EmailField(max_length=ADDRESS_LENGTH)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True)
    format = models.CharField(max_length=10, choices=Format.choices, default=Format.HTML)
    paused_until = models.DateTimeField(
        null=True, blank=True, help_text="Nothing is sent until then (the subscriber's own pause)."
    )
    key = models.CharField(max_length=32, default=new_key, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    bounced_at = models.DateTimeField(null=True, blank=True)
    bounce_reason = models.CharField(max_length=500, blank=True)
    source = models.CharField(max_length=500, blank=True, help_text="The page the address first signed up on.")
    last_mailed_at = models.DateTimeField(
        null=True, blank=True, editable=False,
        help_text="The last confirmation or link sent: the form sends no other within minutes (no mail bombing).",
    )  # fmt: skip
    newsletters = models.ManyToManyField(Newsletter, through="Subscription", related_name="subscribers")

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(Lower("email"), name="newsletters_subscriber_unique_address")]

    def __str__(self):
        return self.email

    @property
    def receives(self):
        """Whether issues are sent to this address now (the instance's side of ``receiving``)."""
        paused = self.paused_until is not None and self.paused_until > timezone.now()
        return self.status == self.Status.ACTIVE and not paused

    def forget_links(self):
        self.key = new_key()


class Subscription(models.Model):
    """An address on one list, with the consent the reader gave: when they asked and from which page, and when
    they confirmed (the consent that counts)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending confirmation"
        ACTIVE = "active", "Subscribed"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="subscriptions")
    newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE, related_name="subscriptions")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    requested_at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=500, blank=True, help_text="The page the reader asked on, or “import”.")
    consented_at = models.DateTimeField(null=True, blank=True, help_text="When the reader confirmed.")
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "newsletter"], name="newsletters_one_subscription_a_list")
        ]
        indexes = [models.Index(fields=["newsletter", "status"])]

    def __str__(self):
        return f"{self.subscriber} on {self.newsletter}"


class SubscriberEvent(models.Model):
    """What happened to an address, for the record of consent and for the subscriber's own copy of their data."""

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=40)
    newsletter = models.ForeignKey(Newsletter, null=True, blank=True, on_delete=models.SET_NULL)
    detail = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.kind} at {self.at:%Y-%m-%d %H:%M}"


class Edition(NormalText, models.Model):
    """One issue of a newsletter: an intro in Markdown and a choice of articles, or a digest of what was published
    since the list's last issue. Sent now or at ``send_at``; while it is sent, its ``Delivery`` rows say how far
    it has got. What a message shows is rendered once (``html``, ``text``) when sending starts, and again only if
    one of its articles stops being public meanwhile."""

    class Mode(models.TextChoices):
        CHOSEN = "chosen", "The articles chosen below"
        DIGEST = "digest", "A digest of what was published since the last issue"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        PAUSED = "paused", "Paused"
        SENT = "sent", "Sent"
        CANCELLED = "cancelled", "Cancelled"

    newsletter = models.ForeignKey(Newsletter, on_delete=models.PROTECT, related_name="editions")
    subject = models.CharField(max_length=200)
    preheader = models.CharField(
        max_length=200, blank=True, help_text="The line mail programs show after the subject (optional)."
    )
    intro = models.TextField(
        blank=True, help_text="Markdown, above the articles.", validators=[limits.validate_source_size]
    )
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.CHOSEN)
    articles = models.ManyToManyField(Article, through="EditionArticle", blank=True, related_name="editions")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    send_at = models.DateTimeField(null=True, blank=True, help_text="When a scheduled issue goes out.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")  # fmt: skip
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=0, editable=False)
    started_at = models.DateTimeField(null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True, editable=False)
    note = models.CharField(max_length=500, blank=True, editable=False, help_text="Why the send stopped, if it did.")
    digest_since = models.DateTimeField(null=True, blank=True, editable=False)
    total = models.PositiveIntegerField(default=0, editable=False, help_text="Subscribers it is sent to.")
    html = models.TextField(blank=True, editable=False)
    text = models.TextField(blank=True, editable=False)
    rendered_articles = models.JSONField(default=list, blank=True, editable=False)
    carried_articles = models.JSONField(
        default=dict, blank=True, editable=False,
        help_text="Every article its messages carried: {pk: when it was taken out of those not yet sent, or null}.",
    )  # fmt: skip
    source_article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False,
        help_text="The article whose “publish and send” made this issue.",
    )  # fmt: skip

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "send_at"])]
        verbose_name = "issue"

    def __str__(self):
        return f"{self.newsletter}: {self.subject}"

    def carry(self, article_pks, now):
        """The messages sent from ``now`` carry ``article_pks``: an article they no longer carry keeps, in
        ``carried_articles``, the moment it was taken out (the desk counts who received it before)."""
        for pk in self.rendered_articles or []:
            if pk not in article_pks and self.carried_articles.get(str(pk)) is None:
                self.carried_articles[str(pk)] = now.isoformat()
        for pk in article_pks:
            self.carried_articles.setdefault(str(pk), None)
        self.rendered_articles = list(article_pks)


class EditionArticle(models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="entries")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["edition", "article"], name="newsletters_article_once")]

    def __str__(self):
        return str(self.article)


class Delivery(models.Model):
    """One issue to one subscriber. A sender claims due rows (``lease_until``) and marks each ``SENT`` in the
    database before the mail server is told the message is complete (``newsletters.smtp``): a sender killed
    before that leaves the row to be sent again and the server drops the half-told message; after it, the row
    is never sent again."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        DEFERRED = "deferred", "Deferred (to try again)"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        BOUNCED = "bounced", "Bounced"
        SKIPPED = "skipped", "Skipped (no longer subscribed)"

    WAITING = (Status.QUEUED, Status.DEFERRED)

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    due_at = models.DateTimeField(default=timezone.now)
    lease_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["edition", "subscriber"], name="newsletters_one_delivery_a_subscriber")
        ]
        indexes = [
            models.Index(fields=["edition", "status", "due_at"]),
            models.Index(fields=["subscriber", "status"]),
        ]
        verbose_name_plural = "deliveries"

    def __str__(self):
        return f"{self.edition} to {self.subscriber}"


def waiting(now):
    """Deliveries a sender may take now: queued or deferred, due, and not held by another sender."""
    return Q(status__in=Delivery.WAITING, due_at__lte=now) & (Q(lease_until__isnull=True) | Q(lease_until__lt=now))


def receiving(now):
    """Subscribers issues are sent to at ``now``: confirmed and not paused (the query's side of
    ``Subscriber.receives``; a grid test pins the two together)."""
    return Q(status=Subscriber.Status.ACTIVE) & (Q(paused_until__isnull=True) | Q(paused_until__lte=now))
