"""The desk: the admin's front page, with what waits for whom.

Every block is a bounded list plus a count, and all the counts come from one aggregate, so the page costs the
same number of queries whatever the newsroom holds (``test_dashboard_queries_are_fixed``). Each block links to
the article list filtered the same way (``DeskFilter`` reads the same ``desk_filters``).
"""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from articles.models import (
    EXPIRING_DAYS,
    Article,
    ArticleTransition,
    Correction,
    Image,
    SiteSettings,
    day_start,
    site_today,
    states,
)
from articles.models.mail import UndeliveredMail
from articles.workflow import transitions

SHOWN = 8
STALE_DAYS = 14
Status = Article.Status
SENT_BACK_FROM = sorted(transitions.TRANSITIONS["send_back"].sources)


def _today_start():
    zone = SiteSettings.current().zone
    return day_start(site_today(zone), zone)


def own(user):
    """The user's own articles (``Article.objects.owned_by``), as a condition the one aggregate can hold: its
    EXISTS cannot point out of the subquery the aggregate wraps around ``last_source``."""
    return Q(pk__in=Article.objects.owned_by(user).values("pk"))


def corrected_since(moment):
    return Q(pk__in=Correction.objects.filter(created_at__gte=moment).values("article_id"))


def _sent_back():
    last = ArticleTransition.objects.filter(article=OuterRef("pk")).order_by("-at", "-pk")
    return Subquery(last.values("source")[:1])


def desk_filters(user, now=None):
    """{key: (label, Q)}: the article list's desk filters, the dashboard's blocks and their counts."""
    now = now or timezone.now()
    today = _today_start()
    return {
        "assigned": ("Assigned to me", Q(status=Status.REVIEW, assignee=user)),
        "mine": ("My drafts", own(user) & Q(status=Status.DRAFT)),
        "sent_back": ("Sent back to me", own(user) & Q(status=Status.DRAFT, last_source__in=SENT_BACK_FROM)),
        "my_review": ("My articles in review", own(user) & Q(status=Status.REVIEW)),
        "review": ("Waiting for review", Q(status=Status.REVIEW)),
        "next_48h": ("Scheduled in the next 48 hours",
                     states.state(states.SCHEDULED, now) & Q(published_at__lte=now + timedelta(hours=48))),
        "last_24h": ("Published in the last 24 hours",  # and out to readers now
                     states.live(now) & Q(published_at__gt=now - timedelta(hours=24))),
        "stale": (f"Drafts untouched for {STALE_DAYS} days",
                  Q(status=Status.DRAFT, modified_at__lt=now - timedelta(days=STALE_DAYS))),
        "embargoed": ("Embargoed", states.under_embargo(now)),
        "corrected_today": ("Corrected today", corrected_since(today)),
    }  # fmt: skip


def undelivered_mail(user):
    """E-mail not sent that ``user`` is shown: all of it to those who publish, to others that of their articles."""
    if user.has_perm("articles.publish_article"):
        return UndeliveredMail.objects.all()
    return UndeliveredMail.objects.filter(article__in=Article.objects.owned_by(user).values("pk"))


def with_last_source(queryset):
    """Annotate where each article's last workflow step came from (``sent_back`` reads it)."""
    return queryset.annotate(last_source=_sent_back())


@dataclass
class Block:
    key: str
    title: str
    count: int
    rows: list
    url: str
    empty: str = "Nothing here."
    kind: str = "articles"


