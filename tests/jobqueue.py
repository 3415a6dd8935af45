"""The job queue in tests: the Celery app pointed at a broker of the test's choosing."""

from newsroom import jobs
from newsroom.celery import app as celery_app


def use_broker(url):
    """Point the Celery app at the broker ``url`` (its connection pools are made again)."""
    celery_app.conf.broker_url = url
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    jobs.forget_refusal()
