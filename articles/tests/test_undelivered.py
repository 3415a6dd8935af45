"""E-mail the desk could not send is kept and shown on the desk, to editors and to the article's writers, until
someone sends it again or dismisses it."""

import socket

import pytest
from django.core import mail
from django.urls import reverse

from articles import workflow
from articles.models import Article, Byline, UndeliveredMail

from .factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def mail_server_down(settings):
    """The SMTP backend pointed at a port this test holds and never listens on: every connection is refused."""
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", holder.getsockname()[1]
    settings.EMAIL_USE_TLS, settings.EMAIL_TIMEOUT = False, 2
    yield settings
    holder.close()


@pytest.fixture
def story(writer, editor):
    writer.email, editor.email = "wendy@example.org", "eddie@example.org"
    writer.save()
    editor.save()
    article = make_article(title="Pier closes", status=Article.Status.DRAFT, published_at=None, created_by=writer)
    Byline.objects.create(article=article, author=writer.author)
    return article


def publish(article, editor, capture):
    with capture(execute=True):
        workflow.apply(article, "publish", editor)


def test_a_mail_the_server_refuses_is_on_the_desk_until_sent_again(
    story, writer, editor, other_writer, client_for, mail_server_down, django_capture_on_commit_callbacks
):
    """The step stands; editors and the writer see what was not sent, to whom and why; sending it again once
    the server answers clears it."""
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

    mail_server_down.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the server is back
    assert client.post(act, {"action": "resend"}).status_code == 302
    assert not UndeliveredMail.objects.exists()
    assert [(m.to, m.subject) for m in mail.outbox] == [(["wendy@example.org"], "[Newsroom] Published: Pier closes")]
    assert "E-mail not sent" not in client.get(reverse("admin:index")).content.decode()


def test_the_writer_may_dismiss_what_was_not_sent_about_their_article(
    story, writer, editor, client_for, mail_server_down, django_capture_on_commit_callbacks
):
    """Dismissing clears it from every desk without sending anything."""
    publish(story, editor, django_capture_on_commit_callbacks)
    kept = UndeliveredMail.objects.get()
    client = client_for(writer)
    assert client.get(reverse("admin:desk_undelivered", args=[kept.pk])).status_code == 405
    assert client.post(reverse("admin:desk_undelivered", args=[kept.pk]), {"action": "dismiss"}).status_code == 302
    assert not UndeliveredMail.objects.exists() and mail.outbox == []


def test_each_recipients_message_is_kept_when_the_server_cannot_be_reached(
    writer, editor, client_for, mail_server_down, django_capture_on_commit_callbacks
):
    """A submission to several editors keeps one message for each of them."""
    from django.contrib.auth.models import Group, User

    for name in ("ana", "bea", "cy"):
        User.objects.create_user(name, email=f"{name}@example.org", is_staff=True).groups.add(
            Group.objects.get(name="Editor")
        )
    article = make_article(title="Ferry", status=Article.Status.DRAFT, published_at=None, created_by=writer)
    Byline.objects.create(article=article, author=writer.author)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.apply(article, "submit", writer)
    assert sorted(r for m in UndeliveredMail.objects.all() for r in m.recipients) == [
        "ana@example.org", "bea@example.org", "cy@example.org"
    ]  # fmt: skip
