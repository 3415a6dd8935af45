"""WebSub's jobs on the queue (``newsroom.celery``): tell one hub of one feed, and the sweep (Celery beat) that
sends whatever notice is due (``websub.notices``)."""

from celery import shared_task

from websub import notices


@shared_task(name="websub.tasks.send", ignore_result=True)
def send(hub, topic):
    notices.send(hub, topic)


@shared_task(name="websub.tasks.sweep", ignore_result=True)
def sweep():
    notices.sweep()
