"""Which state an article is in, and whose it is: each rule stated once, as a ``Q`` and as a check of one
article in hand, side by side. Querysets, the workflow, the admin's filter, counts and badge, the desk, the
feeds and the page cache compose these; ``articles/tests/workflow/test_states.py`` pins every one of them to them.

An article's stored ``status`` is where it stands in the workflow; its times decide, with no job to run, what
an approved (``published``) article is to readers now. The states shown to editors are one per article:

- *draft*, *in review*, *withdrawn*: the stored status, whatever the times say.
- *expired*: approved, and its expiry has passed. Readers never see it again; this comes first because no
  other time can bring it back.
- *embargoed*: approved, not expired, and its embargo has not ended. It goes out when the embargo ends (and its
  publication time has come): the embargo is what holds it, so that is what editors are told, even when it is
  also scheduled.
- *scheduled*: approved, not expired, no embargo ahead, and its publication time is ahead (or not set yet).
- *published*: approved, not expired, no embargo ahead, publication time reached: what readers see.

A draft or an article in review can carry an embargo too: it stays a draft or in review, and ``under_embargo``
(the desk's "Embargoed" block, the badge's "Embargoed until") says so.
"""

from django.db import models
from django.db.models import Exists, OuterRef, Q

from articles.models.credits import Byline


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    REVIEW = "review", "In review"
    PUBLISHED = "published", "Published"
    WITHDRAWN = "withdrawn", "Withdrawn"


SCHEDULED, EMBARGOED, EXPIRED = "scheduled", "embargoed", "expired"

# Every state in the order editors read them (the admin's filter and counts).
LABELS = {
    Status.DRAFT: "Draft",
    Status.REVIEW: "In review",
    SCHEDULED: "Scheduled",
    EMBARGOED: "Embargoed",
    Status.PUBLISHED: "Published",
    EXPIRED: "Expired",
    Status.WITHDRAWN: "Withdrawn",
}

# The pieces, each a Q and a check.


def approved():
    """Approved for readers: published now, or once the clock allows (everything whose times decide)."""
    return Q(status=Status.PUBLISHED)


def is_approved(article):
    return article.status == Status.PUBLISHED


def expired(now):
    return Q(expires_at__lte=now)


def has_expired(article, now):
    return article.expires_at is not None and article.expires_at <= now


def not_expired(now):
    return Q(expires_at__isnull=True) | Q(expires_at__gt=now)


def under_embargo(now):
    """An embargo not yet ended, whatever the article's state: nobody outside the newsroom sees it."""
    return Q(embargo_until__gt=now)


def is_under_embargo(article, now):
    return article.embargo_until is not None and article.embargo_until > now


def no_embargo_ahead(now):
    return Q(embargo_until__isnull=True) | Q(embargo_until__lte=now)


def released(now):
    return Q(published_at__lte=now)


def is_released(article, now):
    return article.published_at is not None and article.published_at <= now


# The states: mutually exclusive, and every article is in exactly one.

QUERIES = {
    Status.DRAFT: lambda now: Q(status=Status.DRAFT),
    Status.REVIEW: lambda now: Q(status=Status.REVIEW),
    EXPIRED: lambda now: approved() & expired(now),
    EMBARGOED: lambda now: approved() & not_expired(now) & under_embargo(now),
    SCHEDULED: lambda now: approved() & not_expired(now) & no_embargo_ahead(now) & ~released(now),
    Status.PUBLISHED: lambda now: live(now),
    Status.WITHDRAWN: lambda now: Q(status=Status.WITHDRAWN),
}


def live(now):
    """What readers see: approved, publication time reached, not expired, no embargo ahead."""
    return approved() & released(now) & not_expired(now) & no_embargo_ahead(now)


def is_live(article, now):
    return (
        is_approved(article)
        and is_released(article, now)
        and not has_expired(article, now)
        and not is_under_embargo(article, now)
    )


def state_of(article, now):
    """The one state shown to editors for ``article`` at ``now`` (a key of ``LABELS``)."""
    if not is_approved(article):
        return article.status
    if has_expired(article, now):
        return EXPIRED
    if is_under_embargo(article, now):
        return EMBARGOED
    return Status.PUBLISHED if is_released(article, now) else SCHEDULED


def state(key, now):
    """The Q of the state ``key`` at ``now``."""
    return QUERIES[key](now)


def gone():
    """Withdrawn after publication: the address answers 410 Gone with the public note. An article never
    published has nothing to take down, and nothing of it is shown."""
    return Q(status=Status.WITHDRAWN, published_at__isnull=False)


def is_gone(article):
    return article.status == Status.WITHDRAWN and article.published_at is not None


# Whose an article is.


def owned_by(user):
    """Started by the user or crediting them, as EXISTS: one row per article, no join to make distinct."""
    if user.pk is None:
        return Q(pk__in=[])
    return Q(created_by=user.pk) | Exists(Byline.objects.filter(article=OuterRef("pk"), author__user=user.pk))


def is_owned_by(article, user):
    if user.pk is None:
        return False
    if article.created_by_id == user.pk:
        return True
    return article.pk is not None and article.bylines.filter(author__user=user.pk).exists()


def owners_of(article):
    """The same rule from the other side: a Q on users, those who own ``article``."""
    credited = Byline.objects.filter(article=article.pk, author__user=OuterRef("pk"))
    return Q(pk=article.created_by_id) | Exists(credited)
