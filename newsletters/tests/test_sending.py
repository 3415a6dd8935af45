"""Sending an issue through a real SMTP server (``mail_server``): one copy each to the subscribers who receive it,
with their own links and RFC 8058's headers, and nothing about an article readers cannot see."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from articles.tests.factories import make_article
from newsletters import delivery, sending
from newsletters.models import Delivery, Edition, Subscriber, receiving
from newsletters.tests.factories import make_edition, make_newsletter, make_subscriber, send_now

pytestmark = pytest.mark.django_db


def html_of(message):
    return message.get_body(("html",)).get_content()


def text_of(message):
    return message.get_body(("plain",)).get_content()


def test_one_copy_to_each_receiving_subscriber(mail_server):
    briefing = make_newsletter("Morning briefing")
    other = make_newsletter("Other")
    story = make_article(title="Council votes on the budget")
    readers = [make_subscriber(briefing) for _ in range(5)]
    make_subscriber(briefing, status=Subscriber.Status.PENDING)
    make_subscriber(briefing, paused_until=timezone.now() + timedelta(days=3))
    make_subscriber(briefing, status=Subscriber.Status.UNSUBSCRIBED)
    make_subscriber(other)
    edition = send_now(make_edition(briefing, [story], intro="Good **morning**."))
    assert edition.status == Edition.Status.SENT
    assert sorted(m["To"] for m in mail_server.received) == sorted(r.email for r in readers)
    message = mail_server.received[0]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert (
        message["List-Unsubscribe"].startswith("<http") and "/newsletters/unsubscribe/" in message["List-Unsubscribe"]
    )
    assert "Council votes on the budget" in html_of(message) and "<strong>morning</strong>" in html_of(message)
    assert "Council votes on the budget" in text_of(message)
    assert message["To"] in text_of(message)
    assert "nr-unsubscribe-link" not in html_of(message) + text_of(message)
    assert len({m["Message-ID"] for m in mail_server.received}) == 5
    assert sending.progress(edition)[Delivery.Status.SENT] == 5


def test_an_unpublished_article_is_never_in_a_message(mail_server):
    briefing = make_newsletter()
    make_subscriber(briefing)
    public = make_article(title="Public story")
    draft = make_article(title="Secret draft", status=Article.Status.DRAFT)
    send_now(make_edition(briefing, [public, draft]))
    (message,) = mail_server.received
    assert "Secret draft" not in html_of(message) + text_of(message)


def test_a_permanent_refusal_bounces_the_address(mail_server):
    briefing = make_newsletter()
    good, bad = make_subscriber(briefing), make_subscriber(briefing)
    mail_server.refuse[bad.email] = "550 No such user"
    edition = send_now(make_edition(briefing, [make_article()]))
    assert [m["To"] for m in mail_server.received] == [good.email]
    bad.refresh_from_db()
    assert bad.status == Subscriber.Status.BOUNCED and "550" in bad.bounce_reason
    assert edition.status == Edition.Status.SENT


def test_a_temporary_refusal_is_tried_again_later(mail_server):
    briefing = make_newsletter()
    reader = make_subscriber(briefing)
    mail_server.refuse[reader.email] = "451 Try again later"
    edition = make_edition(briefing, [make_article()])
    sending.queue(edition)
    sending.start(edition.pk)
    delivery.Sender(edition.pk).run()
    row = Delivery.objects.get(edition=edition)
    assert row.status == Delivery.Status.DEFERRED and row.due_at > timezone.now()
    del mail_server.refuse[reader.email]
    Delivery.objects.filter(pk=row.pk).update(due_at=timezone.now())
    delivery.Sender(edition.pk).run()
    assert [m["To"] for m in mail_server.received] == [reader.email]


def test_a_paused_send_stops_and_resumes_where_it_was(mail_server, settings):
    settings.NEWSROOM_NEWSLETTER_BATCH = 3
    briefing = make_newsletter()
    readers = [make_subscriber(briefing) for _ in range(7)]
    edition = make_edition(briefing, [make_article()])
    sending.queue(edition)
    sending.start(edition.pk)
    sender = delivery.Sender(edition.pk)
    sender.refresh()
    rows, lease = delivery.take(sender.edition, 3)
    for row in rows:
        sender.deliver(row, lease)
    sending.pause(Edition.objects.get(pk=edition.pk))
    assert delivery.Sender(edition.pk).run() is False
    assert len(mail_server.received) == 3
    sending.resume(Edition.objects.get(pk=edition.pk))
    while delivery.Sender(edition.pk).run():
        pass
    assert sorted(m["To"] for m in mail_server.received) == sorted(r.email for r in readers)
    assert Edition.objects.get(pk=edition.pk).status == Edition.Status.SENT


def test_an_article_withdrawn_mid_send_leaves_the_messages_not_yet_sent(mail_server, settings):
    settings.NEWSROOM_NEWSLETTER_BATCH = 2
    briefing = make_newsletter()
    for _ in range(4):
        make_subscriber(briefing)
    kept, withdrawn = make_article(title="Kept story"), make_article(title="Story withdrawn later")
    edition = make_edition(briefing, [kept, withdrawn])
    sending.queue(edition)
    sending.start(edition.pk)
    sender = delivery.Sender(edition.pk)
    sender.refresh()
    rows, lease = delivery.take(sender.edition, 2)
    for row in rows:
        sender.deliver(row, lease)
    Article.objects.filter(pk=withdrawn.pk).update(status=Article.Status.WITHDRAWN)
    while delivery.Sender(edition.pk).run():
        pass
    bodies = [html_of(m) + text_of(m) for m in mail_server.received]
    assert [("Story withdrawn later" in body) for body in bodies] == [True, True, False, False]
    assert all("Kept story" in body for body in bodies)


def test_addresses_on_the_site_are_absolute_in_messages(mail_server):
    from articles.models import SiteSettings

    briefing = make_newsletter()
    make_subscriber(briefing)
    intro = "See [the archive](/archive/).\n\n![A chart](/media/a.jpg)"
    send_now(make_edition(briefing, [make_article()], intro=intro))
    html = html_of(mail_server.received[0])
    site = SiteSettings.current().absolute("/")
    assert 'href="/' not in html and 'src="/' not in html and 'srcset="/' not in html
    assert f'href="{site}archive/"' in html and f'src="{site}media/a.jpg"' in html


def test_srcset_candidates_on_the_site_are_made_absolute():
    from articles.models import SiteSettings
    from newsletters.messages import absolute_links

    site = SiteSettings.current()
    html = absolute_links('<source srcset="/m/a.webp 400w, https://cdn.example/b.webp 800w, //x.example/c 9w">', site)
    root = site.absolute("/")
    assert html == f'<source srcset="{root}m/a.webp 400w, https://cdn.example/b.webp 800w, //x.example/c 9w">'


def test_a_list_name_with_brackets_or_commas_keeps_the_list_id_whole(mail_server):
    """RFC 2919: the List-Id's name is a phrase; a name with "<", ">" or "," is quoted, so that a mail client reads
    the list's own identifier and not a piece of its name."""
    briefing = make_newsletter('News, "late" <edition> \\ more')
    make_subscriber(briefing)
    send_now(make_edition(briefing, [make_article()]))
    (message,) = mail_server.received
    assert message["List-Id"] == f'"News, \\"late\\" <edition> \\\\ more" <{briefing.slug}.127.0.0.1>'


