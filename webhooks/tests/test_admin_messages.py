"""What the webhook pages tell an editor: a test event or a resend asked of an endpoint that is turned off is
named as sent nothing (not announced as on its way), counts read as English, and the delivery log is read-only
(no Save button on a delivery, whose every field is a record)."""

import uuid

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from webhooks.models import Delivery, Endpoint, Kind

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_jobs")]
ENDPOINTS = reverse("admin:webhooks_endpoint_changelist")
LOG = reverse("admin:webhooks_delivery_changelist")


def told(response):
    return [(m.level_tag, m.message) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def turned_off(endpoint):
    endpoint.description = "Harbour app"
    endpoint.active, endpoint.disabled_at = False, timezone.now()
    endpoint.disabled_reason = "Turned off after 15 failed attempts in a row since yesterday."
    endpoint.save()
    return endpoint


def given_up(endpoint):
    return Delivery.objects.create(endpoint=endpoint, event_id=uuid.uuid4(), kind=Kind.ARTICLE_PUBLISHED,
                                   body='{"type":"article.published"}', status=Delivery.Status.GIVEN_UP)  # fmt: skip


def test_a_test_event_asked_of_an_endpoint_turned_off_says_it_was_sent_nothing(
    client_for, editor, turned_off, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(editor).post(
            ENDPOINTS, {"action": "send_test_event", "_selected_action": [turned_off.pk]}
        )
    assert receiver.received == []
    [(level, message)] = told(response)
    assert level == "warning" and "Harbour app" in message and "turned off" in message, message


def test_a_resend_to_an_endpoint_turned_off_says_it_was_sent_nothing(
    client_for, editor, turned_off, receiver, django_capture_on_commit_callbacks
):
    delivery = given_up(turned_off)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(editor).post(LOG, {"action": "resend", "_selected_action": [delivery.pk]})
    assert receiver.received == []
    [(level, message)] = told(response)
    assert level == "warning" and "Harbour app" in message and "turned off" in message, message


def test_a_resend_of_one_delivery_says_one_delivery(client_for, editor, endpoint, receiver):
    delivery = given_up(endpoint)
    response = client_for(editor).post(LOG, {"action": "resend", "_selected_action": [delivery.pk]})
    [(level, message)] = told(response)
    assert level == "success" and message.startswith("1 delivery will be sent again"), message


def test_the_desk_counts_one_delivery_given_up_in_the_singular(client_for, editor, turned_off):
    given_up(turned_off)
    desk = client_for(editor).get(reverse("admin:index")).content.decode()
    assert "1 delivery given up." in desk and "1 deliveries" not in desk
    assert '<ul class="desk-list" aria-labelledby="webhooks-desk-title">' in desk  # as the desk's other lists


def test_a_delivery_is_shown_to_an_editor_with_no_save_button(client_for, editor, endpoint):
    delivery = given_up(endpoint)
    page = client_for(editor).get(reverse("admin:webhooks_delivery_change", args=[delivery.pk]))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode() and 'name="_continue"' not in page.content.decode()
    assert Endpoint.objects.get().pk == endpoint.pk


def test_the_secret_shown_is_the_one_saved(client_for, editor, receiver):
    """The add form shows no secret (one made for the unsaved form would not be the one saved); saving leads to the
    endpoint's page, which shows the secret its deliveries are signed with."""
    client = client_for(editor)
    form = client.get(reverse("admin:webhooks_endpoint_add")).content.decode()
    assert "whsec_" not in form
    response = client.post(
        reverse("admin:webhooks_endpoint_add"),
        {"url": receiver.url, "description": "Harbour app", "events": ["article.published"], "active": "on"},
    )
    endpoint = Endpoint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:webhooks_endpoint_change", args=[endpoint.pk])
    assert endpoint.secret in client.get(response["Location"]).content.decode()


def test_an_endpoints_page_links_to_its_deliveries(client_for, editor, turned_off):
    """From the desk's note to the endpoint's page, and from there to what was sent to it: on a phone the list's
    column with that link is out of sight."""
    page = client_for(editor).get(reverse("admin:webhooks_endpoint_change", args=[turned_off.pk])).content.decode()
    assert f'href="{LOG}?endpoint__id__exact={turned_off.pk}"' in page
