"""E-mail the desk could not send is kept and shown on the desk, to editors and to the article's writers, until
someone sends it again or dismisses it. A real SMTP server (``mail_server``) receives what is sent, and is stopped
or told to refuse a recipient when a test needs it to fail. The job that sends a step's e-mail runs at once, in
the test's process (``eager_jobs``): the queue's own part is in ``test_mail_queue.py``."""

import threading
import time

import pytest
from django.contrib.auth.models import Group, User
from django.db import connections
from django.test import Client
from django.urls import reverse

from articles.models import Article, Byline, UndeliveredMail
from articles.tests.factories import article_form, make_article
from articles.workflow import transitions

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_jobs")]


@pytest.fixture
def editors(db):
    """Three more editors, each with an address: a submission goes to all of them."""
    people = []
    for name in ("ana", "bea", "cy"):
        people.append(User.objects.create_user(name, email=f"{name}@example.org", is_staff=True))
        people[-1].groups.add(Group.objects.get(name="Editor"))
    return people


def publish(article, editor, capture):
    with capture(execute=True):
        transitions.apply(article, "publish", editor)


def headers(server):
    return [(m["To"], m["Subject"]) for m in server.received]


def test_a_workflow_mail_arrives_with_a_one_line_subject(
    story, editor, mail_server, django_capture_on_commit_callbacks
):
    """A headline stored with line breaks (a row older than the folding of single-line fields) still makes a
    message the server accepts, its subject on one line."""
    Article.objects.filter(pk=story.pk).update(title="Pier\r\ncloses\nat dawn")
    publish(Article.objects.get(pk=story.pk), editor, django_capture_on_commit_callbacks)
    assert headers(mail_server) == [("wendy@example.org", "[Newsroom] Published: Pier closes at dawn")]
    assert not UndeliveredMail.objects.exists()


def test_a_mail_the_server_refuses_is_on_the_desk_until_sent_again(
    story, writer, editor, other_writer, client_for, mail_server, django_capture_on_commit_callbacks
):
    """The step stands; editors and the writer see what was not sent, to whom and why; sending it again once
    the server answers delivers it and clears it; a second press sends nothing more."""
    mail_server.stop()
    publish(story, editor, django_capture_on_commit_callbacks)
    assert Article.objects.get(pk=story.pk).status == Article.Status.PUBLISHED
    kept = UndeliveredMail.objects.get()
    assert (kept.article, kept.recipients, kept.action) == (story, ["wendy@example.org"], "publish")
    assert kept.subject == "[Newsroom] Published: Pier closes" and "Pier closes" in kept.body
    assert "ConnectionRefusedError" in kept.error

    for person in (editor, writer):
        desk = client_for(person).get(reverse("admin:index")).content.decode()
        assert "E-mail not sent" in desk and "to wendy@example.org" in desk and "ConnectionRefusedError" in desk
    assert "E-mail not sent" not in client_for(other_writer).get(reverse("admin:index")).content.decode()
    act = reverse("admin:desk_undelivered", args=[kept.pk])
    assert client_for(other_writer).post(act, {"action": "dismiss"}).status_code == 404  # not theirs to clear

    client = client_for(editor)
    client.post(act, {"action": "resend"})
    assert UndeliveredMail.objects.get().attempts == 2  # still down: still there, with how often it was tried

    mail_server.start()
    assert client.post(act, {"action": "resend"}).status_code == 302
    assert not UndeliveredMail.objects.exists()
    assert headers(mail_server) == [("wendy@example.org", "[Newsroom] Published: Pier closes")]
    assert "Pier closes" in mail_server.received[0].get_content()
    again = client.post(act, {"action": "resend"}, follow=True)
    assert "already sent or dismissed" in again.content.decode() and len(mail_server.received) == 1
    assert "E-mail not sent" not in client.get(reverse("admin:index")).content.decode()


def test_the_writer_may_dismiss_what_was_not_sent_about_their_article(
    story, writer, editor, client_for, mail_server, django_capture_on_commit_callbacks
):
    """Dismissing clears it from every desk without sending anything, even once the server is back."""
    mail_server.stop()
    publish(story, editor, django_capture_on_commit_callbacks)
    kept = UndeliveredMail.objects.get()
    mail_server.start()
    client = client_for(writer)
    assert client.get(reverse("admin:desk_undelivered", args=[kept.pk])).status_code == 405
    assert client.post(reverse("admin:desk_undelivered", args=[kept.pk]), {"action": "dismiss"}).status_code == 302
    assert not UndeliveredMail.objects.exists() and mail_server.received == []


