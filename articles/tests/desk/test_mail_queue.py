"""The desk's e-mail goes through the job queue: a save commits and queues one job, and a real Celery worker (on
the test's own Redis database) writes and sends the messages to a real SMTP server, so a server that holds each
message never holds the save; with the broker down, the web process sends them itself as before."""

import time

import pytest
from django.db import transaction

from articles.models import Article, UndeliveredMail
from articles.workflow import transitions
from tests.edgestack import wait_for


def headers(server):
    return [(m["To"], m["Subject"]) for m in server.received]


def test_a_save_never_waits_for_a_mail_server_that_holds_each_message(story, editor, worker, mail_server):
    """The step commits and returns while the worker's message is still held at the server's DATA; released, it
    arrives once, written from the rows by the worker (who did it, to whom)."""
    mail_server.hold()
    started = time.monotonic()
    with transaction.atomic():
        transitions.apply(story, "publish", editor)
    waited = time.monotonic() - started
    assert waited < 3, waited  # sent from here, it would wait for the held message (10 s)
    assert mail_server.arrived.wait(10)  # the worker is talking to the server
    assert mail_server.received == []
    mail_server.release()
    wait_for(lambda: mail_server.received, message="the worker never delivered the e-mail")
    assert headers(mail_server) == [("wendy@example.org", "[Newsroom] Published: Pier closes")]
    assert "eddie: published" in mail_server.received[0].get_content()
    assert not UndeliveredMail.objects.exists()


def test_with_the_broker_down_the_web_process_sends_the_mail_itself(
    story, editor, dead_broker, mail_server, django_capture_on_commit_callbacks
):
    """A job the queue does not take is not lost: the commit's callback writes and sends the messages."""
    with django_capture_on_commit_callbacks(execute=True):
        transitions.apply(story, "publish", editor)
    assert headers(mail_server) == [("wendy@example.org", "[Newsroom] Published: Pier closes")]
    assert not UndeliveredMail.objects.exists()


def test_a_step_rolled_back_queues_nothing(story, editor, worker, mail_server):
    """Nothing is queued before the commit, so a step undone tells nobody: the next step's e-mail is the first
    the worker (one job at a time, in order) sends."""
    with pytest.raises(RuntimeError), transaction.atomic():
        transitions.apply(story, "publish", editor)
        raise RuntimeError("undone")
    with transaction.atomic():
        transitions.apply(Article.objects.get(pk=story.pk), "submit", story.created_by)
    wait_for(lambda: mail_server.received, message="the worker never delivered the e-mail")
    assert [subject.split(":")[0] for _, subject in headers(mail_server)] == ["[Newsroom] Submitted for review"]
