"""The newsletters' jobs on the queue (``newsroom.celery``): start a queued issue, send one (several side by
side), the e-mail of the sign-up (confirmations and links), and the sweep (every 15 s, Celery beat) that starts
scheduled issues and asks again for the jobs of any send a lost job left waiting: as many as make up the
operator's number of senders, counting those at work (their live leases). A send job that finds that many at
work ends at once, so the jobs a sweep asks for in excess never pile up."""

from celery import shared_task
from django.conf import settings
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
    for edition in Edition.objects.filter(status=Edition.Status.SENDING):
        if Delivery.objects.filter(waiting(now), edition=edition).exists():
            # Up to the operator's number of senders: after a worker was killed, or a resume that asked for one.
            missing = settings.NEWSROOM_NEWSLETTER_SENDERS - delivery.senders_at_work(edition.pk, now)
            for _ in range(max(0, missing)):
                jobs.send("newsletters.tasks.send", edition.pk)
        elif not Delivery.objects.filter(edition=edition, status__in=Delivery.WAITING).exists():
            delivery.finish(edition)


@shared_task(name="newsletters.tasks.notice", ignore_result=True, autoretry_for=(OSError,), retry_backoff=30,
             max_retries=5)  # fmt: skip
def notice(subscriber_pk, kind):
    if Subscriber.objects.filter(pk=subscriber_pk).exists():
        notices.send(subscriber_pk, kind)
