"""The moment a delivery becomes sent: the database's COMMIT and the mail server's final "." of DATA as close
together as two writes to two sockets.

Committing and waiting for the database's answer before the "." leaves a window as long as the commit takes
(the database flushing its log to disk: a millisecond, or far more on a busy disk): a sender killed in it leaves
a row the database says is sent for a message the mail server never completed, so that subscriber gets nothing.
On PostgreSQL the COMMIT is therefore written to the database's socket, the "." to the mail server's straight
after, and only then is the database's answer read: a sender killed at any moment after the first write still
has its commit done by the database (it reads the whole command before it notices the client gone) and its
message completed, and one killed before it has neither. What is left is the microseconds between the two
writes, and a database that fails the commit after the "." went (a copy sent twice, never none).

SQLite (in-process) commits, then the "." goes: its commit is a write to its log, done in microseconds, but
the commit that fills the log past a thousand pages also copies it into the database and flushes both to disk
(a checkpoint: milliseconds), before it returns. A sender therefore turns those automatic checkpoints off on its
connection (``hold_checkpoints``) and makes one between two batches (``checkpoint``), outside the moment."""

from django.db import DatabaseError, connection, transaction


def mark_then(mark, complete):
    """Run ``mark()`` (a conditional update: the rows it changed) and commit it, then ``complete()``; False, and
    nothing completed, when it changed nothing (another sender has the delivery). Inside a transaction already
    open (a test's, say), the mark is that transaction's to commit, and ``complete()`` follows it at once."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        if not mark():
            return False
        complete()
        return True
    with transaction.atomic():
        if not mark():
            return False
        _commit_then(complete)
    return True


def hold_checkpoints():
    """On SQLite, no checkpoint inside a commit on this connection (a sender's) until it is closed."""
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_autocheckpoint=0")


def checkpoint():
    """On SQLite, copy the log into the database now, as far as no reader holds it back (between batches)."""
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")


def _commit_then(complete):
    """Send COMMIT for the transaction open (psycopg 3), call ``complete()``, then read the COMMIT's answer."""
    from psycopg import generators, pq

    raw = connection.connection
    with raw.lock:
        pgconn = raw.pgconn
        pgconn.send_query(b"COMMIT")
        raw.wait(generators.send(pgconn))
        try:
            complete()
        finally:
            results = raw.wait(generators.fetch_many(pgconn))
    if not results or results[-1].status != pq.ExecStatus.COMMAND_OK:
        message = results[-1].get_error_message() if results else "no answer"
        raise DatabaseError(f"The delivery's commit failed: {message}")
