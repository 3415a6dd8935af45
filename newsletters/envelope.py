"""Each subscriber's message, made from the issue rendered once (``messages.render``): the headers and the two
parts are written once per issue, and for each subscriber only their address, their links and the Message-ID
are put in, and the parts encoded. Every message carries a visible unsubscribe link and RFC 8058's one-click
unsubscribe (``List-Unsubscribe`` with ``List-Unsubscribe-Post``), a ``List-Id`` and a Message-ID of its own
that stays the same however often the delivery is tried."""

import base64
import email
import hashlib
import uuid
from email import policy
from email.header import Header
from email.utils import formataddr, formatdate, quote
from html import escape
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse

from articles.models import SiteSettings, one_line
from newsletters import messages, tokens
from newsletters.models import Subscriber


class RawMessage(EmailMessage):
    """A message already written, for Django's other backends (the console's, memory in tests)."""

    def __init__(self, data, to):
        super().__init__(to=[to])
        self.data = data

    def message(self, *args, **kwargs):
        return email.message_from_bytes(self.data, policy=policy.SMTP)


def header(value):
    """A header's value, encoded (RFC 2047) when it is not ASCII; one line whatever it held."""
    value = one_line(value)
    return value if value.isascii() else Header(value, "utf-8").encode()


def phrase(value):
    """A name as a header's phrase (``header``): quoted when it has characters a bare phrase cannot (RFC 5322's
    specials), so that "<", ">" or "," in it never end the name early."""
    value = header(value)
    return f'"{quote(value)}"' if any(c in value for c in '()<>[]:;@\\,."') else value


def sender_address():
    return settings.NEWSROOM_NEWSLETTER_FROM or settings.DEFAULT_FROM_EMAIL


def link_base(name):
    """The site's absolute address of a subscriber link named ``name``, up to its token."""
    marker = "TOKEN"
    return SiteSettings.current().absolute(reverse(f"newsletters:{name}", args=[marker])).rsplit(marker, 1)


PLAIN_PART = b'Content-Type: text/plain; charset="utf-8"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
HTML_PART = b'Content-Type: text/html; charset="utf-8"\r\nContent-Transfer-Encoding: base64\r\n\r\n'


def b64(text):
    return base64.encodebytes(text.encode("utf-8"))


class Envelope:
    """Writes ``edition``'s message for each subscriber: ``message(subscriber)`` is (sender, recipient, bytes)."""

    def __init__(self, edition, rendered):
        site = SiteSettings.current()
        self.edition, self.rendered = edition, rendered
        self.host = urlsplit(site.public_url).hostname or "localhost"
        self.sender = sender_address()
        self.links = {name: link_base(name) for name in ("preferences", "unsubscribe")}
        self.boundary = f"=_newsroom_{uuid.uuid4().hex}"
        common = [
            ("From", formataddr((one_line(site.name), self.sender))),
            ("Subject", header(rendered.subject)),
            ("MIME-Version", "1.0"),
            ("List-Id", f"{phrase(edition.newsletter.name)} <{edition.newsletter.slug}.{self.host}>"),
            ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
            ("Auto-Submitted", "auto-generated"),
            ("Precedence", "bulk"),
        ]
        if settings.NEWSROOM_NEWSLETTER_REPLY_TO:
            common.append(("Reply-To", settings.NEWSROOM_NEWSLETTER_REPLY_TO))
        self.common = "".join(f"{name}: {value}\r\n" for name, value in common)

    def link(self, name, subscriber, purpose):
        before, after = self.links[name]
        return before + tokens.make(subscriber, purpose) + after

    def message_id(self, subscriber):
        digest = hashlib.sha256(f"{settings.SECRET_KEY}:{self.edition.pk}:{subscriber.pk}".encode()).hexdigest()[:16]
        return f"<newsletter.{self.edition.pk}.{subscriber.pk}.{digest}@{self.host}>"

    def message(self, subscriber):
        """The bytes of the message to ``subscriber``, in the format they chose."""
        preferences = self.link("preferences", subscriber, tokens.PREFERENCES)
        unsubscribe = self.link("unsubscribe", subscriber, tokens.UNSUBSCRIBE)
        address = subscriber.email

        def personal(text, escaped):
            quote = escape if escaped else str
            return (
                text.replace(messages.PREFERENCES_URL, quote(preferences))
                .replace(messages.UNSUBSCRIBE_URL, quote(unsubscribe))
                .replace(messages.ADDRESS, quote(address))
            )

        head = (
            f"{self.common}To: {address}\r\nDate: {formatdate(usegmt=True)}\r\n"
            f"Message-ID: {self.message_id(subscriber)}\r\nList-Unsubscribe: <{unsubscribe}>\r\n"
        )
        text = b64(personal(self.rendered.text, escaped=False))
        plain = PLAIN_PART
        if subscriber.format == Subscriber.Format.TEXT:
            return head.encode() + plain + text
        html = b64(personal(self.rendered.html, escaped=True))
        boundary = self.boundary.encode()
        return b"".join([
            head.encode(),
            b'Content-Type: multipart/alternative; boundary="', boundary, b'"\r\n\r\n',
            b"--", boundary, b"\r\n", plain, text,
            b"--", boundary, b"\r\n", HTML_PART, html, b"--", boundary, b"--\r\n",
        ])  # fmt: skip
