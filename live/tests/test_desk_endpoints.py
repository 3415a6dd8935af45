"""The desk's JSON endpoints, driven as the posting form's script drives them: through the admin, signed in."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from articles.tests.factories import make_author
from live import stream
from live.models import Stream, Update
from live.tests.factories import desk_url, make_live_article

pytestmark = pytest.mark.django_db


def test_an_editor_posts_and_the_list_shows_the_update_with_its_version(client_for, editor):
    """A post answers 201 with the update (its version, its row's HTML), and the list shows it first."""
    article = make_live_article()
    author = make_author("Ada Reporter")
    client = client_for(editor)
    answer = client.post(desk_url("post", article.pk), {"body": "Polls **close** at 10.", "headline": "Polls close",
                                                         "authors": [author.pk], "key_event": "on"})  # fmt: skip
    assert answer.status_code == 201
    update = answer.json()["update"]
    assert update["version"] == 1 and update["status"] == "published" and update["key_event"]
    assert update["authors"] == [{"id": author.pk, "name": "Ada Reporter"}]
    assert "<strong>close</strong>" in update["body_html"] and f'id="live-row-{update["id"]}"' in update["html"]
    assert update["may"] == {"change": True, "delete": True, "approve": False, "break_out": True}
    listed = client.get(desk_url("stream", article.pk)).json()
    assert listed["seq"] == 1 and listed["pending"] == 0
    assert [row["headline"] for row in listed["updates"]] == ["Polls close"]


def test_two_people_posting_at_once_both_get_their_update_in_the_list(client_for, editor, writer):
    """Each post takes the next place in the stream; the list each of them refreshes shows the other's too."""
    article = make_live_article(authors=[writer.author])
    stream.post(article, writer, body="From the count: turnout is high.")
    answer = client_for(editor).post(desk_url("post", article.pk), {"body": "From the studio."})
    assert answer.json()["update"]["seq"] == 2
    bodies = [row["body"] for row in client_for(editor).get(desk_url("stream", article.pk)).json()["updates"]]
    assert sorted(bodies) == ["From the count: turnout is high.", "From the studio."]


@pytest.mark.parametrize(
    "data, field, words",
    [
        ({"body": "   "}, "body", "needs some text"),
        ({"body": ""}, "body", "required"),
        ({"body": "Later.", "posted_at": "2999-01-01T10:00"}, "posted_at", "cannot be in the future"),
        ({"body": "When?", "posted_at": "yesterday-ish"}, "posted_at", "valid date/time"),
        ({"body": "Who?", "authors": ["999999"]}, "authors", "999999"),
        ({"body": "Who?", "authors": ["x"]}, "authors", "not an author"),
        ({"body": "Long.", "headline": "h" * 201}, "headline", "at most 200"),
    ],
)
def test_bad_input_is_named_by_its_field_and_nothing_is_posted(client_for, editor, data, field, words):
    """A problem answers 400 with the field it belongs to, never a 500, and no update is written."""
    article = make_live_article()
    answer = client_for(editor).post(desk_url("post", article.pk), data)
    assert answer.status_code == 400
    assert words in " ".join(answer.json()["errors"][field])
    assert not Update.objects.exists()


def test_a_writer_not_credited_on_the_page_is_refused(client_for, writer, other_writer):
    """Posting, listing, editing and deleting on someone else's live page are refused with 403."""
    article = make_live_article(authors=[writer.author])
    update = stream.post(article, writer, body="Mine.")
    client = client_for(other_writer)
    assert client.post(desk_url("post", article.pk), {"body": "Not mine."}).status_code == 403
    assert client.get(desk_url("stream", article.pk)).status_code == 403
    assert client.post(desk_url("edit", update.pk), {"version": 1, "body": "Changed."}).status_code == 403
    assert client.post(desk_url("remove", update.pk), {"version": 1}).status_code == 403
    assert "may not" in client.post(desk_url("post", article.pk), {"body": "x"}).json()["error"]
    assert Update.objects.get().body == "Mine." and Update.objects.count() == 1


def test_a_writer_on_a_moderated_page_waits_for_an_editor_who_approves(client_for, writer, editor):
    """A writer's update on a moderated page is pending; the writer cannot approve it, an editor can."""
    article = make_live_article(authors=[writer.author], live_moderated=True)
    posted = client_for(writer).post(desk_url("post", article.pk), {"body": "From the count."}).json()["update"]
    assert posted["status"] == "pending" and not posted["may"]["approve"]
    assert client_for(writer).post(desk_url("approve", posted["id"]), {"version": 1}).status_code == 403
    assert not Update.objects.shown().exists()
    editor_client = client_for(editor)
    assert editor_client.get(desk_url("stream", article.pk)).json()["pending"] == 1
    approved = editor_client.post(desk_url("approve", posted["id"]), {"version": 1})
    assert approved.status_code == 200 and approved.json()["update"]["status"] == "published"
    assert Update.objects.shown().count() == 1


def test_an_edit_from_an_older_version_answers_409_with_the_current_update(client_for, editor):
    """A stale edit is refused with the update as it stands now; nothing typed is applied over it."""
    article = make_live_article()
    update = stream.post(article, editor, body="Turnout is 40%.")
    stream.edit(update, editor, version=1, body="Turnout is 45%.")
    answer = client_for(editor).post(desk_url("edit", update.pk), {"version": 1, "body": "Turnout is 50%."})
    assert answer.status_code == 409
    said = answer.json()
    assert said["stale"] and "changed by someone else" in said["error"]
    assert said["update"]["version"] == 2 and said["update"]["body"] == "Turnout is 45%."
    assert Update.objects.get().body == "Turnout is 45%."


def test_editing_in_place_changes_only_the_fields_sent(client_for, editor):
    """An edit with a correction note changes the text; a flag sent alone pins it or marks it a key event."""
    article = make_live_article()
    update = stream.post(article, editor, body="Turnout is 40%.", headline="Turnout")
    client = client_for(editor)
    sent = {"version": 1, "body": "Turnout is 45%.", "correction": "We first said 40%."}
    edited = client.post(desk_url("edit", update.pk), sent).json()["update"]
    assert (edited["version"], edited["headline"], edited["correction"]) == (2, "Turnout", "We first said 40%.")
    assert edited["edited_at"] is not None
    pinned = client.post(desk_url("edit", update.pk), {"version": 2, "pinned": "1"}).json()["update"]
    assert pinned["pinned"] and pinned["body"] == "Turnout is 45%." and not pinned["key_event"]
    key = client.post(desk_url("edit", update.pk), {"version": 3, "key_event": "1", "pinned": "0"}).json()["update"]
    assert key["key_event"] and not key["pinned"] and key["version"] == 4
    assert client.post(desk_url("edit", update.pk), {"version": 4, "pinned": "maybe"}).json()["errors"]["pinned"]
    assert client.post(desk_url("edit", update.pk), {"body": "No version."}).json()["errors"]["version"]


def test_an_editor_deletes_an_update_off_the_stream(client_for, editor, writer):
    """Deleting takes the update off the list and the stream's count; a writer may not delete a shown update."""
    article = make_live_article(authors=[writer.author])
    update = stream.post(article, writer, body="Shown already.")
    assert client_for(writer).post(desk_url("remove", update.pk), {"version": 1}).status_code == 403
    client = client_for(editor)
    answer = client.post(desk_url("remove", update.pk), {"version": 1})
    assert answer.status_code == 200 and answer.json()["update"]["deleted"]
    assert client.get(desk_url("stream", article.pk)).json()["updates"] == []
    assert Stream.objects.get(pk=article.pk).shown_count == 0
    again = client.post(desk_url("edit", update.pk), {"version": 2, "body": "Back?"})
    assert again.status_code == 400 and "deleted" in again.json()["errors"]["__all__"][0]


def test_writes_are_posts_and_unknown_updates_are_404(client_for, editor):
    """A GET on a write endpoint is refused, and an update or page that does not exist is a 404, not a 500."""
    article = make_live_article()
    client = client_for(editor)
    assert client.get(desk_url("post", article.pk)).status_code == 405
    assert client.post(desk_url("edit", 987654), {"version": 1, "body": "x"}).status_code == 404
    assert client.post(desk_url("post", 987654), {"body": "x"}).status_code == 404


def test_a_page_that_is_not_live_takes_no_updates(client_for, editor):
    """Posting to an article without coverage is refused."""
    article = make_live_article(live_from=None)
    assert client_for(editor).post(desk_url("post", article.pk), {"body": "x"}).status_code == 403


def test_the_endpoints_need_the_csrf_token(editor):
    """Without the CSRF token a post is refused; with the one the change page carries, it goes through."""
    article = make_live_article(published_at=timezone.now() - timedelta(hours=1))
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.post(desk_url("post", article.pk), {"body": "No token."}).status_code == 403
    client.get(f"/admin/articles/article/{article.pk}/change/")
    token = client.cookies["csrftoken"].value
    answer = client.post(desk_url("post", article.pk), {"body": "With the token."}, headers={"X-CSRFToken": token})
    assert answer.status_code == 201
    assert [update.body for update in Update.objects.all()] == ["With the token."]


GARBAGE = ["", "abc", "-1", "0", "1e3", "99999999999999999999999", "\x00", "<script>", "1;DROP TABLE"]


@pytest.mark.parametrize("value", GARBAGE)
def test_garbage_in_any_field_of_any_endpoint_is_never_a_server_error(client_for, editor, value):
    """Every endpoint answers garbage in each field with a 4xx naming it, or a harmless success; never a 5xx."""
    article = make_live_article()
    update = stream.post(article, editor, body="Garbage-proof.", key_event=True)
    client = client_for(editor)
    fields = ["body", "headline", "authors", "key_event", "pinned", "posted_at", "correction", "version"]
    for name in ("post", "edit", "approve", "remove", "break_out"):
        target = article.pk if name == "post" else update.pk
        for field in fields:
            data = {"body": "Fine.", "version": Update.objects.get(pk=update.pk).version, field: value}
            answer = client.post(desk_url(name, target), data)
            assert answer.status_code < 500, (name, field, value, answer.content[:300])
    assert client.get(desk_url("stream", article.pk), {"after": value}).status_code < 500
