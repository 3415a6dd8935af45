"""Settings of what the newsroom tells other software: the events it logs, the content API (the ``api`` app),
webhooks (``webhooks``) and WebSub hubs (``websub``), read from the environment; ``newsroom.settings`` takes every
name here."""

import os

from newsroom.settings_newsletters import CELERY_BEAT_SCHEDULE


def _list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Every this many seconds (Celery beat) the events the clock makes are logged (articles.events.sweep): a scheduled
# publication or an embargo's end reached, an expiry passed, however long ago (a worker stopped loses none).
NEWSROOM_EVENTS_SWEEP_SECONDS = float(os.environ.get("NEWSROOM_EVENTS_SWEEP_SECONDS", "30"))

# The content API: requests an address may make a minute without a key, and a key with one (0: no limit).
NEWSROOM_API_ANONYMOUS_PER_MINUTE = int(os.environ.get("NEWSROOM_API_ANONYMOUS_PER_MINUTE", "120"))
NEWSROOM_API_KEY_PER_MINUTE = int(os.environ.get("NEWSROOM_API_KEY_PER_MINUTE", "1200"))
# Origins allowed to read the API from a browser (CORS, GET only); "*" for any.
NEWSROOM_API_CORS_ORIGINS = _list("NEWSROOM_API_CORS_ORIGINS", "*")

# Webhooks: hosts with private, loopback or link-local addresses a webhook may still be sent to (none by
# default: only public addresses), the seconds to connect and in all, and when an endpoint is turned off.
NEWSROOM_WEBHOOK_ALLOWED_HOSTS = _list("NEWSROOM_WEBHOOK_ALLOWED_HOSTS")
NEWSROOM_WEBHOOK_CONNECT_SECONDS = float(os.environ.get("NEWSROOM_WEBHOOK_CONNECT_SECONDS", "5"))
NEWSROOM_WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("NEWSROOM_WEBHOOK_TIMEOUT_SECONDS", "15"))
# A failed delivery is tried again after this many seconds, twice as long after each failure up to the maximum,
# for this many hours after its first try; then it is given up.
NEWSROOM_WEBHOOK_RETRY_SECONDS = float(os.environ.get("NEWSROOM_WEBHOOK_RETRY_SECONDS", "30"))
NEWSROOM_WEBHOOK_RETRY_MAX_SECONDS = float(os.environ.get("NEWSROOM_WEBHOOK_RETRY_MAX_SECONDS", "3600"))
NEWSROOM_WEBHOOK_RETRY_HOURS = float(os.environ.get("NEWSROOM_WEBHOOK_RETRY_HOURS", "24"))
# An endpoint is turned off after this many failed attempts in a row, the first at least this many hours ago
# (a receiver down for an afternoon is not turned off; one gone for a day is). A success starts the count again.
NEWSROOM_WEBHOOK_DISABLE_FAILURES = int(os.environ.get("NEWSROOM_WEBHOOK_DISABLE_FAILURES", "15"))
NEWSROOM_WEBHOOK_DISABLE_HOURS = float(os.environ.get("NEWSROOM_WEBHOOK_DISABLE_HOURS", "24"))
# Every this many seconds (Celery beat) deliveries due for a retry, or whose job was lost, are asked for again.
NEWSROOM_WEBHOOK_SWEEP_SECONDS = float(os.environ.get("NEWSROOM_WEBHOOK_SWEEP_SECONDS", "15"))
# The delivery log keeps a delivery this many days after it succeeded or was given up (at least one).
NEWSROOM_WEBHOOK_KEEP_DAYS = max(1, int(os.environ.get("NEWSROOM_WEBHOOK_KEEP_DAYS", "30")))

# WebSub: the hubs every feed names, and that are told when a feed's content changes (none by default).
NEWSROOM_WEBSUB_HUBS = _list("NEWSROOM_WEBSUB_HUBS")
# A hub that cannot be reached or answers other than 2xx is told again, this many times in all, the wait doubling
# from the first (up to an hour): with the defaults, for about five hours.
NEWSROOM_WEBSUB_ATTEMPTS = int(os.environ.get("NEWSROOM_WEBSUB_ATTEMPTS", "12"))
NEWSROOM_WEBSUB_RETRY_SECONDS = float(os.environ.get("NEWSROOM_WEBSUB_RETRY_SECONDS", "30"))
NEWSROOM_WEBSUB_CONNECT_SECONDS = float(os.environ.get("NEWSROOM_WEBSUB_CONNECT_SECONDS", "5"))
NEWSROOM_WEBSUB_TIMEOUT_SECONDS = float(os.environ.get("NEWSROOM_WEBSUB_TIMEOUT_SECONDS", "15"))
# Every this many seconds (Celery beat) the notices that are due (a retry, or a job lost) are sent.
NEWSROOM_WEBSUB_SWEEP_SECONDS = float(os.environ.get("NEWSROOM_WEBSUB_SWEEP_SECONDS", "30"))

CELERY_BEAT_SCHEDULE = {
    **CELERY_BEAT_SCHEDULE,
    "articles-events-sweep": {"task": "articles.tasks.events_sweep", "schedule": NEWSROOM_EVENTS_SWEEP_SECONDS},
    "websub-sweep": {"task": "websub.tasks.sweep", "schedule": NEWSROOM_WEBSUB_SWEEP_SECONDS},
    "webhooks-sweep": {"task": "webhooks.tasks.sweep", "schedule": NEWSROOM_WEBHOOK_SWEEP_SECONDS},
}
