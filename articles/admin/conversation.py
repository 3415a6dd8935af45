"""The review conversation at the top of a story: the notes people left with its workflow steps (a submission's
note for the desk, a send-back's reasons, an approval's or a withdrawal's note), who left each and when.

The notes read as a conversation does, oldest first, so that each answers the one before it; only the latest is
open, just above the writing fields, and the earlier ones fold into one line above it. The latest is marked as
addressed to the person reading while it waits for them (no later step has answered it): a step that sends the
story to its writers (sent back, published, scheduled, withdrawn) speaks to whoever owns the story, a
submission to the editor it is assigned to, or to every editor when it is assigned to nobody. Steps without a
note are left to the workflow log.
"""

from dataclasses import dataclass, replace
from datetime import datetime

from django.urls import reverse

from articles.models import Article, states

SHOWN = 30  # the latest notes; older ones stay in the workflow log
Status = Article.Status


def name_of(user, nobody="Someone"):
    """A person as the newsroom calls them: their full name, else their username."""
    if user is None:
        return nobody
    return user.get_full_name() or user.get_username()


@dataclass(frozen=True)
class Note:
    who: str
    at: datetime
    did: str  # what their step did, said after their name: "sent it back to draft"
    text: str
    for_you: bool = False


def _did(step, resubmitted):
    if step.target == Status.REVIEW:
        return "resubmitted it for review" if resubmitted else "submitted it for review"
    if step.target == Status.DRAFT:
        return "sent it back to draft"
    if step.target == Status.WITHDRAWN:
        return "withdrew it"
    if step.target in (states.SCHEDULED, states.EMBARGOED):
        return "scheduled it" if step.source != Status.WITHDRAWN else "scheduled it again"
    return "published it" if step.source != Status.WITHDRAWN else "published it again"


def addressed_to(step, article, user):
    """Whether a step's note speaks to ``user``: never their own; a submission to its editor, the rest to the
    story's writers."""
    if step.user_id == user.pk:
        return False
    if step.target == Status.REVIEW:
        if article.assignee_id is not None:
            return article.assignee_id == user.pk
        return user.has_perm("articles.publish_article")
    return article.is_owned_by(user)


def notes(article, user):
    """The notes of ``article``'s workflow steps, oldest first, the latest marked when it is addressed to ``user``,
    and whether the story was ever submitted."""
    order = list(article.transitions.order_by("at", "pk").values_list("pk", "target"))  # a story's few steps
    first = next((pk for pk, target in order if target == Status.REVIEW), None)
    steps = list(article.transitions.exclude(comment="").select_related("user").order_by("-at", "-pk")[:SHOWN])
    found = [Note(name_of(step.user), step.at, _did(step, step.pk != first), step.comment) for step in reversed(steps)]
    if steps and steps[0].pk == order[-1][0] and addressed_to(steps[0], article, user):  # no later step answered it
        found[-1] = replace(found[-1], for_you=True)
    return found, first is not None


def change_form_context(request, article):
    """What ``_conversation.html`` shows on an article's change form: nothing for a new article, or one without
    notes; with them, the way to what changed since the story was last submitted (the revisions page's default
    comparison)."""
    found, submitted = notes(article, request.user) if article is not None else ([], False)
    if not found:
        return {}
    compare = reverse("admin:articles_article_revisions", args=[article.pk]) if submitted else None
    return {"conversation": {"earlier": found[:-1], "latest": found[-1], "compare_url": compare}}
