"""An editor's webhook pages at a desktop's and a phone's width: the endpoint form, an endpoint with its secret, the
delivery log and a delivery with its attempts, and the desk's note of an endpoint turned off, pass axe-core (WCAG
2.1 A and AA), log no console error and are no wider than the screen."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.browsing import axe_violations, sign_in
from webhooks.models import Attempt, Delivery, Endpoint, Kind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WIDTHS = {"desktop": (1440, 900), "phone": (390, 844)}


@pytest.fixture
def log():
    """An endpoint turned off after failing, with a delivery given up and its attempts."""
    now = timezone.now()
    endpoint = Endpoint.objects.create(
        url="https://partner.example.com/hooks/newsroom/with/a/rather/long/path", description="Partner app",
        events=[kind for kind, _ in Kind.subscribable()], active=False, consecutive_failures=15,
        failing_since=now - timedelta(days=1),
        disabled_at=now, disabled_reason="Turned off after 15 failed attempts in a row since yesterday.",
    )  # fmt: skip
    body = (
        '{"type":"article.published","timestamp":"2026-12-06T10:00:00+00:00","data":{"id":42,"title":"'
        + ("A long headline " * 12)
        + '","api_url":"https://news.example.com/api/v1/articles/42"}}'
    )
    delivery = Delivery.objects.create(endpoint=endpoint, event_id=uuid.uuid4(), kind=Kind.ARTICLE_PUBLISHED,
                                       body=body, status=Delivery.Status.GIVEN_UP, attempts=2,
                                       last_result="answered HTTP 503")  # fmt: skip
    Attempt.objects.create(
        delivery=delivery,
        status_code=503,
        error="answered HTTP 503",
        latency_ms=120,
        response_excerpt="<html><body>Service unavailable " + "x" * 300 + "</body></html>",
    )
    Attempt.objects.create(delivery=delivery, error="cannot reach https://partner.example.com/hooks: timed out",
                           latency_ms=15000)  # fmt: skip
    return endpoint, delivery


def test_an_editors_webhook_pages_pass_axe_at_both_widths(browser, live_server, console_errors, editor, log):
    endpoint, delivery = log
    sign_in(browser, live_server, editor)
    pages = [
        reverse("admin:index"),
        reverse("admin:webhooks_endpoint_changelist"),
        reverse("admin:webhooks_endpoint_add"),
        reverse("admin:webhooks_endpoint_change", args=[endpoint.pk]),
        reverse("admin:webhooks_delivery_changelist"),
        reverse("admin:webhooks_delivery_change", args=[delivery.pk]),
    ]
    found = {}
    for label, size in WIDTHS.items():
        browser.set_window_size(*size)
        for page in pages:
            browser.get(live_server.url + page)
            wider = browser.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            problems = {"axe": axe_violations(browser, console_errors), "wider by": wider}
            if problems != {"axe": [], "wider by": 0}:
                found[(label, page)] = problems
        if label == "desktop":
            browser.get(live_server.url + reverse("admin:index"))
            assert endpoint.disabled_reason in browser.page_source
    browser.set_window_size(1280, 900)
    browser.delete_all_cookies()
    assert not found, found
