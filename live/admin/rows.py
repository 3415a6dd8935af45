"""An update as the desk sees it: as JSON for the endpoints (``as_json``) and as a row of the list under the
posting form (``admin/live/_update_row.html``), with what this user may do to it."""

from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse

from live import rules
from live.admin import forms
from live.models import Stream, Update

SHOWN = 50  # the latest updates listed under the form; older ones are in the admin's list of updates


def _moment(value):
    return value.isoformat() if value else None


def may(user, update, posting=None):
    """What ``user`` may do to ``update`` (the rules' answers, for the buttons shown). ``posting``: whether the
    user may post to the update's page, when the caller has worked it out (once for a list of its updates)."""
    alive = update.deleted_at is None
    if posting is None:
        posting = rules.may_post(user, update.article)
    return {
        "change": alive and rules.may_change(user, update, posting=posting),
        "delete": alive and rules.may_delete(user, update, posting=posting),
        "approve": alive and update.status == Update.Status.PENDING and rules.is_editor(user),
        "break_out": alive and update.key_event and posting and user.has_perm("articles.add_article"),
    }


# The endpoints' names under the admin (``UpdateAdmin.get_urls``); Django's own delete page is ``delete``.
ENDPOINTS = {"edit": "edit", "approve": "approve", "delete": "remove", "revisions": "revisions",
             "break_out": "break_out"}  # fmt: skip


def urls(update):
    return {key: reverse(f"admin:live_update_{name}", args=[update.pk]) for key, name in ENDPOINTS.items()}


def row_html(request, update, allowed=None):
    allowed = allowed or may(request.user, update)
    initial = {"headline": update.headline, "body": update.body, "correction": update.correction,
               "version": update.version}  # fmt: skip
    form = forms.EditForm(initial=initial, auto_id=f"id_live_{update.pk}_%s")
    context = {"update": update, "may": allowed, "urls": urls(update), "edit_form": form}
    return render_to_string("admin/live/_update_row.html", context, request=request)


def as_json(request, update, posting=None):
    allowed = may(request.user, update, posting)
    return {
        "id": update.pk,
        "article": update.article_id,
        "version": update.version,
        "seq": update.seq,
        "headline": update.headline,
        "body": update.body,
        "body_html": update.body_html,
        "posted_at": _moment(update.posted_at),
        "edited_at": _moment(update.edited_at),
        "correction": update.correction,
        "key_event": update.key_event,
        "pinned": update.pinned,
        "status": update.status,
        "deleted": update.deleted_at is not None,
        "authors": [{"id": author.pk, "name": author.name} for author in update.authors.all()],
        "anchor": update.anchor,
        "may": allowed,
        "urls": urls(update),
        "html": row_html(request, update, allowed),
    }


def latest(article):
    """The latest updates the desk lists, pending ones included and deleted ones not, pinned first."""
    shown = Update.objects.filter(article=article, deleted_at=None).prefetch_related("authors")
    updates = list(shown.in_stream_order(newest_first=True)[:SHOWN])
    for update in updates:
        update.article = article  # the page in hand: one for the whole list
    return updates


def stream_state(request, article):
    """The list endpoint's answer: the stream's position, the updates waiting for approval and the latest ones."""
    seq = Stream.objects.filter(pk=article.pk).values_list("seq", flat=True).first() or 0
    pending = Update.objects.filter(article=article, status=Update.Status.PENDING, deleted_at=None).count()
    posting = rules.may_post(request.user, article)  # asked once, not for each update listed
    return {
        "article": article.pk,
        "seq": seq,
        "pending": pending,
        "updates": [as_json(request, update, posting) for update in latest(article)],
    }


def pending_counts():
    """An annotation: each article's updates waiting for an editor."""
    waiting = Q(live_updates__status=Update.Status.PENDING, live_updates__deleted_at=None)
    return Count("live_updates", filter=waiting)
