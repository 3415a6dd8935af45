"""Settings of readers' newsletters (the ``newsletters`` app), read from the environment; ``newsroom.settings``
takes every name here. The SMTP server they go through is Django's ``EMAIL_*`` (``settings_mail.py``)."""

import os

from newsroom.settings_edge import CELERY_BEAT_SCHEDULE

# The sender of newsletters (defaults to DEFAULT_FROM_EMAIL) and the address replies go to (none by default).
NEWSROOM_NEWSLETTER_FROM = os.environ.get("NEWSROOM_NEWSLETTER_FROM", "")
NEWSROOM_NEWSLETTER_REPLY_TO = os.environ.get("NEWSROOM_NEWSLETTER_REPLY_TO", "")
# The most messages a second all senders together hand to the mail server (0: as fast as it takes them); the
# operator's agreement with a mail service usually names one.
NEWSROOM_NEWSLETTER_RATE = float(os.environ.get("NEWSROOM_NEWSLETTER_RATE", "0"))
# How many jobs send one issue side by side (each over its own SMTP connection), and how many addresses a job
# takes at a time.
NEWSROOM_NEWSLETTER_SENDERS = int(os.environ.get("NEWSROOM_NEWSLETTER_SENDERS", "8"))
NEWSROOM_NEWSLETTER_BATCH = int(os.environ.get("NEWSROOM_NEWSLETTER_BATCH", "200"))
# How long a sender's claim on its batch lasts: a sender killed mid-batch leaves the rest to another after this.
NEWSROOM_NEWSLETTER_LEASE_SECONDS = int(os.environ.get("NEWSROOM_NEWSLETTER_LEASE_SECONDS", "120"))
# Temporary refusals (4xx, a server that cannot be reached) are tried again with a growing wait, this many times.
NEWSROOM_NEWSLETTER_ATTEMPTS = int(os.environ.get("NEWSROOM_NEWSLETTER_ATTEMPTS", "8"))
# The wait before the second try, doubled before each next one (up to an hour).
NEWSROOM_NEWSLETTER_RETRY_SECONDS = float(os.environ.get("NEWSROOM_NEWSLETTER_RETRY_SECONDS", "30"))
# How long the links in a confirmation e-mail, and the preferences links in issues, stay valid.
NEWSROOM_NEWSLETTER_CONFIRM_DAYS = int(os.environ.get("NEWSROOM_NEWSLETTER_CONFIRM_DAYS", "7"))
NEWSROOM_NEWSLETTER_LINK_DAYS = int(os.environ.get("NEWSROOM_NEWSLETTER_LINK_DAYS", "90"))
# Links in issues carry utm_source/utm_medium/utm_campaign only when this is on; no tracking pixel is ever sent.
NEWSROOM_NEWSLETTER_TRACKING = os.environ.get("NEWSROOM_NEWSLETTER_TRACKING", "").strip().lower() in {"1", "true", "on"}
# Sign-ups an address (IP) may make an hour, and the minutes before another e-mail goes to the same address.
NEWSROOM_NEWSLETTER_SIGNUPS_PER_HOUR = int(os.environ.get("NEWSROOM_NEWSLETTER_SIGNUPS_PER_HOUR", "20"))
NEWSROOM_NEWSLETTER_RESEND_MINUTES = int(os.environ.get("NEWSROOM_NEWSLETTER_RESEND_MINUTES", "10"))

# Every this many seconds (Celery beat) scheduled issues start, and sends whose job was lost (a worker killed, the
# broker down) carry on.
NEWSROOM_NEWSLETTER_SWEEP_SECONDS = float(os.environ.get("NEWSROOM_NEWSLETTER_SWEEP_SECONDS", "15"))
CELERY_BEAT_SCHEDULE = {
    **CELERY_BEAT_SCHEDULE,
    "newsletters-sweep": {"task": "newsletters.tasks.sweep", "schedule": NEWSROOM_NEWSLETTER_SWEEP_SECONDS},
}
