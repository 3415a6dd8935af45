"""The pages the signed links in e-mails open, through the test client without a session or CSRF token:
one-click unsubscribe (RFC 8058), the preferences page (lists, format, pause, data), and links expired or
altered."""

import json
from datetime import timedelta

import lxml.html
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from newsletters import tokens
from newsletters.models import Subscriber, SubscriberEvent, Subscription
from newsletters.tests.factories import make_newsletter, make_subscriber

pytestmark = pytest.mark.django_db


@pytest.fixture
def strict():
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def reader():
    return make_subscriber(make_newsletter("Morning briefing-P2"), "reader-p2@example.com")


def link(name, subscriber, purpose):
    return reverse(f"newsletters:{name}", args=[tokens.make(subscriber, purpose)])


def assert_private(response):
    """Never cached, never indexed, no Referer sent on."""
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer" and "noindex" in response["X-Robots-Tag"]
    assert b'<meta name="robots" content="noindex' in response.content


def test_one_click_unsubscribe_by_post_without_a_session(strict, reader):
    """A mail provider's POST of List-Unsubscribe=One-Click takes the address off every list; again, the same."""
    url = link("unsubscribe", reader, tokens.UNSUBSCRIBE)
    for _ in range(2):
        response = strict.post(url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
        assert response.status_code == 200 and b"You are unsubscribed" in response.content
        assert_private(response)
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.UNSUBSCRIBED and not reader.receives
    assert Subscription.objects.get(subscriber=reader).status == Subscription.Status.UNSUBSCRIBED
    assert list(SubscriberEvent.objects.values_list("kind", "detail")) == [("unsubscribed", "one-click")]


@pytest.mark.parametrize("content_type", ["multipart/form-data", "multipart/form-data; boundary=x"])
def test_a_post_whose_body_cannot_be_read_still_unsubscribes(strict, reader, content_type):
    """RFC 8058 lets the provider send multipart/form-data: a broken one is a POST to this link all the same (it
    was a 400 without the link pages' headers); the preferences page shows itself, privately."""
    response = strict.post(link("unsubscribe", reader, tokens.UNSUBSCRIBE), b"--x\r\nbroken", content_type=content_type)
    assert response.status_code == 200 and b"You are unsubscribed" in response.content
    assert_private(response)
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.UNSUBSCRIBED
    response = strict.post(link("preferences", reader, tokens.PREFERENCES), b"--x", content_type=content_type)
    assert response.status_code == 400
    assert_private(response)


def test_opening_the_unsubscribe_link_changes_nothing(strict, reader):
    response = strict.get(link("unsubscribe", reader, tokens.UNSUBSCRIBE))
    assert response.status_code == 200 and b"Unsubscribe from everything</button>" in response.content
    assert_private(response)
    assert Subscriber.objects.get(pk=reader.pk).status == Subscriber.Status.ACTIVE


def test_preferences_show_the_lists_and_save_lists_format_and_pause(strict, reader, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    breaking = make_newsletter("Breaking news-B5")
    url = link("preferences", reader, tokens.PREFERENCES)
    page = strict.get(url)
    assert page.status_code == 200 and b"reader-p2@example.com" in page.content
    assert b"Morning briefing-P2" in page.content and b"Breaking news-B5" in page.content
    assert_private(page)
    saved = strict.post(url, {"action": "save", "list": [breaking.pk], "format": "text", "pause": "30"})
    assert saved.status_code == 200 and b"Your choices are saved." in saved.content
    reader.refresh_from_db()
    assert reader.format == "text" and reader.paused_until == timezone.now() + timedelta(days=30)
    on = dict(Subscription.objects.filter(subscriber=reader).values_list("newsletter__name", "status"))
    assert on == {"Morning briefing-P2": "unsubscribed", "Breaking news-B5": "active"}
    kept = strict.post(url, {"action": "save", "list": [breaking.pk], "format": "html", "pause": "keep"})
    assert kept.status_code == 200
    reader.refresh_from_db()
    assert reader.format == "html" and reader.paused_until == timezone.now() + timedelta(days=30)
    assert strict.post(url, {"action": "save", "list": [breaking.pk], "format": "html", "pause": ""}).status_code == 200
    assert Subscriber.objects.get(pk=reader.pk).paused_until is None


def test_preferences_offer_the_open_lists_and_the_closed_ones_the_reader_is_on(strict, reader):
    """A list closed for sign-up stays on the page of a reader on it, and is not offered to anyone else."""
    make_newsletter("Retired digest-C3", is_open=False)
    make_newsletter("Weekend reads-C5")
    mine = make_newsletter("Old column-C4", is_open=False)
    Subscription.objects.create(subscriber=reader, newsletter=mine, status=Subscription.Status.ACTIVE)
    page = strict.get(link("preferences", reader, tokens.PREFERENCES))
    assert b"Morning briefing-P2" in page.content and b"Old column-C4" in page.content
    assert b"Weekend reads-C5" in page.content
    assert b"Retired digest-C3" not in page.content


@pytest.mark.parametrize("fields", [{"format": "pdf"}, {"pause": "365"}, {"list": ["x"]}, {"list": ["999999"]}])
def test_preferences_refuse_values_they_do_not_offer(strict, reader, fields):
    url = link("preferences", reader, tokens.PREFERENCES)
    response = strict.post(url, {"action": "save", "format": "html", "pause": ""} | fields)
    assert response.status_code == 400 and b'class="form-errors"' in response.content
    assert Subscriber.objects.get(pk=reader.pk).format == "html"


def test_a_refused_preference_is_shown_in_its_group_and_named_by_it(strict, reader):
    page = lxml.html.fromstring(strict.post(link("preferences", reader, tokens.PREFERENCES),
                                            {"action": "save", "format": "pdf", "pause": ""}).content)  # fmt: skip
    (group,) = page.xpath("//fieldset[@aria-describedby]")
    error = page.get_element_by_id(group.get("aria-describedby"))
    assert error.getparent() is group and group.findtext("legend") == "Format" and "pdf" in error.text_content()
    assert page.findtext(".//title").startswith("Error: ")


def test_a_used_confirmation_link_offers_the_preferences_not_a_button(strict, reader):
    page = strict.get(link("confirm", reader, tokens.CONFIRM)).content.decode()
    assert "Nothing is waiting for confirmation" in page and "<button" not in page.split("<main")[1]
    assert "/newsletters/preferences/" in page


def test_unsubscribe_from_everything_on_the_preferences_page(strict, reader):
    response = strict.post(link("preferences", reader, tokens.PREFERENCES), {"action": "unsubscribe"})
    assert response.status_code == 200 and b"You are unsubscribed from every newsletter." in response.content
    assert Subscriber.objects.get(pk=reader.pk).status == Subscriber.Status.UNSUBSCRIBED


def test_download_my_data_is_a_json_attachment(strict, reader):
    response = strict.post(link("preferences", reader, tokens.PREFERENCES), {"action": "export"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == 'attachment; filename="newsletter-data.json"'
    assert "no-cache" in response["Cache-Control"] and response["Referrer-Policy"] == "no-referrer"
    data = json.loads(response.content)
    assert data["address"] == "reader-p2@example.com" and data["lists"][0]["list"] == "Morning briefing-P2"


def test_delete_my_data_asks_first_then_deletes_everything(strict, reader):
    url = link("preferences", reader, tokens.PREFERENCES)
    asked = strict.post(url, {"action": "erase"})
    assert asked.status_code == 200 and b"Yes, delete my data" in asked.content
    assert Subscriber.objects.filter(pk=reader.pk).exists()
    done = strict.post(url, {"action": "erase-confirmed"})
    assert done.status_code == 200 and b"Your data is deleted" in done.content
    assert not Subscriber.objects.exists() and not Subscription.objects.exists()
    gone = strict.get(url)
    assert gone.status_code == 400 and b"reader-p2" not in gone.content


@pytest.mark.parametrize(
    ("name", "purpose", "days"),
    [
        ("preferences", tokens.PREFERENCES, "NEWSROOM_NEWSLETTER_LINK_DAYS"),
        ("confirm", tokens.CONFIRM, "NEWSROOM_NEWSLETTER_CONFIRM_DAYS"),
    ],
)
def test_an_expired_link_says_so_and_offers_a_new_one(strict, reader, settings, time_machine, name, purpose, days):
    url = link(name, reader, purpose)
    time_machine.move_to(timezone.now() + timedelta(days=getattr(settings, days), minutes=1))
    for response in (strict.get(url), strict.post(url, {"action": "unsubscribe"})):
        assert response.status_code == 410 and b"This link has expired" in response.content
        assert b'action="/newsletters/link/"' in response.content and b"reader-p2" not in response.content
        assert_private(response)
    assert Subscriber.objects.get(pk=reader.pk).status == Subscriber.Status.ACTIVE


@pytest.mark.parametrize("name", ["confirm", "preferences", "unsubscribe"])
def test_an_altered_link_is_not_valid(strict, reader, name):
    token = tokens.make(reader, {"confirm": tokens.CONFIRM, "preferences": tokens.PREFERENCES}.get(name, name))
    for altered in (token[:-2] + ("xx" if not token.endswith("xx") else "yy"), "garbage", "1" * 5000,
                    tokens.make(reader, tokens.UNSUBSCRIBE if name != "unsubscribe" else tokens.CONFIRM)):  # fmt: skip
        url = reverse(f"newsletters:{name}", args=[altered])
        for response in (strict.get(url), strict.post(url, "List-Unsubscribe=One-Click",
                                                       content_type="application/x-www-form-urlencoded")):  # fmt: skip
            assert response.status_code == 400 and b"This link is not valid" in response.content
            assert b"reader-p2" not in response.content
            assert_private(response)
    assert Subscriber.objects.get(pk=reader.pk).status == Subscriber.Status.ACTIVE
    assert strict.put(reverse(f"newsletters:{name}", args=[token])).status_code == 405


@pytest.mark.parametrize("name", ["confirm", "preferences", "unsubscribe"])
def test_link_tokens_never_reach_the_request_log(client, caplog, name):
    """The token is the subscriber's credential (their data, its deletion): the request log names the page with
    "[token]" in its place, as it does a share link's."""
    import logging

    token = tokens.make(make_subscriber(make_newsletter()), name)
    logging.getLogger("newsroom.request").setLevel(logging.INFO)
    try:
        with caplog.at_level(logging.INFO, logger="newsroom.request"):
            assert client.get(reverse(f"newsletters:{name}", args=[token])).status_code == 200
    finally:
        logging.getLogger("newsroom.request").setLevel(logging.WARNING)
    records = [r for r in caplog.records if r.name == "newsroom.request"]
    assert records and all(token not in r.getMessage() and token not in r.path for r in records)
    assert any(r.path == f"/newsletters/{name}/[token]/" for r in records)