def test_each_recipients_message_is_kept_when_the_server_cannot_be_reached(
    writer, editors, mail_server, django_capture_on_commit_callbacks
):
    """A submission to several editors keeps one message for each of them."""
    mail_server.stop()
    article = make_article(title="Ferry", status=Article.Status.DRAFT, published_at=None, created_by=writer)
    Byline.objects.create(article=article, author=writer.author)
    with django_capture_on_commit_callbacks(execute=True):
        transitions.apply(article, "submit", writer)
    assert sorted(r for m in UndeliveredMail.objects.all() for r in m.recipients) == [
        "ana@example.org", "bea@example.org", "cy@example.org"
    ]  # fmt: skip


def test_a_recipient_the_server_refuses_is_kept_with_the_servers_reason(
    writer, editors, mail_server, django_capture_on_commit_callbacks
):
    """The server answers but refuses one mailbox: that message is kept with the 550 it gave, the others go."""
    mail_server.refuse["bea@example.org"] = "550 5.1.1 No such mailbox here"
    article = make_article(title="Tram", status=Article.Status.DRAFT, published_at=None, created_by=writer)
    Byline.objects.create(article=article, author=writer.author)
    with django_capture_on_commit_callbacks(execute=True):
        transitions.apply(article, "submit", writer)
    assert sorted(m["To"] for m in mail_server.received) == ["ana@example.org", "cy@example.org"]
    kept = UndeliveredMail.objects.get()
    assert kept.recipients == ["bea@example.org"] and kept.action == "submit"
    assert "SMTPRecipientsRefused" in kept.error and "550" in kept.error and "No such mailbox here" in kept.error


@pytest.mark.django_db(transaction=True)
def test_two_editors_pressing_send_again_at_once_send_it_once(story, editor, editors, mail_server):
    """The second press arrives while the first is still talking to the server: it sends nothing."""
    mail_server.stop()
    transitions.apply(story, "publish", editor)  # no surrounding transaction: the mail goes at once, and fails
    kept = UndeliveredMail.objects.get()
    mail_server.start()
    mail_server.hold()
    act = reverse("admin:desk_undelivered", args=[kept.pk])
    first, second = Client(), Client()
    first.force_login(editor)
    second.force_login(editors[0])

    def press():
        try:
            first.post(act, {"action": "resend"})
        finally:
            connections.close_all()

    pressing = threading.Thread(target=press)
    pressing.start()
    assert mail_server.arrived.wait(10)  # the first press is in the middle of sending
    answer = second.post(act, {"action": "resend"}, follow=True).content.decode()
    mail_server.release()
    pressing.join(10)
    assert "Someone is sending it right now" in answer
    assert headers(mail_server) == [("wendy@example.org", "[Newsroom] Published: Pier closes")]
    assert not UndeliveredMail.objects.exists()


def test_a_slow_mail_server_never_holds_a_step_past_the_mail_timeout(
    writer, editors, client_for, mail_server, settings, django_capture_on_commit_callbacks
):
    """A server that answers every command, but slowly, would keep the request that made the step waiting past
    the web server's own timeout, which kills it mid-send: the step done, the editor shown an error, and the
    unsent messages kept nowhere. All of a step's mail takes at most NEWSROOM_EMAIL_TIMEOUT_SECONDS; what the
    server has not taken by then is on the desk."""
    settings.EMAIL_TIMEOUT, mail_server.delay = 2, 1.5
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        page = client_for(writer).post(
            reverse("admin:articles_article_add"),
            article_form(title="Quay", body="The quay reopens.", dek="After repairs.", _transition="submit"),
        )
    waited = time.monotonic() - started
    assert page.status_code == 302 and Article.objects.get(title="Quay").status == Article.Status.REVIEW
    assert waited < settings.EMAIL_TIMEOUT + 1, waited
    kept = {r for m in UndeliveredMail.objects.all() for r in m.recipients}
    assert kept and all("had not taken it after 2 seconds" in m.error for m in UndeliveredMail.objects.all())
    assert kept | {m["To"] for m in mail_server.received} == {person.email for person in editors}
