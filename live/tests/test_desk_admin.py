"""The admin of updates when others work at the same time: actions and the full form never fail with an error
page, and say what they could not do; and the desk's list costs the same few queries however long it is."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from live import stream
from live.models import Update
from live.tests.factories import desk_url, make_live_article

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:live_update_changelist"


def said(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def someone_else_first(monkeypatch, name, meddle):
    """Have ``stream.<name>`` run ``meddle()`` (another editor's change) just before its first call."""
    real, calls = getattr(stream, name), []

    def write(*args, **kwargs):
        if not calls:
            calls.append(1)
            meddle()
        return real(*args, **kwargs)

    monkeypatch.setattr(stream, name, write)


def test_a_writers_list_of_updates_costs_the_same_queries_for_5_or_25(
    client_for, writer, django_assert_max_num_queries
):
    """Whether the writer may post to the page is asked once for the list, not once for each update."""
    live = make_live_article(authors=[writer.author])
    client = client_for(writer)
    for n in range(5):
        stream.post(live, writer, body=f"Update {n}.", key_event=True)
    with CaptureQueriesContext(connection) as five:
        assert client.get(desk_url("stream", live.pk)).status_code == 200
    for n in range(20):
        stream.post(live, writer, body=f"More {n}.", key_event=n % 2 == 0)
    with django_assert_max_num_queries(len(five)):
        listed = client.get(desk_url("stream", live.pk)).json()["updates"]
    assert len(listed) == 25 and all(row["may"]["change"] and row["may"]["break_out"] is row["key_event"]
                                     for row in listed)  # fmt: skip


def test_deleting_several_skips_one_the_writer_may_not_delete_and_names_it(client_for, editor, writer):
    """A writer's own unapproved update is deleted; an editor's, selected with it, is skipped and named."""
    live = make_live_article(authors=[writer.author], live_moderated=True)
    own = stream.post(live, writer, body="Mine, waiting.")
    theirs = stream.post(live, editor, body="The editor's update.")
    data = {"action": "delete_selected", "_selected_action": [own.pk, theirs.pk]}
    confirm = client_for(writer).post(reverse(CHANGELIST), data)
    assert confirm.status_code == 200 and "Are you sure" in confirm.content.decode()
    response = client_for(writer).post(reverse(CHANGELIST), {**data, "post": "yes"})
    assert response.status_code == 302
    assert Update.objects.get(pk=own.pk).deleted_at is not None and Update.objects.get(pk=theirs.pk).is_shown
    assert said(response) == [
        "1 update deleted.",
        "Not deleted: “The editor's update.” (You may not delete this update.).",
    ]


def test_deleting_several_skips_one_changed_meanwhile(client_for, editor, monkeypatch):
    """An update changed by someone else after the list was read is left alone and named; the rest go."""
    live = make_live_article()
    first = stream.post(live, editor, body="First.")
    second = stream.post(live, editor, body="Second.")
    someone_else_first(monkeypatch, "delete", lambda: stream.edit(second, editor, version=1, body="Second, edited."))
    data = {"action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"}
    response = client_for(editor).post(reverse(CHANGELIST), data)
    assert response.status_code == 302
    assert Update.objects.get(pk=first.pk).deleted_at is not None
    assert Update.objects.get(pk=second.pk).deleted_at is None
    assert said(response)[0] == "1 update deleted."
    assert "Not deleted: “Second.” (changed by someone else" in said(response)[1]


def test_approving_several_skips_one_changed_meanwhile(client_for, editor, writer, monkeypatch):
    """The approve action approves what it can and names the update another editor changed meanwhile."""
    live = make_live_article(authors=[writer.author], live_moderated=True)
    older = stream.post(live, writer, body="Older.", posted_at=timezone.now() - timedelta(minutes=5))
    newer = stream.post(live, writer, body="Newer.")
    someone_else_first(monkeypatch, "approve", lambda: stream.edit(older, editor, version=1, body="Older, edited."))
    data = {"action": "approve_selected", "_selected_action": [older.pk, newer.pk]}
    response = client_for(editor).post(reverse(CHANGELIST), data)
    assert response.status_code == 302
    assert Update.objects.get(pk=newer.pk).is_shown and not Update.objects.get(pk=older.pk).is_shown
    assert said(response)[0] == "1 update approved."
    assert "Not approved: “Older.” (changed by someone else" in said(response)[1]


def change_form(update, **fields):
    moment = timezone.localtime(update.posted_at)
    data = {"headline": update.headline, "body": update.body,
    "posted_at": moment.strftime("%Y-%m-%dT%H:%M:%S"), "correction": "", "opened_version": update.version}  # fmt: skip
    return {**data, **fields}


def test_the_full_form_changed_meanwhile_comes_back_with_the_text_typed(client_for, editor, monkeypatch):
    """Someone else's change between the form's check and the write: the form is shown again, with the editor's
    typed text and the problem, and nothing is overwritten."""
    update = stream.post(make_live_article(), editor, body="As it was.")
    someone_else_first(monkeypatch, "edit", lambda: stream.edit(update, editor, version=1, headline="Theirs"))
    typed = change_form(update, headline="Mine-typed-7Q", body="My long rewrite-4K.")
    response = client_for(editor).post(reverse("admin:live_update_change", args=[update.pk]), typed)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Mine-typed-7Q" in page and "My long rewrite-4K." in page and "changed by someone else" in page
    assert Update.objects.get().headline != "Mine-typed-7Q"


def test_a_future_time_on_the_full_form_is_named_on_its_field(client_for, editor):
    """The stream's rule on an update's time shows on the form's field, with what was typed kept."""
    update = stream.post(make_live_article(), editor, body="When?")
    later = timezone.localtime() + timedelta(days=2)
    typed = change_form(update, body="Typed-9F", posted_at=later.strftime("%Y-%m-%dT%H:%M:%S"))
    response = client_for(editor).post(reverse("admin:live_update_change", args=[update.pk]), typed)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["posted_at"] == ["An update's time cannot be in the future."]
    assert "Typed-9F" in response.content.decode() and Update.objects.get().body == "When?"
