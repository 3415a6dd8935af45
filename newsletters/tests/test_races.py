"""Sending under the races a real desk meets: other e-mail backends than SMTP, a lease that ran out while a slow
server was mid-message and another sender took the delivery, and the sweep."""

import sqlite3
import time
from contextlib import contextmanager
from datetime import timedelta

import psycopg
import pytest
from django.core import mail
from django.db import DatabaseError, connection
from django.utils import timezone

from articles.tests.factories import make_article
from newsletters import delivery, sending, signup
from newsletters.models import Delivery, Edition
from newsletters.tests.factories import make_edition, make_newsletter, make_subscriber

pytestmark = pytest.mark.django_db


def started(newsletter, readers=1):
    subscribers = [make_subscriber(newsletter) for _ in range(readers)]
    edition = make_edition(newsletter, [make_article()])
    sending.queue(edition)
    sending.start(edition.pk)
    return edition, subscribers


@pytest.mark.parametrize(
    "backend", ["django.core.mail.backends.locmem.EmailBackend", "django.core.mail.backends.console.EmailBackend"]
)
def test_a_send_through_another_backend_than_smtp(settings, backend):
    settings.EMAIL_BACKEND = backend
    edition, readers = started(make_newsletter(), readers=3)
    while delivery.Sender(edition.pk).run():
        pass
    edition.refresh_from_db()
    assert edition.status == Edition.Status.SENT
    assert sending.progress(edition)[Delivery.Status.SENT] == 3
    if "locmem" in backend:
        assert sorted(m.to[0] for m in mail.outbox) == sorted(r.email for r in readers)


def test_a_sender_whose_lease_ran_out_leaves_the_row_another_sent(mail_server):
    """Sender A claimed a delivery and the server was slow: its lease ran out, sender B took it and sent it. A
    temporary refusal A then gets must not put the row back (a second copy later)."""
    edition, (reader,) = started(make_newsletter())
    slow = delivery.Sender(edition.pk)
    assert slow.refresh()
    rows, lease = delivery.take(slow.edition, 10)
    Delivery.objects.filter(pk=rows[0].pk).update(lease_until=timezone.now() - timedelta(seconds=1))
    assert not delivery.Sender(edition.pk).run()
    assert len(mail_server.received) == 1
    mail_server.refuse[reader.email] = "451 Try again later"
    slow.deliver(rows[0], lease)
    row = Delivery.objects.get(pk=rows[0].pk)
    assert row.status == Delivery.Status.SENT
    edition.refresh_from_db()
    assert edition.status == Edition.Status.SENT


def claimed(edition):
    """A sender of ``edition`` holding a batch it has not sent yet."""
    sender = delivery.Sender(edition.pk)
    assert sender.refresh()
    rows, lease = delivery.take(sender.edition, 10)
    return sender, rows, lease


def test_an_address_unsubscribed_after_its_delivery_was_claimed_gets_nothing(mail_server):
    edition, (leaving, staying) = started(make_newsletter(), readers=2)
    sender, rows, lease = claimed(edition)
    signup.unsubscribe(leaving, how="one-click")
    for row in rows:
        sender.deliver(row, lease)
    sender.mailer.close()
    assert [m["To"] for m in mail_server.received] == [staying.email]
    assert Delivery.objects.get(edition=edition, subscriber=leaving).status != Delivery.Status.SENT


def test_an_address_erased_after_its_delivery_was_claimed_gets_nothing(mail_server):
    edition, (leaving, staying) = started(make_newsletter(), readers=2)
    sender, rows, lease = claimed(edition)
    signup.erase(leaving)
    for row in rows:
        sender.deliver(row, lease)
    sender.mailer.close()
    assert [m["To"] for m in mail_server.received] == [staying.email]


def test_an_issue_paused_then_cancelled_mid_batch_sends_nothing_more(mail_server):
    edition, readers = started(make_newsletter(), readers=3)
    sender, rows, lease = claimed(edition)
    sender.deliver(rows[0], lease)
    sending.pause(edition)
    sending.cancel(edition)
    for row in rows[1:]:
        sender.deliver(row, lease)
    sender.mailer.close()
    assert len(mail_server.received) == 1
    assert sending.progress(edition)[Delivery.Status.SENT] == 1


@contextmanager
def deliveries_locked():
    """Another connection holds the deliveries' table (SQLite: the whole file) for writing, and this one gives up
    waiting for it at once: the next write of a delivery fails, as with a database gone at the commit."""
    table = Delivery._meta.db_table
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '100ms'")
        other = psycopg.connect(**connection.get_connection_params())
        other.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")  # begins a transaction, held until rollback
    else:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout = 100")
        other = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.rollback()
        other.close()
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_a_commit_that_fails_drops_the_connection_without_completing_the_message(mail_server):
    """The database fails the mark: the message is not completed, and the connection is dropped at once rather
    than a QUIT sent inside its DATA (the sender would wait for the server's answer until its timeout)."""
    edition, (reader,) = started(make_newsletter())
    sender, rows, lease = claimed(edition)
    with deliveries_locked(), pytest.raises(DatabaseError):
        sender.deliver(rows[0], lease)
    began = time.monotonic()
    sender.mailer.close()
    assert time.monotonic() - began < 2
    assert mail_server.received == []
    Delivery.objects.filter(pk=rows[0].pk).update(lease_until=None)
    while delivery.Sender(edition.pk).run():
        pass
    assert [m["To"] for m in mail_server.received] == [reader.email]
