"""Sending a batch of e-mail within a time limit, however slowly the server answers.

The backend's timeout bounds each read and write on the connection, not the whole conversation: a server that
answers every command a little inside it (a tarpit, an overloaded relay) can hold a batch for minutes, and the
request that made the editorial step with it, until the web server kills the worker mid-send. The step is then
done, the editor is shown an error and the messages not yet sent are kept nowhere. So the conversation runs on a
thread of its own, and the caller stops waiting for it after ``EMAIL_TIMEOUT`` seconds: every message not sent
by then is reported as failed, to be kept for the desk.
"""

import logging
import smtplib
import threading

from django.conf import settings
from django.core.mail import get_connection

logger = logging.getLogger("newsroom.notify")

# Refusals of one message; any other OSError (refused connection, timeout, lost server) is the server's.
ONE_MESSAGE = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)


class TooSlow(TimeoutError):
    """The mail server had not taken the message when the time allowed for the whole batch ran out."""


def send_within(messages, seconds=None):
    """Send ``messages`` over one connection; one outcome per message, in order: None when it was sent, else the
    exception that kept it. A server that cannot be reached fails the rest at once, without waiting for its
    timeout again; one still talking after ``seconds`` (``EMAIL_TIMEOUT`` by default) fails what it has not
    taken with ``TooSlow`` (a message it was taking at that moment may still arrive)."""
    seconds = settings.EMAIL_TIMEOUT if seconds is None else seconds
    outcomes, lock, given_up = [TooSlow] * len(messages), threading.Lock(), threading.Event()

    def converse():
        connection, unreachable = get_connection(), None
        try:
            connection.open()
        except Exception as error:
            unreachable = error
        for index, message in enumerate(messages):
            if given_up.is_set():
                break
            try:
                if unreachable is not None:
                    raise unreachable
                connection.send_messages([message])
                outcome = None
            except Exception as error:
                outcome = error
                if isinstance(error, OSError) and not isinstance(error, ONE_MESSAGE):
                    unreachable = error
            with lock:
                if not given_up.is_set():
                    outcomes[index] = outcome
        try:
            connection.close()
        except Exception:
            logger.warning("the mail server did not close the connection cleanly", exc_info=True)

    worker = threading.Thread(target=converse, name="newsroom-mail", daemon=True)
    worker.start()
    worker.join(seconds or None)
    with lock:
        given_up.set()
        late = TooSlow(f"the mail server had not taken it after {seconds} seconds")
        return [late if outcome is TooSlow else outcome for outcome in outcomes]
