"""Settings of outgoing e-mail, read from the environment; ``newsroom.settings`` takes every name here."""

import os

from django.core.exceptions import ImproperlyConfigured


def _flag(name, default):
    value = os.environ.get(name, "").strip().lower()
    return default if not value else value in {"1", "true", "yes", "on"}


# E-mail to the desk (submissions, articles sent back or published, assignments; each person can opt out).
# With no SMTP host set, messages are written to the console (development); tests collect them in memory.
EMAIL_HOST = os.environ.get("NEWSROOM_EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
# TLS from the first byte (SMTPS, port 465: NEWSROOM_EMAIL_SSL) or plain then STARTTLS (port 587, the default):
# one or the other.
EMAIL_USE_SSL = _flag("NEWSROOM_EMAIL_SSL", False)
EMAIL_USE_TLS = _flag("NEWSROOM_EMAIL_TLS", not EMAIL_USE_SSL)
if EMAIL_USE_SSL and EMAIL_USE_TLS:
    raise ImproperlyConfigured(
        "NEWSROOM_EMAIL_SSL and NEWSROOM_EMAIL_TLS are both on: SSL (port 465) or STARTTLS (port 587), not both"
    )
EMAIL_PORT = int(os.environ.get("NEWSROOM_EMAIL_PORT", "465" if EMAIL_USE_SSL else "587"))
EMAIL_HOST_USER = os.environ.get("NEWSROOM_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("NEWSROOM_EMAIL_PASSWORD", "")
EMAIL_TIMEOUT = int(os.environ.get("NEWSROOM_EMAIL_TIMEOUT_SECONDS", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("NEWSROOM_EMAIL_FROM", "newsroom@localhost")
