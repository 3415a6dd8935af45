"""Asking the job queue (Celery, ``newsroom.celery``) for work once the current transaction commits: a change
rolled back asks for nothing, and a broker that cannot be reached never fails or slows the change that asked.
Such a job is lost, not the work: every app that asks keeps what is to be done in its own tables, and a periodic
sweep of that app asks again for whatever waits; or, when ``send`` says the queue did not take it, the caller
does the work itself (the desk's e-mail, ``articles.desk.notify``)."""

import logging
import time
from importlib import import_module

from celery import current_app
from django.db import transaction

log = logging.getLogger("newsroom.jobs")

PAUSE_SECONDS = 5  # after the broker failed, how long to leave new jobs to the sweeps without asking it

_failed_at = [0.0]


def send(name, *args, countdown=None):
    """Ask for the job ``name`` now; False when the queue did not take it (or failed a moment ago). With
    ``CELERY_TASK_ALWAYS_EAGER`` (tests) the job runs here at once, as Celery runs ``delay()`` then."""
    if current_app.conf.task_always_eager:
        import_module(name.rpartition(".")[0])  # the job's tasks.py (a task is named by its module and function)
        current_app.tasks[name].apply(args=args, throw=True)
        return True
    if time.monotonic() - _failed_at[0] < PAUSE_SECONDS:
        return False
    try:
        current_app.send_task(name, args=args, countdown=countdown, retry=False)
    except Exception as error:  # noqa: BLE001 - any broker failure: the sweep asks again
        _failed_at[0] = time.monotonic()
        log.warning("The job queue did not take %s (%s)", name, error)
        return False
    return True


def refused_within(seconds):
    """Whether the broker refused a job in the last ``seconds``."""
    return time.monotonic() - _failed_at[0] < seconds


def forget_refusal():
    """Ask the broker at the next job however recently it refused one (it was started again)."""
    _failed_at[0] = 0.0


def after_commit(name, *args, countdown=None):
    """Ask for the job ``name`` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: send(name, *args, countdown=countdown))
