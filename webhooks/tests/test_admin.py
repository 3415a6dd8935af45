"""Webhooks in the admin: the endpoint's secret to copy, the delivery log (status, attempts, latency, the answer's
start) with its filters, "Resend" (a POST, for editors only), and an endpoint turned off after repeated failures,
shown on the desk until an editor turns it on again."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from webhooks import fanout, sending
from webhooks.models import Delivery, Endpoint

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_jobs")]
DESK = reverse("admin:index")
LOG = reverse("admin:webhooks_delivery_changelist")
EVENT = "5d0c3a9e-1f2b-4c6d-8e7f-9a0b1c2d3e4f"


def sent(kinds=("article.published",)):
    """One delivery of each kind, fanned out and sent (the jobs run after the rows commit)."""
    pks = []
    for n, kind in enumerate(kinds):
        pks += fanout.fan_out(kind, EVENT[:-1] + str(n), f'{{"type":"{kind}","marker":"body-marker-{n}"}}')
    for pk in pks:
        sending.deliver(pk)
    return pks


def test_the_endpoint_page_shows_its_secret_to_copy(client_for, editor, endpoint):
    page = client_for(editor).get(reverse("admin:webhooks_endpoint_change", args=[endpoint.pk]))
    assert page.status_code == 200
    assert endpoint.secret in page.content.decode()


def test_the_log_shows_each_attempt_and_filters_by_endpoint_status_and_kind(client_for, editor, endpoint, receiver):
    receiver.answers = [503]
    failed, succeeded = sent(["article.published", "article.deleted"])
    client = client_for(editor)
    for query, shown in [
        ("", {failed, succeeded}),
        ("?status__exact=failed", {failed}),
        ("?kind__exact=article.deleted", {succeeded}),
        (f"?endpoint__id__exact={endpoint.pk}", {failed, succeeded}),
    ]:
        response = client.get(LOG + query)
        assert response.status_code == 200
        assert {d.pk for d in response.context["cl"].result_list} == shown, query
    page = client.get(reverse("admin:webhooks_delivery_change", args=[failed])).content.decode()
    assert "answer 503" in page and "answered HTTP 503" in page and "body-marker-0" in page


def test_resend_from_the_admin_sends_the_same_webhook_id(
    client_for, editor, endpoint, receiver, django_capture_on_commit_callbacks
):
    [pk] = sent()
    client = client_for(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(LOG, {"action": "resend", "_selected_action": [pk]})
    assert response.status_code == 302
    assert len(receiver.received) == 2 and len(set(receiver.ids())) == 1
    assert Delivery.objects.get().attempt_log.count() == 2


def test_a_writer_can_neither_read_the_log_nor_resend(client_for, writer, endpoint, receiver):
    [pk] = sent()
    client = client_for(writer)
    assert client.get(LOG).status_code == 403
    assert client.post(LOG, {"action": "resend", "_selected_action": [pk]}).status_code == 403
    assert len(receiver.received) == 1


def fail_for(hours, receiver):
    """Every attempt fails, for ``hours``: the sweep tries again every 10 minutes of a moved clock."""
    receiver.answers = [500] * 1000
    start = timezone.now()
    sent()
    for minutes in range(10, int(hours * 60) + 1, 10):
        with time_machine.travel(start + timedelta(minutes=minutes)):
            sending.sweep()


def test_an_endpoint_failing_for_hours_is_turned_off_and_shown_on_the_desk(client_for, editor, endpoint, receiver,
                                                                            settings):  # fmt: skip
    settings.NEWSROOM_WEBHOOK_DISABLE_FAILURES, settings.NEWSROOM_WEBHOOK_DISABLE_HOURS = 5, 3
    fail_for(2, receiver)
    endpoint.refresh_from_db()
    assert endpoint.active and endpoint.consecutive_failures >= 5  # failing, but not for long enough
    fail_for(4, receiver)
    endpoint.refresh_from_db()
    assert not endpoint.active and endpoint.disabled_at is not None
    assert "failed attempts in a row" in endpoint.disabled_reason
    tried = len(receiver.received)
    sending.sweep(timezone.now() + timedelta(days=1))
    assert len(receiver.received) == tried  # an endpoint turned off is sent nothing
    client = client_for(editor)
    desk = client.get(DESK).content.decode()
    assert 'class="module webhooks-desk"' in desk and endpoint.disabled_reason in desk
    response = client.post(
        reverse("admin:webhooks_endpoint_change", args=[endpoint.pk]),
        {"url": endpoint.url, "description": endpoint.description, "events": endpoint.events, "active": "on"},
    )
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.active and endpoint.consecutive_failures == 0 and endpoint.disabled_at is None
    assert 'class="module webhooks-desk"' not in client.get(DESK).content.decode()


def test_a_success_starts_the_count_of_failures_again(endpoint, receiver):
    receiver.answers = [500, 500]
    sent(["article.published", "article.updated", "article.deleted"])
    assert Endpoint.objects.get().consecutive_failures == 0


def test_an_editor_sends_a_test_event_and_sees_the_answer_in_the_log(
    client_for, editor, endpoint, receiver, django_capture_on_commit_callbacks
):
    endpoint.events = ["article.deleted"]  # a test event goes whatever the endpoint chose
    endpoint.save()
    client = client_for(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:webhooks_endpoint_changelist"),
            {"action": "send_test_event", "_selected_action": [endpoint.pk]},
        )
    assert response.status_code == 302
    [body] = receiver.verified()
    assert body["type"] == "webhook.test"
    log = client.get(LOG + "?kind__exact=webhook.test")
    [delivery] = log.context["cl"].result_list
    assert delivery.status == Delivery.Status.SUCCEEDED
    form = client.get(reverse("admin:webhooks_endpoint_add")).content.decode()
    assert 'value="article.published"' in form and 'value="webhook.test"' not in form


def test_a_writer_cannot_send_a_test_event(client_for, writer, endpoint, receiver):
    response = client_for(writer).post(
        reverse("admin:webhooks_endpoint_changelist"), {"action": "send_test_event", "_selected_action": [endpoint.pk]}
    )
    assert response.status_code == 403 and receiver.received == []
