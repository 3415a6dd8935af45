"""The newsletters' jobs on the queue (``newsroom.celery``): start a queued issue, send one (several side by
side), the e-mail of the sign-up (confirmations and links), and the sweep (every 15 s, Celery beat) that starts
scheduled issues and asks again for the jobs of any send a lost job left waiting."""

from celery import shared_task
from django.utils import timezone

from newsletters import delivery, notices, sending
from newsletters.models import Delivery, Edition, Subscriber, waiting
from newsroom import jobs


@shared_task(name="newsletters.tasks.start", ignore_result=True)
def start(edition_pk):
    sending.start(edition_pk)


@shared_task(name="newsletters.tasks.send", ignore_result=True)
def send(edition_pk):
    if delivery.Sender(edition_pk).run():
        jobs.send("newsletters.tasks.send", edition_pk)


@shared_task(name="newsletters.tasks.sweep", ignore_result=True)
def sweep():
    now = timezone.now()
    sending.due_scheduled(now)
    for edition_pk in Edition.objects.filter(status=Edition.Status.QUEUED).values_list("pk", flat=True):
        jobs.send("newsletters.tasks.start", edition_pk)
    stalled = Edition.objects.filter(status=Edition.Status.SENDING)
    for edition in stalled:
        if Delivery.objects.filter(waiting(now), edition=edition).exists():
            jobs.send("newsletters.tasks.send", edition.pk)
        elif not Delivery.objects.filter(edition=edition, status__in=Delivery.WAITING).exists():
            delivery.finish(edition)


@shared_task(name="newsletters.tasks.notice", ignore_result=True, autoretry_for=(OSError,), retry_backoff=30,
             max_retries=5)  # fmt: skip
def notice(subscriber_pk, kind):
    if Subscriber.objects.filter(pk=subscriber_pk).exists():
        notices.send(subscriber_pk, kind)
