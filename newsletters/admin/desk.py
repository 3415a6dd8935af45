"""The newsletters on the desk (registered by ``newsletters.apps``): the sends in progress and scheduled (n of N),
the sends of the last day that failed for some addresses, and any article readers can no longer see (withdrawn,
expired, back to draft) that an issue sent in the last 30 days carried, with how many received it. A fixed
number of queries, however many issues and deliveries there are (``test_desk_queries_are_fixed``)."""

from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from articles.models import Article, states
from newsletters.models import Delivery, Edition

SHOWN = 8
RECENT = timedelta(days=1)
WITHDRAWN_WITHIN = timedelta(days=30)
Status = Edition.Status
UNDER_WAY = [Status.QUEUED, Status.SENDING, Status.PAUSED, Status.SCHEDULED]
NOT_REACHED = [Delivery.Status.FAILED, Delivery.Status.BOUNCED]


def sent_counts(pks):
    if not pks:
        return {}
    rows = Delivery.objects.filter(edition__in=pks, status=Delivery.Status.SENT).values("edition")
    return {row["edition"]: row["n"] for row in rows.annotate(n=Count("pk")).order_by()}


def received(edition, article_pk, counts):
    """How many subscribers received ``article_pk`` in ``edition``: every message sent, or those sent before it
    was taken out of the messages (withdrawn mid-send: the rest went without it)."""
    taken_out = edition.carried_articles.get(str(article_pk))
    if taken_out is None:
        return counts.get(edition.pk, 0)
    before = Delivery.objects.filter(edition=edition, status=Delivery.Status.SENT, sent_at__lt=taken_out)
    return before.count()


def under_way():
    editions = list(
        Edition.objects.filter(status__in=UNDER_WAY)
        .select_related("newsletter")
        .only("pk", "subject", "status", "send_at", "total", "started_at", "newsletter__name")
        .order_by("send_at", "pk")[:SHOWN]
    )
    counts = sent_counts([e.pk for e in editions if e.started_at])
    for edition in editions:
        edition.sent = counts.get(edition.pk, 0)
    return editions


def failed_recently(now):
    return list(
        Edition.objects.filter(status=Status.SENT, finished_at__gte=now - RECENT)
        .annotate(not_reached=Count("deliveries", filter=Q(deliveries__status__in=NOT_REACHED)))
        .filter(not_reached__gt=0)
        .select_related("newsletter")
        .only("pk", "subject", "finished_at", "total", "newsletter__name")
        .order_by("-finished_at", "-pk")[:SHOWN]
    )


def withdrawn_sent(now):
    """[(article, its state's label, [(edition, how many received it)])]: articles no longer public that recent
    issues carried."""
    sent = (
        Edition.objects.filter(
            started_at__gte=now - WITHDRAWN_WITHIN, status__in=[Status.SENDING, Status.PAUSED, Status.SENT]
        )  # fmt: skip
        .select_related("newsletter")
        .only("pk", "subject", "started_at", "carried_articles", "newsletter__name")
        .order_by("-started_at", "-pk")
    )
    carried = {}
    for edition in sent:
        for pk in edition.carried_articles or {}:
            if pk.isdigit():
                carried.setdefault(int(pk), []).append(edition)
    if not carried:
        return []
    gone = list(
        Article.objects.filter(pk__in=list(carried))
        .exclude(pk__in=Article.objects.published().values("pk"))
        .only("pk", "title", "status", "published_at", "expires_at", "embargo_until")
        .order_by("title", "pk")[:SHOWN]
    )
    counts = sent_counts([e.pk for article in gone for e in carried[article.pk]])
    shown = []
    for article in gone:
        issues = [(e, received(e, article.pk, counts)) for e in carried[article.pk]]
        issues = [(e, n) for e, n in issues if n]
        if issues:
            shown.append((article, states.LABELS[article.state()], issues))
    return shown


def desk_panel(request):
    if not request.user.has_perm("newsletters.change_edition"):
        return None
    now = timezone.now()
    panel = {"under_way": under_way(), "failed": failed_recently(now), "withdrawn": withdrawn_sent(now)}
    if not any(panel.values()):
        return None
    return {"template": "admin/newsletters/_desk_panel.html", **panel}
