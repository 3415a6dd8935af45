"""The signed links sent to subscribers, which stand in for a password: each names the address, the purpose it
was made for and the address's ``key``, and is signed with the site's secret and the time it was made
(``django.core.signing``). A link altered, made for another purpose, older than its purpose allows, or made
before the address's key was changed (its data deleted, say) opens nothing."""

from datetime import timedelta

from django.conf import settings
from django.core import signing

from newsletters.models import Subscriber

CONFIRM = "confirm"
PREFERENCES = "preferences"
UNSUBSCRIBE = "unsubscribe"

# An unsubscribe link works for a year: an old issue's link must still stop the mail.
UNSUBSCRIBE_DAYS = 366


class BadLink(Exception):
    """The link opens nothing; ``expired`` says whether it was genuine but too old (a new one can be asked for)."""

    def __init__(self, message, *, expired=False):
        super().__init__(message)
        self.expired = expired


def max_age(purpose):
    days = {
        CONFIRM: settings.NEWSROOM_NEWSLETTER_CONFIRM_DAYS,
        PREFERENCES: settings.NEWSROOM_NEWSLETTER_LINK_DAYS,
        UNSUBSCRIBE: UNSUBSCRIBE_DAYS,
    }[purpose]
    return timedelta(days=days)


def _signer(purpose):
    return signing.TimestampSigner(salt=f"newsletters.{purpose}")


def make(subscriber, purpose):
    """A token for ``subscriber``'s link of ``purpose`` (URL-safe)."""
    max_age(purpose)  # an unknown purpose is refused here, not when the link is opened
    return _signer(purpose).sign(f"{subscriber.pk}.{subscriber.key}")


def read(token, purpose):
    """The subscriber ``token`` opens for ``purpose``, or BadLink saying why not."""
    try:
        value = _signer(purpose).unsign(token or "", max_age=max_age(purpose))
    except signing.SignatureExpired:
        raise BadLink("This link has expired.", expired=True) from None
    except signing.BadSignature:
        raise BadLink("This link is not valid: it may have been cut short or changed.") from None
    pk, _, key = value.partition(".")
    subscriber = Subscriber.objects.filter(pk=int(pk), key=key).first() if pk.isdigit() else None
    if subscriber is None:
        raise BadLink("This link no longer opens anything: the address was removed or its links were renewed.")
    return subscriber
