"""Webhooks go to public addresses only (unless NEWSROOM_WEBHOOK_ALLOWED_HOSTS names the host), follow no
redirect and keep to their timeouts: the admin's form refuses a private address with a clear reason, and the send
refuses it again (a name may point elsewhere by then)."""

import time

import pytest
from django.urls import reverse

from webhooks import fanout, sending
from webhooks.models import Attempt, Delivery, Endpoint, Kind

pytestmark = pytest.mark.django_db

REFUSED = [
    ("http://127.0.0.1:8000/hooks", "127.0.0.1"),
    ("http://10.1.2.3/hooks", "10.1.2.3"),
    ("http://192.168.0.10/hooks", "192.168.0.10"),
    ("http://169.254.169.254/latest/meta-data", "169.254.169.254"),
    ("http://[::1]/hooks", "::1"),
    ("http://[::ffff:127.0.0.1]/hooks", "::ffff:127.0.0.1"),
    ("http://[fe80::1]/hooks", "fe80::1"),
    ("http://localhost:8000/hooks", "127.0.0.1"),
    # IPv6 addresses that carry an IPv4 one (compatible, NAT64, 6to4) are as public as the address they carry
    ("http://[::127.0.0.1]/hooks", "::127.0.0.1"),
    ("http://[64:ff9b::10.1.2.3]/hooks", "64:ff9b::a01:203"),
    ("http://[2002:7f00:1::1]/hooks", "2002:7f00:1::1"),
]


@pytest.mark.parametrize(("url", "address"), REFUSED)
def test_the_admin_refuses_an_address_that_is_not_public(client_for, editor, url, address):
    response = client_for(editor).post(
        reverse("admin:webhooks_endpoint_add"), {"url": url, "events": ["article.published"], "active": "on"}
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["url"]
    assert "Webhooks cannot be sent there" in errors[0] and address in errors[0]
    assert "whoever runs the site can allow it in NEWSROOM_WEBHOOK_ALLOWED_HOSTS" in errors[0]  # not the editor
    assert not Endpoint.objects.exists()


def test_the_admin_says_plainly_that_a_name_does_not_resolve(client_for, editor):
    """A host no name server knows is named in the form's error, in words rather than a system error number."""
    response = client_for(editor).post(
        reverse("admin:webhooks_endpoint_add"),
        {"url": "https://hooks.example.invalid/n", "events": ["article.published"], "active": "on"},
    )
    [error] = response.context["adminform"].form.errors["url"]
    assert "cannot resolve hooks.example.invalid" in error and "Errno" not in error, error


def test_a_port_out_of_range_is_refused_at_save_and_at_send(client_for, editor):
    """An address whose port no host can have is refused by the form, and a delivery to it fails without a 5xx."""
    url = "http://news.example.org:99999/hooks"
    response = client_for(editor).post(
        reverse("admin:webhooks_endpoint_add"), {"url": url, "events": ["article.published"], "active": "on"}
    )
    assert "bad port" in response.context["adminform"].form.errors["url"][0]
    assert "bad port" in deliver_to(url).attempt_log.get().error


def test_the_admin_accepts_an_allowed_host(client_for, editor, settings):
    settings.NEWSROOM_WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    response = client_for(editor).post(
        reverse("admin:webhooks_endpoint_add"),
        {"url": "http://127.0.0.1:9/hooks", "events": ["article.published", "article.deleted"], "active": "on"},
    )
    assert response.status_code == 302
    endpoint = Endpoint.objects.get()
    assert endpoint.events == ["article.published", "article.deleted"]
    assert endpoint.created_by == editor and endpoint.secret.startswith("whsec_")


def deliver_to(url, kinds=Kind.values):
    Endpoint.objects.create(url=url, events=list(kinds))
    [pk] = fanout.fan_out("article.published", "0b5e4b0e-6c1d-4f55-8a53-4c3f2b1d0a99", '{"type":"article.published"}')
    sending.deliver(pk)
    return Delivery.objects.get(pk=pk)


@pytest.mark.parametrize(("url", "address"), REFUSED)
def test_the_send_refuses_an_address_that_is_not_public(url, address):
    """An endpoint saved when its name was public, resolving to a private address now, is refused at send."""
    delivery = deliver_to(url)
    assert delivery.status == Delivery.Status.FAILED
    attempt = delivery.attempt_log.get()
    assert attempt.status_code is None
    assert "non-public address" in attempt.error and address in attempt.error


def test_a_redirect_is_a_failed_attempt_and_is_not_followed(receiver):
    receiver.answers = [302]
    delivery = deliver_to(receiver.url)
    assert delivery.status == Delivery.Status.FAILED
    attempt = Attempt.objects.get()
    assert attempt.status_code == 302 and "redirects are not followed" in attempt.error
    assert len(receiver.received) == 1


def test_a_receiver_that_never_answers_is_cut_off_at_the_timeout(receiver, settings):
    settings.NEWSROOM_WEBHOOK_TIMEOUT_SECONDS = 1
    receiver.answers = ["hang"]
    started = time.monotonic()
    delivery = deliver_to(receiver.url)
    assert time.monotonic() - started < 3
    assert delivery.status == Delivery.Status.FAILED
    attempt = Attempt.objects.get()
    assert "took more than 1 seconds" in attempt.error
    assert 900 <= attempt.latency_ms < 3000
