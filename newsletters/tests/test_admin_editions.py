"""Issues in the admin, through the test client: composed, previewed (no unpublished article in it), tested to
oneself through a real SMTP server, scheduled, sent, paused, resumed and cancelled by POST, with the progress of
a send on the change page; writers see issues but cannot send them."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.tests.factories import make_article
from newsletters import delivery, sending
from newsletters.models import Delivery, Edition, EditionArticle
from newsletters.tests.factories import make_edition, make_newsletter, make_subscriber

pytestmark = pytest.mark.django_db


def url(name, edition):
    return reverse(f"admin:newsletters_edition_{name}", args=[edition.pk])


@pytest.fixture
def issue():
    briefing = make_newsletter("Morning briefing")
    story = make_article(title="Harbour reopens after storm")
    draft = make_article(title="Secret merger draft", status=Article.Status.DRAFT, published_at=None)
    for _ in range(3):
        make_subscriber(briefing)
    return make_edition(briefing, [story, draft], intro="Good **morning**.")


def run_send(edition):
    sending.start(edition.pk)
    while delivery.Sender(edition.pk).run():
        pass
    edition.refresh_from_db()
    return edition


def test_every_screen_renders_for_an_editor(client_for, editor, issue):
    client = client_for(editor)
    for address in [reverse("admin:newsletters_edition_changelist"), reverse("admin:newsletters_edition_add"),
                    url("change", issue), url("preview", issue), url("preview_message", issue),
                    url("preview_text", issue), url("send", issue)]:  # fmt: skip
        assert client.get(address).status_code == 200, address


def test_an_editor_composes_an_issue_with_articles_in_order(client_for, editor):
    briefing = make_newsletter("Evening")
    first, second = make_article(title="First"), make_article(title="Second")
    response = client_for(editor).post(reverse("admin:newsletters_edition_add"), {
        "newsletter": briefing.pk, "subject": "Tonight", "preheader": "", "intro": "Hello", "mode": "chosen",
        "entries-TOTAL_FORMS": "2", "entries-INITIAL_FORMS": "0",
        "entries-0-article": second.pk, "entries-0-position": "2",
        "entries-1-article": first.pk, "entries-1-position": "1",
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    edition = Edition.objects.get(subject="Tonight")
    assert edition.created_by == editor
    assert [e.article.title for e in edition.entries.all()] == ["First", "Second"]


def test_the_change_page_warns_of_articles_left_out(client_for, editor, issue):
    page = client_for(editor).get(url("change", issue)).content.decode()
    assert "will be left out" in page and "Secret merger draft" in page


def test_the_preview_shows_no_unpublished_article_and_no_marker(client_for, editor, issue):
    client = client_for(editor)
    message = client.get(url("preview_message", issue))
    html = message.content.decode()
    assert "Harbour reopens after storm" in html and "Secret merger draft" not in html
    assert "nr-unsubscribe-link" not in html and "nr-preferences-link" not in html and 'href="#"' in html
    assert message["X-Frame-Options"] == "SAMEORIGIN" and "script-src" not in message["Content-Security-Policy"]
    page = client.get(url("preview", issue)).content.decode()
    assert 'sandbox=""' in page and url("preview_message", issue) in page and "Secret merger draft" in page
    text = client.get(url("preview_text", issue)).content.decode()
    assert "Harbour reopens after storm" in text and "Secret merger draft" not in text
    assert "nr-unsubscribe-link" not in text


def test_send_a_test_to_yourself_through_the_mail_server(client_for, editor, issue, mail_server):
    editor.email = "eddie@newsroom.example"
    editor.save()
    response = client_for(editor).post(url("test", issue), follow=True)
    assert "was sent to eddie@newsroom.example" in response.content.decode()
    (message,) = mail_server.received
    assert message["To"] == "eddie@newsroom.example" and message["Subject"] == "[Test] Your morning briefing"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    html = message.get_body(("html",)).get_content()
    assert "Harbour reopens after storm" in html and "Secret merger draft" not in html
    assert not Delivery.objects.exists()
    issue.refresh_from_db()
    assert issue.status == Edition.Status.DRAFT


def test_a_test_refused_by_the_server_says_why(client_for, editor, issue, mail_server):
    editor.email = "eddie@newsroom.example"
    editor.save()
    mail_server.refuse["eddie@newsroom.example"] = "550 No such mailbox here"
    page = client_for(editor).post(url("test", issue), follow=True).content.decode()
    assert "The test was not sent" in page and "No such mailbox here" in page


def test_no_test_without_an_address(client_for, editor, issue, mail_server):
    page = client_for(editor).post(url("test", issue), follow=True).content.decode()
    assert "has no e-mail address" in page and not mail_server.received


def test_writers_see_issues_but_cannot_send(client_for, writer, issue, mail_server):
    client = client_for(writer)
    assert client.get(url("change", issue)).status_code == 200
    assert client.get(url("preview", issue)).status_code == 200
    for name in ("test", "send", "act", "duplicate"):
        assert client.post(url(name, issue), {"action": "cancel"}).status_code == 403, name
    assert client.get(url("send", issue)).status_code == 403
    issue.refresh_from_db()
    assert issue.status == Edition.Status.DRAFT and not mail_server.received


def test_send_now_confirms_the_list_and_its_count_then_queues(client_for, editor, issue):
    client = client_for(editor)
    page = client.get(url("send", issue)).content.decode()
    assert "Morning briefing" in page and "3 subscribers" in page
    client.post(url("send", issue))
    issue.refresh_from_db()
    assert issue.status == Edition.Status.QUEUED
    again = client.post(url("send", issue), follow=True).content.decode()
    assert "only a draft or a scheduled issue can be sent" in again


def test_schedule_unschedule_and_cancel(client_for, editor, issue):
    client = client_for(editor)
    past = client.post(url("act", issue), {"action": "schedule", "send_at": "2001-01-01T09:00"}, follow=True)
    assert "a time in the future" in past.content.decode()
    when = timezone.localtime() + timedelta(days=1)
    client.post(url("act", issue), {"action": "schedule", "send_at": when.strftime("%Y-%m-%dT%H:%M")})
    issue.refresh_from_db()
    assert issue.status == Edition.Status.SCHEDULED
    assert abs(issue.send_at - when.replace(second=0, microsecond=0)) < timedelta(seconds=1)
    page = client.get(url("change", issue)).content.decode()
    assert "Unschedule" in page and 'name="subject"' not in page  # no longer editable
    client.post(url("act", issue), {"action": "unschedule"})
    issue.refresh_from_db()
    assert issue.status == Edition.Status.DRAFT and issue.send_at is None
    client.post(url("act", issue), {"action": "cancel"})
    issue.refresh_from_db()
    assert issue.status == Edition.Status.CANCELLED
    refused = client.post(url("act", issue), {"action": "pause"}, follow=True).content.decode()
    assert "Only an issue being sent can be paused" in refused
    assert client.post(url("act", issue), {"action": "explode"}, follow=True).status_code == 200


def test_pause_resume_and_the_progress_of_a_send(client_for, editor, issue, mail_server):
    client = client_for(editor)
    bad = make_subscriber(issue.newsletter, email="gone@example.com")
    mail_server.refuse[bad.email] = "550 5.1.1 No such user"
    client.post(url("send", issue))
    sending.start(issue.pk)
    client.post(url("act", issue), {"action": "pause"})
    issue.refresh_from_db()
    assert issue.status == Edition.Status.PAUSED
    page = client.get(url("change", issue)).content.decode()
    assert "0 of 4" in page and "Resume" in page and "Paused by an editor." in page
    client.post(url("act", issue), {"action": "resume"})
    issue.refresh_from_db()
    assert issue.status == Edition.Status.SENDING
    while delivery.Sender(issue.pk).run():
        pass
    issue.refresh_from_db()
    assert issue.status == Edition.Status.SENT
    page = client.get(url("change", issue)).content.decode()
    assert "3 of 4" in page and "gone@example.com" in page and "No such user" in page
    assert "<dt>Bounced</dt><dd>1</dd>" in page or "<dt>Failed</dt><dd>1</dd>" in page
    assert issue.finished_at is not None


def test_a_sent_issue_is_read_only_and_can_be_duplicated(client_for, editor, issue, mail_server):
    client = client_for(editor)
    sending.queue(issue)
    run_send(issue)
    page = client.get(url("change", issue)).content.decode()
    assert 'name="subject"' not in page and "Duplicate as a new draft" in page
    response = client.post(url("change", issue), {"subject": "Changed", "newsletter": issue.newsletter_id})
    issue.refresh_from_db()
    assert issue.subject == "Your morning briefing" and response.status_code < 500
    copy_page = client.post(url("duplicate", issue), follow=True)
    copy = Edition.objects.exclude(pk=issue.pk).get()
    assert copy.status == Edition.Status.DRAFT and copy.subject == issue.subject
    assert list(copy.entries.values_list("article_id", flat=True)) == list(
        EditionArticle.objects.filter(edition=issue).values_list("article_id", flat=True)
    )
    assert 'name="subject"' in copy_page.content.decode()


@pytest.mark.parametrize("value", ["-1", str(2**31), str(2**63), str(2**70), "1.5", "abc", "line\nbreak"])
def test_hostile_values_are_form_errors_not_crashes(client_for, editor, issue, value):
    client = client_for(editor)
    response = client.post(reverse("admin:newsletters_edition_add"), {
        "newsletter": value, "subject": value, "preheader": value, "intro": "x", "mode": value,
        "entries-TOTAL_FORMS": "1", "entries-INITIAL_FORMS": "0",
        "entries-0-article": value, "entries-0-position": value,
    })  # fmt: skip
    assert response.status_code == 200
    scheduled = client.post(url("act", issue), {"action": "schedule", "send_at": value}, follow=True)
    assert scheduled.status_code == 200 and "Give the date and time" in scheduled.content.decode()
    assert client.get(url("change", issue) + "?problems=" + value.replace("\n", "%0A")).status_code == 200
    listed = client.get(reverse("admin:newsletters_edition_changelist"), {"newsletter__id__exact": value})
    assert listed.status_code in (200, 302)
    lists = client.post(reverse("admin:newsletters_newsletter_add"), {"name": value, "slug": value, "position": value})
    assert lists.status_code < 500
