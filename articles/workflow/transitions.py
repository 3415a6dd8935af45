"""The editorial workflow: every state change an article can make, who may make it, and the record of it.

States are those of ``models.states``: the stored ``Article.status``, and for an approved article what its
times make of it (scheduled, embargoed, published, expired), so it goes live when its time comes with nothing
to run.
Admin actions, change-form buttons and tests all go through ``apply()``; nothing else sets a status.
"""

import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from articles import signals
from articles.models import Article, ArticleTransition, Author, Byline, Image, states
from articles.workflow.checklist import going_live_for, publish_problems, text_problems

logger = logging.getLogger("newsroom.workflow")

Status = Article.Status
SCHEDULED, EMBARGOED, EXPIRED = states.SCHEDULED, states.EMBARGOED, states.EXPIRED
STATE_LABELS = states.LABELS


class TransitionError(Exception):
    """A transition refused, with the reason an editor can act on."""


def shown(moment):
    """A time as the desk reads it: in the active time zone (the site's, in the admin), in the admin's one format
    (``DATETIME_FORMAT``), with the zone named."""
    local = timezone.localtime(moment)
    return f"{date_format(local, 'DATETIME_FORMAT')} {local:%Z}"


def state(article):
    """The state shown to editors (``models.states``)."""
    return article.state()


def can_edit(article, user):
    """Editors edit any article; writers edit only their own drafts."""
    if user.has_perm("articles.edit_any_article"):
        return True
    return user.has_perm("articles.change_article") and article.status == Status.DRAFT and article.is_owned_by(user)


def can_preview(article, user):
    """Staff see any article they could open in the admin, exactly as readers would."""
    if not (user.is_active and user.is_staff):
        return False
    return user.has_perm("articles.edit_any_article") or (
        user.has_perm("articles.view_article") and article.is_owned_by(user)
    )


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset
    target: str
    permission: str | None = None  # beyond being able to edit the article
    needs_checklist: bool = False
    needs_text: bool = False  # a headline, a dek and a body (the checklist asks for them too)
    needs_public_note: bool = False

    def refusal(self, article, user, *, comment="", when=None, public_note=None):
        """Why this user may not make this transition now, or None when they may."""
        current = state(article)
        if current not in self.sources:
            return f"cannot {self.label.lower()} an article that is {STATE_LABELS[current].lower()}"
        if self.permission and not user.has_perm(self.permission):
            return f"you do not have permission to {self.label.lower()}"
        if self.permission is None and not can_edit(article, user):
            return "you can only do this with your own drafts"
        if self.needs_public_note:
            if not states.is_released(article, timezone.now()):
                return "it has never been published: send it back to draft instead"
            if not (article.withdrawal_note if public_note is None else public_note).strip():
                return "withdrawing needs a public note (the Withdrawal note readers see at its address)"
        if self.name == "schedule":
            at = when or article.published_at
            if at is None or at <= timezone.now():
                return "scheduling needs a publication time in the future"
            if article.embargo_until and at < article.embargo_until:
                return f"it is embargoed until {shown(article.embargo_until)}: schedule it for then or later"
        if self.name == "publish" and article.is_embargoed:
            return (
                f"it is embargoed until {shown(article.embargo_until)}: schedule it for then or later, "
                "or remove the embargo"
            )
        going_live = going_live_for(self.name, article, when)
        if self.needs_checklist and (problems := publish_problems(article, going_live)):
            return "missing " + ", ".join(problems)
        if self.needs_text and (problems := text_problems(article)):
            return "missing " + ", ".join(problems)
        return None


PUBLISH_PERMISSION = "articles.publish_article"
TRANSITIONS = {
    t.name: t
    for t in [
        Transition("submit", "Submit for review", frozenset({Status.DRAFT}), Status.REVIEW, needs_text=True),
        Transition(
            "publish",
            "Publish",
            frozenset({Status.DRAFT, Status.REVIEW, SCHEDULED, EMBARGOED, Status.WITHDRAWN}),
            Status.PUBLISHED,
            PUBLISH_PERMISSION,
            needs_checklist=True,
        ),
        Transition(
            "schedule",
            "Schedule",
            frozenset({Status.DRAFT, Status.REVIEW}),
            Status.PUBLISHED,
            PUBLISH_PERMISSION,
            needs_checklist=True,
        ),
        Transition(
            "send_back",
            "Send back to draft",
            frozenset({Status.REVIEW, SCHEDULED, EMBARGOED}),
            Status.DRAFT,
            PUBLISH_PERMISSION,
        ),
        Transition(
            "withdraw",
            "Withdraw",
            frozenset({Status.PUBLISHED, EMBARGOED, EXPIRED}),
            Status.WITHDRAWN,
            "articles.withdraw_article",
            needs_public_note=True,
        ),
    ]
}


