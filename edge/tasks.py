"""The purge jobs: ``deliver`` whatever is due, asked for once a transaction that wrote purges commits, and
``sweep`` (every 10 s, Celery beat) the same, for rows whose job was lost and failures due for another try."""

from celery import shared_task

from edge import outbox


@shared_task(name="edge.tasks.deliver", ignore_result=True)
def deliver(ids=None):
    """Deliver every due row (``ids``, named by jobs queued before the outbox was written in the transaction,
    are delivered with the rest)."""
    return outbox.deliver()


@shared_task(name="edge.tasks.sweep", ignore_result=True)
def sweep():
    return outbox.deliver()
