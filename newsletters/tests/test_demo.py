"""The demo's newsletters (``manage.py demo_newsletters``): two lists, three dozen confirmed subscribers with
their consent, a sent briefing and a draft, written without sending any mail; a second run changes nothing."""

import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.forms.models import model_to_dict

from articles.models import Article
from newsletters import sending
from newsletters.models import Delivery, Edition, Newsletter, Subscriber, SubscriberEvent, Subscription
from newsroom import jobs

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path):
    settings.DEBUG, settings.VAR_DIR = True, tmp_path
    call_command("import_markdown", "demo/content", stdout=io.StringIO())
    call_command("demo_editor", stdout=io.StringIO())
    call_command("demo_live", stdout=io.StringIO())


def everything():
    """Every row the command may write, field by field."""
    models = (Newsletter, Subscriber, Subscription, SubscriberEvent, Edition, Delivery)
    return {model.__name__: [model_to_dict(row) for row in model.objects.order_by("pk")] for model in models}


def test_the_demo_has_two_lists_subscribers_a_sent_briefing_and_a_draft(demo, dead_broker):
    """Everything a newcomer sees on the desk, with no message sent and no job asked for (the broker is dead: a
    job asked for would be refused, and the refusal remembered)."""
    out = io.StringIO()
    call_command("demo_newsletters", stdout=out)
    briefing, breaking = Newsletter.objects.order_by("position")
    assert (briefing.name, briefing.cadence, breaking.name) == ("Morning briefing", "Weekday mornings", "Breaking news")
    assert not briefing.sections.exists()  # a digest of every section
    subscribers = Subscriber.objects.all()
    assert 24 <= subscribers.count() <= 60
    assert all(s.email.endswith("@example.com") and s.status == Subscriber.Status.ACTIVE for s in subscribers)
    subscriptions = Subscription.objects.all()
    assert all(s.source == "demo" and s.consented_at and s.status == Subscription.Status.ACTIVE for s in subscriptions)
    assert subscriptions.filter(newsletter=breaking).exists()

    sent = Edition.objects.get(status=Edition.Status.SENT)
    assert sent.newsletter == briefing and sent.mode == Edition.Mode.DIGEST
    assert (
        sent.total
        == sending.audience(briefing.pk, sent.started_at).count()
        == subscriptions.filter(newsletter=briefing).count()
    )
    assert sending.progress(sent)[Delivery.Status.SENT] == sent.total == Delivery.objects.count()
    shown = Article.objects.filter(pk__in=sent.rendered_articles)
    assert len(sent.rendered_articles) >= 5 and all(a.title in sent.html and a.title in sent.text for a in shown)
    draft = Edition.objects.get(status=Edition.Status.DRAFT)
    assert draft.newsletter == breaking and list(draft.articles.values_list("source_key", flat=True)) == ["demo:live"]
    assert not sending.problems(draft)
    assert mail.outbox == [] and not jobs.refused_within(60)
    assert "marked sent (no mail)" in out.getvalue()

    before = everything()
    again = io.StringIO()
    call_command("demo_newsletters", stdout=again)
    assert "already there" in again.getvalue()
    assert everything() == before


def test_the_newsletter_demo_needs_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG"):
        call_command("demo_newsletters", stdout=io.StringIO())
    assert not Newsletter.objects.exists()
