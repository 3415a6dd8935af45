"""The purge jobs: ``deliver`` the rows a commit wrote, and ``sweep`` (every 10 s, Celery beat) whatever is due,
rows whose job was lost and failures due for another try."""

from celery import shared_task

from edge import outbox


@shared_task(name="edge.tasks.deliver", ignore_result=True)
def deliver(ids):
    return outbox.deliver(ids)


@shared_task(name="edge.tasks.sweep", ignore_result=True)
def sweep():
    return outbox.deliver()
