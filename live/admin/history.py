"""An update's revisions: every version, who saved it and when, and what each changed in the text."""

from django.contrib.admin import site
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from articles.admin import textdiff
from live import rules
from live.models import Update

FLAGS = (("key_event", "key event"), ("pinned", "pinned"))


def _what_changed(revision, before):
    """Words for what a revision did besides its text: posted, approved, flags, deleted."""
    if before is None:
        return ["posted" if revision.status == Update.Status.PUBLISHED else "posted, awaiting approval"]
    said = []
    if revision.deleted and not before.deleted:
        said.append("deleted")
    if revision.status != before.status:
        said.append("approved" if revision.status == Update.Status.PUBLISHED else "held for approval")
    for name, label in FLAGS:
        if getattr(revision, name) != getattr(before, name):
            said.append(label if getattr(revision, name) else f"no longer {label}")
    if revision.posted_at != before.posted_at:
        said.append("time changed")
    if revision.authors != before.authors:
        said.append("authors changed")
    return said


def _diff(before, revision, name):
    """The field's change since the revision before, word by word, or None when it did not change."""
    old, new = (getattr(before, name) if before else None), getattr(revision, name)
    return textdiff.words(old, new) if before is not None and old != new else None


def revisions(request, pk):
    update = get_object_or_404(Update.objects.select_related("article"), pk=pk)
    user = request.user
    if not (rules.is_editor(user) or rules.may_post(user, update.article)):
        raise PermissionDenied
    saved = list(update.revisions.select_related("saved_by").order_by("version"))
    shown = []
    for index, revision in enumerate(saved):
        before = saved[index - 1] if index else None
        shown.append({
            "revision": revision,
            "said": _what_changed(revision, before),
            "headline": _diff(before, revision, "headline"),
            "body": _diff(before, revision, "body"),
            "correction": revision.correction if not before or before.correction != revision.correction else "",
        })  # fmt: skip
    context = {
        **site.each_context(request),
        "title": f"Revisions of the update “{update}”",
        "update": update,
        "revisions": list(reversed(shown)),
        "opts": Update._meta,
    }
    return TemplateResponse(request, "admin/live/revisions.html", context)
