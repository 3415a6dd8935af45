"""The sign-up form and the "send me a new link" form, through the test client: double opt-in to the end (the
job's e-mail through a real SMTP server, its link, the Confirm button), the same answer for known and unknown
addresses, the reasons for a refusal, the rate limit, and the consent's source."""

import re
from urllib.parse import urlsplit

import lxml.html
import pytest
from django.test import Client

from newsletters import tasks
from newsletters.models import Subscriber, SubscriberEvent, Subscription
from newsletters.tests.factories import make_newsletter, make_subscriber

pytestmark = pytest.mark.django_db

SUBSCRIBE = "/newsletters/subscribe/"


@pytest.fixture
def strict():
    """A client that enforces CSRF checks as a browser without a token would meet them."""
    return Client(enforce_csrf_checks=True)


def test_double_opt_in_from_the_form_to_the_confirm_button(strict, mail_server, django_capture_on_commit_callbacks):
    """The form asks; the job's e-mail carries the link; opening it confirms nothing; its button confirms."""
    briefing = make_newsletter("Morning briefing-Q7", cadence="Weekday mornings")
    with django_capture_on_commit_callbacks() as asked:
        response = strict.post(SUBSCRIBE, {"address": "Reader@Example.COM", "list": [briefing.pk],
                                           "source": "/articles/a-story/"})  # fmt: skip
    assert response.status_code == 200 and b"Check your inbox" in response.content
    assert len(asked) == 1  # the notice job, asked for after the commit
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "Reader@example.com" and subscriber.status == Subscriber.Status.PENDING
    tasks.notice(subscriber.pk, "confirm")  # the job the commit asked for
    (message,) = mail_server.received
    link = re.search(r"https?://\S+/newsletters/confirm/\S+/", message.get_content())[0]
    path = urlsplit(link).path
    page = strict.get(path)
    assert page.status_code == 200 and b"Morning briefing-Q7" in page.content and b">Confirm</button>" in page.content
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING  # a mail scanner's GET confirms nothing
    done = strict.post(path)
    assert done.status_code == 200 and b"You are subscribed" in done.content and b"Morning briefing-Q7" in done.content
    subscription = Subscription.objects.get()
    assert subscription.status == Subscription.Status.ACTIVE and subscription.consented_at is not None
    assert subscription.source == "/articles/a-story/"
    again = strict.post(path)
    assert again.status_code == 200 and b"Already confirmed" in again.content


def test_known_and_unknown_addresses_get_the_same_answer(client):
    """Whether the address is subscribed, pending or new, the page is the same, byte for byte."""
    briefing = make_newsletter()
    make_subscriber(briefing, "known@example.com")
    make_subscriber(briefing, "waiting@example.com", status=Subscriber.Status.PENDING)
    bodies = set()
    for address in ("known@example.com", "waiting@example.com", "stranger@example.com"):
        response = client.post(SUBSCRIBE, {"address": address, "list": [briefing.pk], "source": "/"})
        assert response.status_code == 200
        bodies.add(response.content)
    assert len(bodies) == 1
    links = {client.post("/newsletters/link/", {"link-address": a}).content for a in ("known@example.com", "x@y.org")}
    assert len(links) == 1 and b"Check your inbox" in links.pop()


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"address": "a" * 300 + "@example.com"}, "That address is too long"),
        ({"address": "no-at-sign"}, "it needs a name, an @ and a domain"),
        ({"address": "reader@example.com\x01"}, "characters no e-mail address has"),
        ({"address": ""}, "Enter your e-mail address."),
        ({"address": "reader@example.com", "list": []}, "Choose at least one newsletter."),
        ({"address": "reader@example.com", "list": ["999999"]}, "no longer open"),
        ({"address": "reader@example.com", "list": ["x" * 5000]}, "no longer open"),
    ],
)
def test_a_refusal_shows_the_form_again_with_the_reason_and_the_address(client, fields, reason):
    briefing = make_newsletter("Evening digest-Z4")
    response = client.post(SUBSCRIBE, {"list": [briefing.pk], "source": "/sections/local/"} | fields)
    page = response.content.decode()
    assert response.status_code == 400 and reason in page.replace("&#x27;", "'")
    assert "Evening digest-Z4" in page and 'value="/sections/local/"' in page
    if fields["address"] and "\x01" not in fields["address"]:
        assert f'value="{fields["address"]}"' in page
    assert not Subscriber.objects.exists()


