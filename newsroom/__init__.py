"""The project: settings, URLs, WSGI, and the job queue's Celery app (loaded here, so that ``@shared_task``
functions bind to it wherever they are imported)."""

from newsroom.celery import app as celery_app

__all__ = ["celery_app"]
