"""Lists and subscribers in the admin: counts without a query a row, the record of consent read-only, CSV export
(selected and filtered, streamed) and CSV import: pending with a confirmation each, or active with the consent
recorded, existing addresses updated, bounced and unsubscribed ones kept, bad files and rows refused whole."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from newsletters import signup
from newsletters.models import Subscriber, SubscriberEvent, Subscription
from newsletters.tests.factories import make_newsletter, make_subscriber

pytestmark = pytest.mark.django_db
LISTS = reverse("admin:newsletters_newsletter_changelist")
SUBSCRIBERS = reverse("admin:newsletters_subscriber_changelist")
EXPORT = reverse("admin:newsletters_subscriber_export")
IMPORT = reverse("admin:newsletters_subscriber_import")


@pytest.fixture
def lists():
    return make_newsletter("Morning", slug="morning"), make_newsletter("Breaking", slug="breaking")


def upload(text, name="subscribers.csv"):
    data = text if isinstance(text, bytes) else text.encode()
    return SimpleUploadedFile(name, data, content_type="text/csv")


def test_lists_show_their_counts_in_one_query(client_for, editor, lists):
    morning, breaking = lists
    for _ in range(3):
        make_subscriber(morning)
    make_subscriber(morning, status=Subscriber.Status.PENDING)
    client = client_for(editor)
    client.get(LISTS)
    with CaptureQueriesContext(connection) as few:
        page = client.get(LISTS).content.decode()
    assert '<td class="field-active">3</td>' in page and '<td class="field-pending">1</td>' in page
    for n in range(5):
        make_newsletter(f"More {n}")
    client.get(LISTS)  # a new list retires the cached pages: the site's state is read again once
    with CaptureQueriesContext(connection) as many:
        client.get(LISTS)
    assert len(many) == len(few)
    assert client.get(reverse("admin:newsletters_newsletter_change", args=[morning.pk])).status_code == 200
    assert client.get(reverse("admin:newsletters_newsletter_add")).status_code == 200


def test_subscribers_are_searched_filtered_and_show_their_consent(client_for, editor, lists):
    morning, breaking = lists
    ana = make_subscriber(morning, email="ana@example.com")
    make_subscriber(breaking, email="ben@example.com", status=Subscriber.Status.PENDING)
    SubscriberEvent.objects.create(subscriber=ana, kind="confirmed", newsletter=morning, detail="/signup/")
    client = client_for(editor)
    found = client.get(SUBSCRIBERS, {"q": "ana@"}).content.decode()
    assert "ana@example.com" in found and "ben@example.com" not in found
    pending = client.get(SUBSCRIBERS, {"status__exact": "pending"}).content.decode()
    assert "ben@example.com" in pending and "ana@example.com" not in pending
    on_list = client.get(SUBSCRIBERS, {"newsletters__id__exact": morning.pk}).content.decode()
    assert "ana@example.com" in on_list and "ben@example.com" not in on_list
    page = client.get(reverse("admin:newsletters_subscriber_change", args=[ana.pk])).content.decode()
    assert "/newsletters/" in page and "/signup/" in page and "Morning" in page
    assert 'name="email"' not in page and "Save" not in page.split('id="content-main"')[1]


def rows_of(response):
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_export_streams_the_filtered_list_and_the_selected(client_for, editor, lists):
    morning, breaking = lists
    ana = make_subscriber(morning, email="ana@example.com")
    Subscription.objects.create(subscriber=ana, newsletter=breaking, status=Subscription.Status.PENDING)
    make_subscriber(breaking, email="=cmd@example.com")
    client = client_for(editor)
    response = client.get(EXPORT, {"newsletters__id__exact": morning.pk})
    assert response.streaming and response["Content-Type"] == "text/csv"
    (row,) = rows_of(response)
    assert row["email"] == "ana@example.com" and row["lists"] == "morning" and row["pending_lists"] == "breaking"
    everyone = rows_of(client.get(EXPORT))
    assert {r["email"] for r in everyone} == {"ana@example.com", "'=cmd@example.com"}
    chosen = client.post(SUBSCRIBERS, {"action": "export_selected", "_selected_action": [ana.pk]})
    assert [r["email"] for r in rows_of(chosen)] == ["ana@example.com"]
    assert client.get(EXPORT, {"nonsense__gt": "1"}).status_code == 400


def test_import_adds_pending_addresses_each_asked_to_confirm(
    client_for, editor, lists, django_capture_on_commit_callbacks
):
    morning, breaking = lists
    rows = ["email,lists"] + [f"reader{n}@Example.com,morning;breaking" for n in range(3000)]
    client = client_for(editor)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(IMPORT, {"file": upload("\n".join(rows))}, follow=True)
    assert "3000 new addresses" in response.content.decode()
    assert Subscriber.objects.filter(status=Subscriber.Status.PENDING).count() == 3000
    assert Subscription.objects.filter(status=Subscription.Status.PENDING).count() == 6000
    subscriber = Subscriber.objects.get(email="reader7@example.com")
    assert subscriber.source == "import by eddie"
    assert subscriber.events.filter(kind="asked").count() == 2
    assert len(callbacks) == 3000


def test_import_with_consent_subscribes_and_records_it(client_for, editor, lists):
    morning, breaking = lists
    known = make_subscriber(morning, email="known@example.com", status=Subscriber.Status.PENDING)
    text = (
        "Email;Lists;Consent;Consented_at\nknown@example.com;morning;yes;2026-01-05 09:30\n"
        "new@example.com;breaking morning;YES;2026-01-06\n"
    )
    client_for(editor).post(IMPORT, {"file": upload(text)})
    known.refresh_from_db()
    assert known.status == Subscriber.Status.ACTIVE
    assert Subscriber.objects.filter(email__iexact="known@example.com").count() == 1
    subscription = known.subscriptions.get()
    assert subscription.status == Subscription.Status.ACTIVE and subscription.source == "import by eddie"
    assert subscription.consented_at.date().isoformat() == "2026-01-05"
    new = Subscriber.objects.get(email="new@example.com")
    assert new.status == Subscriber.Status.ACTIVE and new.subscriptions.filter(status="active").count() == 2
    assert new.events.filter(kind="confirmed", detail__startswith="import by eddie").count() == 2


def test_import_never_brings_back_a_bounced_or_unsubscribed_address(client_for, editor, lists):
    morning, _ = lists
    bounced = make_subscriber(morning, email="bounced@example.com", status=Subscriber.Status.BOUNCED)
    left = make_subscriber(morning, email="left@example.com")
    signup.unsubscribe(left)
    left.refresh_from_db()
    earlier = (left.unsubscribed_at - timedelta(days=1)).isoformat()
    text = "email,lists,consent,consented_at\nbounced@example.com,morning,yes,2026-01-01\nleft@example.com,morning,,\n"
    text += f"LEFT@example.com,morning,yes,{earlier}\n".replace("LEFT@", "left2@")
    make_subscriber(morning, email="left2@example.com")
    signup.unsubscribe(Subscriber.objects.get(email="left2@example.com"))
    page = client_for(editor).post(IMPORT, {"file": upload(text)}, follow=True).content.decode()
    assert "bounced: an import does not bring it back" in page and "only a consent given since" in page
    addresses = ["bounced@example.com", "left@example.com", "left2@example.com"]
    statuses = {s.email: s.status for s in Subscriber.objects.filter(email__in=addresses)}
    assert statuses == {"bounced@example.com": "bounced", "left@example.com": "unsubscribed",
                        "left2@example.com": "unsubscribed"}  # fmt: skip
    assert bounced.events.count() == 0


BAD_ROWS = (
    "email,lists,consent,consented_at\nok@example.com,morning,,\nnot-an-address,morning,,\nx@example.com,nosuch,,\n"
    "y@example.com,,,\nz@example.com,morning,maybe,\nw@example.com,morning,yes,\nok@example.com,breaking,,\n"
    "v@example.com,morning,yes,2999-01-01\n"
)


def test_a_file_with_bad_rows_is_refused_whole_naming_each(client_for, editor, lists):
    response = client_for(editor).post(IMPORT, {"file": upload(BAD_ROWS)})
    page = response.content.decode()
    assert response.status_code == 400 and "Nothing was imported" in page
    for line, reason in [(3, "not an e-mail address"), (4, "nosuch"), (5, "no list named"), (6, "maybe"),
                         (7, "needs its time"), (8, "also on line 2"), (9, "in the future")]:  # fmt: skip
        assert f"Line {line}: " in page and reason in page, (line, reason)
    assert not Subscriber.objects.exists()


@pytest.mark.parametrize(
    "data, says",
    [
        (b"\x89PNG\r\n\x1a\n\0\0\0IHDR", "not a CSV file"),
        ("email,lists\ncafé@example.com,morning\n".encode("latin-1"), "not UTF-8"),
        (b"address,newsletters\nana@example.com,morning\n", "among them"),
        (b"email,consent\nana@example.com,yes\n", "no “lists” column"),
        (b"", "empty"),
        (b"\n\n", "first line must name the columns"),
        (b'email,lists\n"ana@example.com,morning\n' + b"x" * 200_000, "not CSV that can be read"),
    ],
)
def test_garbage_is_refused_with_a_reason(client_for, editor, lists, data, says, settings):
    response = client_for(editor).post(IMPORT, {"file": upload(data)})
    assert response.status_code == 400 and says in response.content.decode()
    assert not Subscriber.objects.exists()


def test_a_file_over_10_mb_is_refused(client_for, editor, lists):
    big = b"email,lists\n" + b"someone@example.com,morning\n" * 380_000
    assert len(big) > 10 * 1024 * 1024
    response = client_for(editor).post(IMPORT, {"file": upload(big)})
    assert response.status_code == 400 and "at most 10 MB" in response.content.decode()


def test_a_file_of_more_rows_than_a_request_can_write_is_refused_before_anything_is(client_for, editor, lists):
    """An import is written within the request: 100,000 addresses (each with its list, its event and its
    confirmation's job) took longer than a worker may (gunicorn's 30 s) and ended in a 500. Past 10,000 rows the
    file is refused, quickly, with the reason."""
    rows = b"".join(b"reader%d@example.com,morning\n" % i for i in range(10_001))
    response = client_for(editor).post(IMPORT, {"file": upload(b"email,lists\n" + rows)})
    assert response.status_code == 400 and "more than 10,000 rows: split it" in response.content.decode()
    assert not Subscriber.objects.exists()


def test_no_file_is_an_error_not_a_crash(client_for, editor, lists):
    assert client_for(editor).post(IMPORT, {}).status_code == 400
    assert client_for(editor).get(IMPORT).status_code == 200


def test_writers_cannot_import_or_export(client_for, writer, lists):
    client = client_for(writer)
    assert client.get(IMPORT).status_code == 403
    assert client.post(IMPORT, {"file": upload("email,lists\na@example.com,morning\n")}).status_code == 403
    assert client.get(EXPORT).status_code == 403
    assert not Subscriber.objects.exists()