def test_each_refusal_is_beside_its_field_and_named_by_it(client):
    """A screen reader hears the reason with the field: the address's under its label, the lists' in their
    fieldset, each named by its field's aria-describedby; the page's title says something went wrong."""
    briefing = make_newsletter("Evening digest-Z4")
    bad_address = lxml.html.fromstring(client.post(SUBSCRIBE, {"address": "no-at-sign", "list": [briefing.pk]}).content)
    field = bad_address.get_element_by_id("signup-address")
    described = field.get("aria-describedby").split()
    assert field.get("aria-invalid") == "true" and described == ["signup-address-error", "signup-next"]
    assert "an @ and a domain" in bad_address.get_element_by_id("signup-address-error").text_content()
    assert bad_address.findtext(".//title").startswith("Error: ")
    no_list = lxml.html.fromstring(client.post(SUBSCRIBE, {"address": "reader@example.com"}).content)
    (fieldset,) = no_list.xpath("//fieldset[@class='signup-lists']")
    error = no_list.get_element_by_id(fieldset.get("aria-describedby"))
    assert error.getparent() is fieldset and "Choose at least one newsletter." in error.text_content()
    assert no_list.get_element_by_id("signup-address").get("aria-invalid") is None


def test_a_closed_list_cannot_be_asked_for():
    closed = make_newsletter(is_open=False)
    response = Client().post(SUBSCRIBE, {"address": "reader@example.com", "list": [closed.pk]})
    assert response.status_code == 400 and not Subscriber.objects.exists()


def test_get_leads_to_the_newsletters_page_and_other_methods_are_refused(client):
    for path in (SUBSCRIBE, "/newsletters/link/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == "/newsletters/"
        assert client.put(path).status_code == 405


@pytest.mark.parametrize(
    ("source", "kept"),
    [
        ("/articles/a-story/?utm=x#top", "/articles/a-story/"),
        ("https://elsewhere.example/page/", "/newsletters/"),
        ("//elsewhere.example/page/", "/newsletters/"),
        ("/\\elsewhere.example/", "/newsletters/"),
        ("javascript:alert(1)", "/newsletters/"),
        ("/" + "x" * 600, "/newsletters/"),
        ("/a\nb/", "/newsletters/"),
        ("", "/newsletters/"),
    ],
)
def test_the_source_is_a_path_of_the_site(client, source, kept):
    briefing = make_newsletter()
    client.post(SUBSCRIBE, {"address": "reader@example.com", "list": [briefing.pk], "source": source})
    assert Subscription.objects.get().source == kept
    assert SubscriberEvent.objects.get(kind="asked").detail == kept


def test_the_forms_are_rate_limited_per_client_address(client, settings):
    """Past NEWSROOM_NEWSLETTER_SIGNUPS_PER_HOUR a client gets 429 with Retry-After; another client does not."""
    settings.NEWSROOM_NEWSLETTER_SIGNUPS_PER_HOUR = 2
    briefing = make_newsletter()
    form = {"address": "reader@example.com", "list": [briefing.pk]}
    assert client.post(SUBSCRIBE, form).status_code == 200
    assert client.post("/newsletters/link/", {"link-address": "reader@example.com"}).status_code == 200
    refused = client.post(SUBSCRIBE, form)
    assert refused.status_code == 429 and b"Please try again later" in refused.content
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert client.post(SUBSCRIBE, form, REMOTE_ADDR="192.0.2.7").status_code == 200


def test_one_ipv6_network_counts_as_one_client(client, settings):
    """A host of IPv6 has a /64 of addresses to choose from: the limit counts the network, whatever address in
    it or spelling of it the client comes from (an IPv4 address mapped into IPv6 counts as that IPv4 address)."""
    settings.NEWSROOM_NEWSLETTER_SIGNUPS_PER_HOUR = 2
    link = {"link-address": "reader@example.com"}
    for address in ("2001:db8:5:5::1", "2001:DB8:5:5:ffff::2"):
        assert client.post("/newsletters/link/", link, REMOTE_ADDR=address).status_code == 200
    assert client.post("/newsletters/link/", link, REMOTE_ADDR="2001:db8:5:5:1:2:3:4").status_code == 429
    assert client.post("/newsletters/link/", link, REMOTE_ADDR="2001:db8:5:6::1").status_code == 200
    for address in ("192.0.2.9", "::ffff:192.0.2.9"):
        assert client.post("/newsletters/link/", link, REMOTE_ADDR=address).status_code == 200
    assert client.post("/newsletters/link/", link, REMOTE_ADDR="::FFFF:192.0.2.9").status_code == 429


def test_the_newsletters_page_lists_the_open_lists(client):
    make_newsletter("Morning briefing-M1", description="The day's news before nine.", cadence="Weekday mornings")
    make_newsletter("Retired list-R9", is_open=False)
    page = client.get("/newsletters/").content.decode()
    assert "Morning briefing-M1" in page and "The day&#x27;s news before nine." in page and "Weekday mornings" in page
    assert "Retired list-R9" not in page and page.count("<h1") == 1
    assert "csrfmiddlewaretoken" not in page and 'action="/newsletters/link/"' in page
    assert "record of your consent" in page