def test_who_receives_is_one_rule_for_the_query_and_the_instance():
    """Every status × no pause, a pause over, a pause running: ``receiving`` selects exactly the addresses whose
    ``receives`` is true, and only active unpaused ones."""
    now = timezone.now()
    expected = set()
    for status in Subscriber.Status.values:
        for paused_until in (None, now - timedelta(days=1), now + timedelta(days=1)):
            subscriber = make_subscriber(status=status, paused_until=paused_until)
            if status == Subscriber.Status.ACTIVE and paused_until != now + timedelta(days=1):
                expected.add(subscriber.pk)
            assert subscriber.receives == (subscriber.pk in expected), (status, paused_until)
    assert set(Subscriber.objects.filter(receiving(now)).values_list("pk", flat=True)) == expected


def test_an_article_withdrawn_mid_batch_is_out_of_the_next_messages_and_on_the_desk(mail_server, monkeypatch):
    from newsletters.admin.desk import withdrawn_sent

    monkeypatch.setattr(delivery, "CHECK_EVERY", 2)
    briefing = make_newsletter()
    for _ in range(6):
        make_subscriber(briefing)
    withdrawn = make_article(title="Story withdrawn later")
    edition = make_edition(briefing, [make_article(title="Kept story"), withdrawn])
    sending.queue(edition)
    sending.start(edition.pk)
    deliver, calls = delivery.Sender.deliver, []

    def deliver_then_withdraw(sender, row, lease):
        done = deliver(sender, row, lease)
        calls.append(row)
        if len(calls) == 2:  # the editor withdraws it while the batch is being sent
            Article.objects.filter(pk=withdrawn.pk).update(status=Article.Status.WITHDRAWN)
        return done

    monkeypatch.setattr(delivery.Sender, "deliver", deliver_then_withdraw)
    while delivery.Sender(edition.pk).run():
        pass
    carried = ["Story withdrawn later" in html_of(m) + text_of(m) for m in mail_server.received]
    assert carried == [True, True, False, False, False, False]
    ((article, state, issues),) = withdrawn_sent(timezone.now())
    assert article == withdrawn and state == "Withdrawn"
    assert [(issue.pk, received) for issue, received in issues] == [(edition.pk, 2)]
