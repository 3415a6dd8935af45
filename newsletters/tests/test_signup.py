"""Asking, confirming and leaving, through the service the pages use (``newsletters.signup``), with the
confirmation sent by the job through a real SMTP server."""

import re

import pytest

from newsletters import notices, signup, tokens
from newsletters.models import Subscriber, Subscription
from newsletters.tests.factories import make_newsletter, make_subscriber

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("", "Enter your e-mail address"),
        ("no-at-sign", "needs a name, an @"),
        ("a" * 250 + "@example.com", "too long"),
        ("reader@exa mple.com", "not an e-mail address"),
        ("reader@example.com\r\nBcc: x@y.z", "characters no e-mail address has"),
        # Encoded words the mail would be sent to another address by (reader@example.com, "victim@evil.example"):
        # each spelling would be an address of its own, with a confirmation of its own, to one mailbox.
        ("=?utf-8?q?reader?=@example.com", "not an e-mail address"),
        ('"=?utf-8?b?cmVhZGVy?="@example.com', "not an e-mail address"),
        ("=?utf-8?q?victim=40evil.example?=@example.com", "not an e-mail address"),
        ('"reader"@example.com', "not an e-mail address"),
        ('"r\\eader"@example.com', "not an e-mail address"),
    ],
)
def test_bad_addresses_are_refused_with_a_reason(address, reason):
    with pytest.raises(signup.BadAddress, match=reason):
        signup.normalise(address)


def test_a_quoted_name_is_kept_and_sent_to_as_it_is(mail_server):
    subscriber = signup.ask('"victim@evil.example,"@example.com', [make_newsletter()])
    assert notices.send(subscriber.pk, signup.CONFIRM)
    (message,) = mail_server.received
    assert message["To"] == '"victim@evil.example,"@example.com' == subscriber.email


def test_the_domain_is_kept_in_lower_case_ascii():
    assert signup.normalise("  Reader@BÜCHER.example ") == "Reader@xn--bcher-kva.example"


def test_double_opt_in(mail_server, django_capture_on_commit_callbacks):
    briefing = make_newsletter("Morning briefing")
    subscriber = signup.ask("reader@example.com", [briefing], source="/articles/a-story/")
    assert subscriber.status == Subscriber.Status.PENDING
    assert notices.send(subscriber.pk, signup.CONFIRM)
    (message,) = mail_server.received
    link = re.search(r"https?://\S+/newsletters/confirm/(\S+)/", message.get_content())
    assert tokens.read(link[1], tokens.CONFIRM) == subscriber
    assert "Morning briefing" in message.get_content()
    assert [n.name for n in signup.confirm(subscriber)] == ["Morning briefing"]
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE
    subscription = Subscription.objects.get(subscriber=subscriber)
    assert subscription.consented_at and subscription.source == "/articles/a-story/"
    assert signup.confirm(subscriber) == []


def test_no_second_notice_within_minutes(mail_server):
    briefing = make_newsletter()
    subscriber = signup.ask("reader@example.com", [briefing])
    assert notices.send(subscriber.pk, signup.CONFIRM)
    assert not notices.send(subscriber.pk, signup.CONFIRM)
    assert len(mail_server.received) == 1


def test_a_link_of_another_purpose_or_after_erasure_opens_nothing():
    subscriber = make_subscriber(make_newsletter())
    token = tokens.make(subscriber, tokens.PREFERENCES)
    with pytest.raises(tokens.BadLink):
        tokens.read(token, tokens.UNSUBSCRIBE)
    with pytest.raises(tokens.BadLink):
        tokens.read(token[:-2] + "xx", tokens.PREFERENCES)
    subscriber.forget_links()
    subscriber.save()
    with pytest.raises(tokens.BadLink):
        tokens.read(token, tokens.PREFERENCES)


def test_unsubscribing_from_every_list_unsubscribes_the_address():
    briefing, breaking = make_newsletter(), make_newsletter()
    subscriber = make_subscriber(briefing)
    Subscription.objects.create(subscriber=subscriber, newsletter=breaking, status=Subscription.Status.ACTIVE)
    signup.unsubscribe(subscriber, briefing)
    assert Subscriber.objects.get(pk=subscriber.pk).status == Subscriber.Status.ACTIVE
    signup.unsubscribe(subscriber, how="one-click")
    assert Subscriber.objects.get(pk=subscriber.pk).status == Subscriber.Status.UNSUBSCRIBED
    assert [e["what"] for e in signup.export(Subscriber.objects.get(pk=subscriber.pk))["events"]] == [
        "unsubscribed",
        "unsubscribed",
    ]


def test_a_confirmation_is_sent_from_the_web_process_when_the_queue_is_down(
    mail_server, dead_broker, django_capture_on_commit_callbacks
):
    from newsroom import jobs

    jobs.forget_refusal()
    briefing = make_newsletter()
    with django_capture_on_commit_callbacks(execute=True):
        subscriber = signup.ask("reader@example.com", [briefing])
    (message,) = mail_server.received
    assert message["To"] == "reader@example.com" and "/newsletters/confirm/" in message.get_content()
    assert Subscriber.objects.get(pk=subscriber.pk).last_mailed_at is not None
    jobs.forget_refusal()