def dashboard(user, *, now=None):
    """The blocks this user's desk shows, in order."""
    now = now or timezone.now()
    filters = desk_filters(user, now)
    editor = user.has_perm("articles.publish_article")
    keys = ["sent_back", "mine", "my_review"]
    if editor:  # what waits for the desk first, then their own work
        keys = ["assigned", "review", "next_48h", "last_24h", "embargoed", *keys, "stale"]
    last = ArticleTransition.objects.filter(article=OuterRef("pk")).order_by("-at", "-pk")
    base = with_last_source(Article.objects.all())
    # Only the articles some block can show, found through indexes: drafts and articles in review (few, by the
    # status index), what is published around now, embargoes. The counts then read those.
    recent = states.approved() & Q(published_at__gt=now - timedelta(hours=24),
                                   published_at__lte=now + timedelta(hours=48))  # fmt: skip
    candidates = Q(status__in=[Status.DRAFT, Status.REVIEW])
    if editor:
        candidates |= recent | states.under_embargo(now)
    counts = (
        base.filter(candidates).order_by().aggregate(**{key: Count("pk", filter=filters[key][1]) for key in keys})
    )  # one query for every count; no condition joins a table, so no article is counted twice
    changelist = reverse("admin:articles_article_changelist")
    orders = {
        "review": ("submitted_at", "pk"), "next_48h": ("published_at", "pk"), "last_24h": ("-published_at", "-pk"),
        "stale": ("modified_at", "pk"), "embargoed": ("embargo_until", "pk"), "assigned": ("submitted_at", "pk"),
    }  # fmt: skip
    submitted = ArticleTransition.objects.filter(article=OuterRef("pk"), target=Status.REVIEW).order_by("-at", "-pk")
    # What a block says of each article beyond its headline: who submitted it, when and with what note (a
    # resubmission's note answers the send-back before it), or who sent it back and why.
    sent_back_before = ArticleTransition.objects.filter(
        article=OuterRef("pk"), target=Status.DRAFT, source__in=SENT_BACK_FROM
    )
    extras = {
        "submitted": {"submitted_at": Subquery(submitted.values("at")[:1]),
                      "submitted_by": Subquery(submitted.values("user")[:1]),
                      "submitted_note": Subquery(submitted.values("comment")[:1]),
                      "resubmitted": Exists(sent_back_before)},
        "sent_back": {"last_note": Subquery(last.values("comment")[:1]), "last_by": Subquery(last.values("user")[:1])},
    }  # fmt: skip
    shows = {"assigned": "submitted", "review": "submitted", "my_review": "submitted", "sent_back": "sent_back"}
    blocks = []
    for key in keys:
        title, condition = filters[key]
        queryset = Article.objects.all() if key != "sent_back" else base
        rows = (
            queryset.filter(condition)
            .annotate(**extras.get(shows.get(key), {}))
            .select_related("section", "assignee")
            .only("pk", "title", "status", "published_at", "modified_at", "embargo_until", "section__name",
                  "assignee__username", "assignee__first_name", "assignee__last_name")
            .order_by(*orders.get(key, ("-modified_at", "-pk")))[:SHOWN]
        )  # fmt: skip
        blocks.append(Block(key, title, counts[key], list(rows), f"{changelist}?desk={key}"))
    people = {
        getattr(row, name, None) for block in blocks for row in block.rows for name in ("submitted_by", "last_by")
    }
    people.discard(None)
    names = {pk: u.get_full_name() or u.get_username() for pk, u in get_user_model().objects.in_bulk(people).items()}
    for block in blocks:
        for row in block.rows:
            row.submitter = names.get(getattr(row, "submitted_by", None), "")
            row.last_actor = names.get(getattr(row, "last_by", None), "")
    mail = undelivered_mail(user)
    if count := mail.count():  # first, and only when there is some: it needs someone to act
        rows = list(mail.select_related("article")[:SHOWN])
        blocks.insert(0, Block("undelivered", "E-mail not sent", count, rows, "#desk-undelivered", kind="mail"))
    if editor:  # today's corrections (the list links to the articles they correct) and pictures' rights
        corrections = Correction.objects.filter(created_at__gte=_today_start())
        blocks.append(
            Block(
                "corrected_today",
                "Today's corrections",
                corrections.count(),
                list(corrections.select_related("article").order_by("-created_at", "-pk")[:SHOWN]),
                f"{changelist}?desk=corrected_today",
                kind="corrections",
            )  # fmt: skip
        )
        expiring = Image.objects.rights_expiring(EXPIRING_DAYS)
        rows = list(expiring.order_by("rights_expire_on", "pk")[:SHOWN])
        blocks.append(
            Block(
                "rights",
                f"Pictures whose rights end within {EXPIRING_DAYS} days",
                expiring.count(),
                rows,
                reverse("admin:articles_image_changelist") + "?rights=expiring",
                kind="pictures",
            )  # fmt: skip
        )
    return blocks
