"""The newsletters on the desk (sends under way, failures of the last day, a withdrawn article already sent, in a
fixed number of queries) and “publish and send” on an article's page (published through the workflow, never
sent when it cannot be)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.tests.factories import make_article, make_author
from articles.workflow import transitions
from newsletters import sending
from newsletters.models import Edition
from newsletters.tests.factories import make_edition, make_newsletter, make_subscriber, send_now

pytestmark = pytest.mark.django_db
DESK = reverse("admin:index")


def publish_and_send_url(article):
    return reverse("admin:newsletters_edition_publish_and_send", args=[article.pk])


def test_the_desk_reports_a_withdrawn_article_already_sent(client_for, editor, mail_server):
    briefing = make_newsletter("Morning briefing")
    for _ in range(4):
        make_subscriber(briefing)
    story = make_article(title="Mayor resigns, sources say")
    kept = make_article(title="Weather turns")
    send_now(make_edition(briefing, [story, kept], subject="Tuesday briefing"))
    client = client_for(editor)
    assert "readers can no longer see it" not in client.get(DESK).content.decode()
    transitions.apply(story, "withdraw", editor, public_note="The report was wrong.")
    page = client.get(DESK).content.decode().split('class="module nl-desk"')[1].split("</section>")[0]
    assert "readers can no longer see it" in page and "Mayor resigns, sources say" in page
    assert '<span class="desk-meta">(withdrawn)</span> went out in' in page
    assert "Tuesday briefing</a>, received by 4" in page and "Weather turns" not in page


def test_the_desk_shows_sends_under_way_and_failures(client_for, editor, mail_server):
    briefing = make_newsletter("Breaking")
    make_subscriber(briefing)
    refused = make_subscriber(briefing, email="nobody@example.com")
    mail_server.refuse[refused.email] = "550 No such user"
    scheduled = make_edition(briefing, intro="Later", subject="Evening edition")
    sending.schedule(scheduled, timezone.now() + timedelta(hours=3))
    paused = make_edition(briefing, intro="Hi", subject="Paused edition")
    sending.queue(paused)
    sending.start(paused.pk)
    sending.pause(paused)
    send_now(make_edition(briefing, intro="Done", subject="Sent with a failure"))
    page = client_for(editor).get(DESK).content.decode()
    assert "Evening edition" in page and "Paused edition" in page and "0 of 2 sent" in page
    assert "Sent with a failure" in page and "1 of 2 failed or bounced" in page


def test_the_desk_costs_the_same_queries_however_many_issues(client_for, editor, mail_server):
    briefing = make_newsletter("Morning")
    make_subscriber(briefing)
    client = client_for(editor)

    def one_round(n):
        for _ in range(n):
            story = make_article()
            send_now(make_edition(briefing, [story]))
            transitions.apply(story, "withdraw", editor, public_note="Wrong.")
            sending.schedule(make_edition(briefing, intro="x"), timezone.now() + timedelta(hours=1))

    one_round(1)
    client.get(DESK)
    with CaptureQueriesContext(connection) as few:
        client.get(DESK)
    one_round(5)
    client.get(DESK)
    with CaptureQueriesContext(connection) as many:
        assert client.get(DESK).status_code == 200
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]


def test_writers_see_no_newsletters_on_the_desk_nor_the_article_panel(client_for, writer):
    make_newsletter("Morning")
    scheduled = make_edition(make_newsletter("Other"), intro="x", subject="Hidden scheduled issue")
    sending.schedule(scheduled, timezone.now() + timedelta(hours=1))
    client = client_for(writer)
    assert "Hidden scheduled issue" not in client.get(DESK).content.decode()
    draft = make_article(status=Article.Status.DRAFT, published_at=None, created_by=writer)
    page = client.get(reverse("admin:articles_article_change", args=[draft.pk])).content.decode()
    assert "Publish and send" not in page
    chosen = {"newsletter": Edition.objects.first().newsletter_id}
    assert client.post(publish_and_send_url(draft), chosen).status_code == 403


def test_publish_and_send_publishes_then_queues_one_issue(client_for, editor, django_capture_on_commit_callbacks):
    breaking = make_newsletter("Breaking news")
    make_subscriber(breaking)
    article = make_article(title="Bridge closed after crash", status=Article.Status.REVIEW, published_at=None,
                           authors=[make_author("Rita Reporter")])  # fmt: skip
    client = client_for(editor)
    page = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert "Publish and send to Breaking news (1)" in page
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(publish_and_send_url(article), {"newsletter": breaking.pk}, follow=True)
    article.refresh_from_db()
    assert article.is_published()
    edition = Edition.objects.get()
    assert edition.status == Edition.Status.QUEUED and edition.source_article == article
    assert edition.subject == "Bridge closed after crash" and list(edition.articles.all()) == [article]
    assert "Published, and on its way to Breaking news" in response.content.decode()
    page = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert "Send to Breaking news (1)" in page and "Publish and send to" not in page


def test_an_embargoed_article_is_neither_published_nor_sent(client_for, editor):
    breaking = make_newsletter("Breaking news")
    make_subscriber(breaking)
    article = make_article(title="Report under embargo", status=Article.Status.REVIEW, published_at=None,
                           authors=[make_author("Rita Reporter")],
                           embargo_until=timezone.now() + timedelta(hours=5))  # fmt: skip
    response = client_for(editor).post(publish_and_send_url(article), {"newsletter": breaking.pk}, follow=True)
    assert "Not published, and not sent" in response.content.decode() and "embargoed" in response.content.decode()
    article.refresh_from_db()
    assert not article.is_published() and not Edition.objects.exists()


def test_an_article_failing_its_checklist_sends_nothing(client_for, editor):
    breaking = make_newsletter("Breaking news")
    article = make_article(title="", status=Article.Status.REVIEW, published_at=None)
    response = client_for(editor).post(publish_and_send_url(article), {"newsletter": breaking.pk}, follow=True)
    assert "Not published, and not sent" in response.content.decode()
    assert not Edition.objects.exists()


def test_publish_and_send_needs_a_list(client_for, editor):
    article = make_article()
    for value in ("", "abc", "99999", "1" * 40):
        response = client_for(editor).post(publish_and_send_url(article), {"newsletter": value}, follow=True)
        assert "Choose the list" in response.content.decode()
    assert not Edition.objects.exists()
