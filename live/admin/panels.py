"""The live panels of the back office (registered by ``live.apps`` with ``articles.desk.panels``): the posting
form and the latest updates on a live page's change form, and the live pages in progress on the desk, each with
its last update, the updates waiting for approval and a warning once it has gone quiet."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from articles.models.coverage import running
from live import rules
from live.admin import forms, rows
from live.models import Stream


def post_form(article):
    return forms.PostForm(auto_id=f"id_live_post_{article.pk}_%s")


def endpoints(article):
    return {
        "stream": reverse("admin:live_update_stream", args=[article.pk]),
        "post": reverse("admin:live_update_post", args=[article.pk]),
    }


def article_panel(request, article):
    """The posting form and the latest updates, on a live page this user may post to."""
    if not rules.may_post(request.user, article):
        return None
    state = rows.stream_state(request, article)
    return {
        "template": "admin/live/_panel.html",
        "jump": {"href": "#live-panel", "label": "Post an update"},  # a link at the top: the panel is below the form
        "article": article,
        "form": post_form(article),
        "urls": endpoints(article),
        "state": state,
        "updates_url": reverse("admin:live_update_changelist") + f"?article__id__exact={article.pk}",
    }


@dataclass
class LivePage:
    article: object
    last_posted_at: datetime | None
    pending: int
    quiet_minutes: int  # minutes without an update once past the threshold, else 0
    form: object
    urls: dict


def _last_posted(article):
    try:
        return article.stream.last_posted_at
    except Stream.DoesNotExist:
        return None


def in_progress(user, now=None):
    """The live pages whose coverage runs now that ``user`` may post to, latest started first."""
    now = now or timezone.now()
    threshold = settings.NEWSROOM_LIVE_QUIET_MINUTES
    pages = (
        rules.live_pages_for(user)
        .filter(running(now))
        .select_related("stream")
        .annotate(pending_updates=rows.pending_counts())
        .order_by("-live_from", "-pk")
    )
    shown = []
    for article in pages:
        last = _last_posted(article)
        silent = int((now - max(filter(None, (last, article.live_from)))).total_seconds() // 60)
        quiet = silent if silent >= threshold else 0
        shown.append(LivePage(article, last, article.pending_updates, quiet, post_form(article), endpoints(article)))
    return shown


def desk_panel(request):
    """The desk's list of live pages in progress, for those who may post to any."""
    if not request.user.has_perm("live.add_update"):
        return None
    pages = in_progress(request.user)
    if not pages:
        return None
    return {
        "template": "admin/live/_desk_panel.html",
        "pages": pages,
        "quiet_after": settings.NEWSROOM_LIVE_QUIET_MINUTES,
        "updates_url": reverse("admin:live_update_changelist"),
    }
