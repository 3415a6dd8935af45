"""The content app's jobs on the queue (``newsroom.celery``): the desk's workflow e-mail, the sweep that logs the
events the clock makes (``articles.events``), and a picture's renditions made again when its rights changed.

A job is queued after the commit of the step it tells of (``articles.desk.notify.send``) and carries only
primary keys and text: the worker writes the messages from the rows as they are when it runs.

A job may send its messages twice: a worker killed after the mail server took them but before the broker heard
the job was done (acknowledged late, so that a killed worker loses no job) leaves it to another worker, which
sends them again. That is accepted: a duplicate notice of an editorial step is harmless, one lost is not, and
preventing it would need a record written around each send (and still a window between the server's answer and
that record).
"""

from celery import shared_task

from articles import events
from articles.desk.notify import TASK, tell
from articles.models.media import REWRITE_TASK, rewrite_renditions_of


@shared_task(name=TASK, ignore_result=True)
def notify(article_pk, action, actor_pk, comment=""):
    tell(article_pk, action, actor_pk, comment)


@shared_task(name="articles.tasks.events_sweep", ignore_result=True)
def events_sweep():
    events.sweep()


@shared_task(name=REWRITE_TASK, ignore_result=True)
def rewrite_renditions(image_pk):
    rewrite_renditions_of(image_pk)
