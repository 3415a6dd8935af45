"""What a delivery posts: the JSON body of an event (``article_body``), and the Standard Webhooks headers that
sign it (``headers``), made again at every attempt with that attempt's time."""

import json

from django.urls import reverse
from standardwebhooks import Webhook

from articles.events import told
from articles.models import SiteSettings


def dumps(kind, happened_at, data):
    """The body Standard Webhooks describes: the event's type, its time, and its data."""
    envelope = {"type": kind, "timestamp": happened_at.isoformat(), "data": data}
    return json.dumps(envelope, separators=(",", ":"), ensure_ascii=False)


def article_body(event):
    """The body of an ``ArticleEvent``: the article's id, the event's snapshot of it, and its address in the
    content API."""
    api_url = SiteSettings.current().absolute(reverse("api:article_detail", kwargs={"article_id": event.article_id}))
    return dumps(event.kind, event.happened_at, {"id": event.article_id, **told(event.data), "api_url": api_url})


def headers(secret, event_id, sent_at, body):
    """The headers of one attempt: the event's id (the same at every attempt, for the receiver to ignore a
    repeat), the attempt's time, and the signature of the three (``v1,`` and an HMAC-SHA256 in base64)."""
    signature = Webhook(secret).sign(msg_id=str(event_id), timestamp=sent_at, data=body)
    return {
        "Content-Type": "application/json",
        "User-Agent": "Newsroom webhooks",
        "webhook-id": str(event_id),
        "webhook-timestamp": str(int(sent_at.timestamp())),
        "webhook-signature": signature,
    }
