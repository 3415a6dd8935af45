"""The webhooks' jobs on the queue (``newsroom.celery``): send one delivery, and the sweep (Celery beat, every
``NEWSROOM_WEBHOOK_SWEEP_SECONDS``) that asks again for retries that are due and deliveries whose job was lost."""

from celery import shared_task

from webhooks import sending


@shared_task(name="webhooks.tasks.deliver", ignore_result=True)
def deliver(delivery_pk):
    sending.deliver(delivery_pk)


@shared_task(name="webhooks.tasks.sweep", ignore_result=True)
def sweep():
    sending.sweep()
