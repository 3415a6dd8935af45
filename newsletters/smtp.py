"""One SMTP conversation that sends many messages, each committed in the database at the last moment before the
mail server is told it is complete.

A message is accepted by the server only when it receives the line holding a single dot at the end of DATA.
``Mailer.send`` writes everything up to that line, then calls ``commit(complete)``: it marks the delivery sent
in the database and calls ``complete()``, which writes the dot, the moment the database has the commit
(``newsletters.handover``), and returns True; when it returns False (another sender has the delivery), the
connection is dropped and the server discards what it had. So a sender killed at any moment either committed
(and the dot was on its way) or did not (and the server never accepted the message): no second copy after a
restart, and no copy lost but in the microseconds between two writes to two sockets.

Other e-mail backends (the console's in development, memory in tests) have no such point: ``Mailer`` falls back
to Django's backend, committing once the backend took the message.
"""

import re
import smtplib
import socket
import ssl

from django.conf import settings
from django.core.mail import get_connection

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
DOTS = re.compile(rb"(?m)^\.")
LINE_ENDS = re.compile(rb"\r\n|\r|\n")


class Refused(Exception):
    """The server refused this message at ``stage`` ("mail", "rcpt", "data" or "end", after the message):
    ``permanent`` for a 5xx answer, else it may be tried later. Only a recipient refused for good
    (``bounced``) says the address is bad; a sender refused says the server will take nothing from us now."""

    def __init__(self, code, text, stage):
        super().__init__(f"{code} {text}")
        self.code, self.stage, self.permanent = code, stage, 500 <= code < 600

    @property
    def bounced(self):
        return self.permanent and self.stage == "rcpt"


class Abandoned(Exception):
    """``commit`` said no (another sender has it, the issue was paused): the message was not completed."""


def speaks_smtp():
    return settings.EMAIL_BACKEND == SMTP_BACKEND


class Mailer:
    """``with Mailer() as mailer: mailer.send(sender, recipient, data, commit)`` for each message."""

    def __init__(self):
        self.smtp = None
        self.backend = None

    def __enter__(self):
        self.open()
        return self

    def __exit__(self, *exc):
        self.close()

    def open(self):
        if not speaks_smtp():
            self.backend = get_connection(fail_silently=False)
            self.backend.open()
            return
        kind = smtplib.SMTP_SSL if settings.EMAIL_USE_SSL else smtplib.SMTP
        self.smtp = kind(settings.EMAIL_HOST, settings.EMAIL_PORT, timeout=settings.EMAIL_TIMEOUT)
        # The final "." goes in a write of its own, just after the body's: without this, Nagle's algorithm holds
        # it until the server acknowledges the body (up to 40 ms a message, on a delayed acknowledgement).
        self.smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if settings.EMAIL_USE_TLS and not settings.EMAIL_USE_SSL:
            self.smtp.starttls(context=ssl.create_default_context())
        if settings.EMAIL_HOST_USER:
            self.smtp.login(settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD)

    def close(self):
        if self.backend is not None:
            self.backend.close()
            self.backend = None
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (smtplib.SMTPException, OSError):
                self.smtp.close()
            self.smtp = None

    def drop(self):
        """Close at once, without QUIT: a message half told is discarded by the server."""
        if self.smtp is not None:
            self.smtp.close()
            self.smtp = None

    def send(self, sender, recipient, data, commit, django_message=None):
        """Send ``data`` (the message's bytes) from ``sender`` to ``recipient``; ``commit(complete)`` is called
        before the server is told the message is complete, calls ``complete()`` to tell it, and returns True
        (False: it did not, and the message is abandoned). Raises Refused for the
        server's refusal (the connection is kept), Abandoned when commit() said no, and OSError or
        SMTPException when the conversation broke (the connection is then unusable: open again)."""
        if self.backend is None and self.smtp is None:
            self.open()
        if self.backend is not None:
            self.backend.send_messages([django_message])
            if not commit(lambda: None):
                raise Abandoned("another sender had it")
            return
        smtp = self.smtp
        smtp.ehlo_or_helo_if_needed()
        for stage, command, accepted in (
            ("mail", lambda: smtp.mail(sender), (250,)),
            ("rcpt", lambda: smtp.rcpt(recipient), (250, 251)),
            ("data", lambda: smtp.docmd("data"), (354,)),
        ):
            code, text = command()
            if code not in accepted:
                self._reset()
                raise Refused(code, text.decode(errors="replace"), stage)
        body = DOTS.sub(b"..", LINE_ENDS.sub(b"\r\n", data))
        if not body.endswith(b"\r\n"):
            body += b"\r\n"
        smtp.send(body)
        try:
            completed = commit(lambda: smtp.send(b".\r\n"))
        except BaseException:
            self.drop()  # a QUIT now would be read as a line of the message, answered by nothing
            raise
        if not completed:
            self.drop()
            raise Abandoned("another sender had it")
        code, text = smtp.getreply()
        if code != 250:
            raise Refused(code, text.decode(errors="replace"), "end")

    def _reset(self):
        try:
            self.smtp.rset()
        except (smtplib.SMTPException, OSError):
            self.drop()
