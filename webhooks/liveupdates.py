"""Updates on live pages as webhook events: ``live.update.published`` when readers can first see an update (posted
on a public live page, or approved), ``live.update.updated`` when its text changes while shown, and
``live.update.deleted`` when a shown update is deleted. Connected in ``WebhooksConfig.ready`` to the updates'
``post_save`` (the live app names no webhook), and run after the write commits.

Each event's id is made from what it tells (the update, and for an edit the time of the edit), so telling it
again (a pin, a second save, a retry of the receiver) makes no second delivery: an endpoint has one delivery per
event id.
"""

import logging
import uuid
from functools import partial

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from articles.models import SiteSettings
from live.models import Update
from live.public import page
from webhooks import fanout, payload
from webhooks.models import Kind

logger = logging.getLogger("newsroom.webhooks")
NAMESPACE = uuid.UUID("4f6b1d2e-8c3a-4e57-9b0d-2a7c5e1f3d90")


def event_of(update):
    """(kind, event id) of what readers last saw happen to ``update``, or None when they saw nothing."""
    if update.status != Update.Status.PUBLISHED:
        return None
    if update.deleted_at is not None:
        return Kind.LIVE_UPDATE_DELETED, uuid.uuid5(NAMESPACE, f"{update.pk}:deleted")
    if update.edited_at is not None:
        return Kind.LIVE_UPDATE_UPDATED, uuid.uuid5(NAMESPACE, f"{update.pk}:edited:{update.edited_at.isoformat()}")
    return Kind.LIVE_UPDATE_PUBLISHED, uuid.uuid5(NAMESPACE, f"{update.pk}:published")


def body(kind, update, article):
    site = SiteSettings.current()
    data = {
        "id": update.pk,
        "article_id": article.pk,
        "article_url": site.absolute(article.get_absolute_url()),
        "url": site.absolute(f"{page.permalink(article, update)}#{update.anchor}"),
        "headline": update.headline,
        "body_html": "" if kind == Kind.LIVE_UPDATE_DELETED else update.body_html,
        "posted_at": update.posted_at.isoformat(),
        "edited_at": update.edited_at.isoformat() if update.edited_at else None,
        "key_event": update.key_event,
        "api_url": site.absolute(reverse("api:update_list", kwargs={"article_id": article.pk})),
    }
    return payload.dumps(kind, timezone.now(), data)


def announce(update_pk):
    """Fan out the event readers saw of update ``update_pk`` on a live page they may see, if any."""
    update = Update.objects.filter(pk=update_pk).first()
    if update is None or (found := event_of(update)) is None:
        return []
    article = page.readable_pages().filter(pk=update.article_id).first()
    if article is None:
        return []
    kind, event_id = found
    return fanout.fan_out(kind, event_id, body(kind, update, article))


def _announce(update_pk):
    try:
        announce(update_pk)
    except Exception:  # the update is saved; its failure must not reach the desk's request
        logger.exception("The webhooks of live update %s could not be made", update_pk)


def update_saved(sender, instance, raw=False, using=None, **kwargs):
    if not raw:
        transaction.on_commit(partial(_announce, instance.pk), using=using, robust=True)
