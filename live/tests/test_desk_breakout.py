"""Breaking a key event out into a draft article: its title in plain text, only a key event, and once only."""

import pytest
from django.test import Client

from articles.models import Article
from live import stream
from live.models import Update
from live.tests.factories import desk_url, make_live_article

pytestmark = pytest.mark.django_db


def test_a_title_from_the_updates_text_carries_no_html_entities(client_for, editor):
    """An update with no headline is titled by its first words, as readers read them (``Q&A``, not ``Q&amp;A``)."""
    update = stream.post(make_live_article(), editor, body="Q&A: turnout 3 < 4 & rising.", key_event=True)
    answer = client_for(editor).post(desk_url("break_out", update.pk))
    assert answer.status_code == 201
    assert Article.objects.get(pk=answer.json()["article"]["id"]).title == "Q&A: turnout 3 < 4 & rising."


def test_an_update_that_is_not_a_key_event_is_not_broken_out(client_for, editor):
    """The server refuses, naming why, whatever the page showed; no draft is made."""
    update = stream.post(make_live_article(), editor, body="Just a note.")
    answer = client_for(editor).post(desk_url("break_out", update.pk))
    assert answer.status_code == 400
    assert answer.json()["errors"] == {"__all__": ["Only a key event can be broken out as an article."]}
    assert Article.objects.count() == 1


def test_breaking_out_twice_answers_with_the_same_draft(client_for, editor, writer):
    """A double click, or a second person at the same time, gets the draft already made, not another one."""
    live = make_live_article(authors=[writer.author])
    update = stream.post(live, editor, body="The count is over.", headline="Count over", key_event=True)
    first = client_for(editor).post(desk_url("break_out", update.pk))
    other = Client()
    other.force_login(writer)
    second = other.post(desk_url("break_out", update.pk))
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["article"] == second.json()["article"]
    assert Article.objects.count() == 2 and Update.objects.get().broken_out_as_id == first.json()["article"]["id"]
    row = client_for(editor).get(desk_url("stream", live.pk)).json()["updates"][0]["html"]
    assert "Its article" in row and 'data-action="break-out"' not in row


def test_a_draft_deleted_lets_the_update_be_broken_out_again(client_for, editor):
    """Deleting the draft forgets it: the next request makes a new one."""
    update = stream.post(make_live_article(), editor, body="Again.", key_event=True)
    first = client_for(editor).post(desk_url("break_out", update.pk)).json()["article"]["id"]
    Article.objects.filter(pk=first).delete()
    again = client_for(editor).post(desk_url("break_out", update.pk))
    assert again.status_code == 201 and again.json()["article"]["id"] != first
