"""The job queue: Celery, configured from the Django settings named ``CELERY_*``, with Redis as its broker.

Workers run ``make worker`` (``celery -A newsroom worker -B``; ``make run`` and ``make serve`` start one beside
the server); the tasks of each app are found in its ``tasks.py``, each named by its module and function. Nothing a
reader or an editor waits for depends on the queue: a job that cannot be queued is left for the periodic sweep of
the app that queued it (``edge.tasks.sweep`` for purges, ``newsletters.tasks.sweep`` for sends), or its work is
done at once by the process that asked (the desk's e-mail).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

app = Celery("newsroom")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