def available(article, user):
    """The transitions this user could make on this article now (the checklist aside)."""
    current = state(article)
    return [
        t
        for t in TRANSITIONS.values()
        if current in t.sources and (user.has_perm(t.permission) if t.permission else can_edit(article, user))
    ]


def apply(article, name, user, *, comment="", when=None, public_note=None):
    """Make transition ``name`` on ``article`` as ``user``, or raise TransitionError saying why not.

    ``comment`` is the note for the desk: it goes into the workflow log and the e-mails, never to readers.
    Withdrawing shows readers the article's ``withdrawal_note``, or ``public_note`` when one is given.
    """
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise TransitionError(f"unknown action {name!r}")
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        source = state(article)
        if reason := transition.refusal(article, user, comment=comment, when=when, public_note=public_note):
            raise TransitionError(reason)
        now = timezone.now()
        if name == "publish" and (article.published_at is None or article.published_at > now):
            article.published_at = now  # a first publication; a republished article keeps its first time
        elif name == "schedule":
            article.published_at = when or article.published_at
        elif name == "withdraw":
            if public_note is not None:
                article.withdrawal_note = public_note.strip()
            article.share_links.filter(revoked=False).update(revoked=True)
        elif name == "send_back" and source in (SCHEDULED, EMBARGOED) and not states.is_released(article, now):
            article.published_at = None  # a schedule called off
        article.status = transition.target
        article._change_reason = transition.label + (f": {comment}" if comment else "")
        article._history_user = user
        article.save()
        record = ArticleTransition.objects.create(
            article=article, user=user, source=source, target=state(article), comment=comment.strip()
        )
    signals.send_on_commit(
        signals.article_transitioned, Article, article_pk=article.pk, action=name, actor=user, comment=comment
    )
    logger.info(
        "%s: %s → %s by %s",
        article.slug,
        source,
        record.target,
        user.get_username(),
        extra={"event": "workflow", "action": name, "article": article.pk, "user": user.pk, "comment": comment},
    )
    return article


# The lead image is restored when the library still has it (a picture in use cannot be deleted).
RESTORED_FIELDS = [
    "title", "dek", "body", "lead_image_url", "lead_image_alt", "lead_image_caption", "lead_image_credit",
]  # fmt: skip


def restore_credits(article, record):
    """The revision's tags and bylines, when it recorded them; authors deleted since are left out."""
    if record.history_tags is not None:
        article.tags.set(record.history_tags)
    if record.history_bylines is not None:
        authors = set(Author.objects.filter(pk__in=[b["author"] for b in record.history_bylines]).values_list(
            "pk", flat=True))  # fmt: skip
        article.bylines.all().delete()
        Byline.objects.bulk_create(
            Byline(article=article, author_id=b["author"], role=b.get("role", ""), position=position)
            for position, b in enumerate(record.history_bylines)
            if b["author"] in authors
        )


def restore(article, record, user):
    """Bring back a revision's text as a new revision; state and times stay as they are."""
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        for name in RESTORED_FIELDS:
            setattr(article, name, getattr(record, name))
        if record.lead_image_id is None or Image.objects.filter(pk=record.lead_image_id).exists():
            article.lead_image_id = record.lead_image_id
        restore_credits(article, record)
        article._change_reason = f"Restored revision #{record.history_id}"
        article._history_user = user
        article.save()
    logger.info(
        "%s: restored revision %s by %s",
        article.slug,
        record.history_id,
        user.get_username(),
        extra={"event": "workflow", "action": "restore", "article": article.pk, "user": user.pk},
    )
    return article
