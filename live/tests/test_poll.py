from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.tests.factories import make_article
from live import stream
from live.public import poll
from live.tests.factories import HIDDEN_PAGES, make_live_article

pytestmark = pytest.mark.django_db


def poll_url(article):
    return reverse("live:poll", kwargs={"slug": article.slug})


def answer(client, article, **headers):
    response = client.get(poll_url(article), headers=headers)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    return response.json()


def test_the_answer_holds_the_streams_position_and_its_latest_changes(client, editor):
    """The poll says where the stream stands, that coverage runs, and each change with its rendered update."""
    article = make_live_article()
    first = stream.post(article, editor, body="Polls **close** at eight.", headline="Polls close-7Q")
    second = stream.post(article, editor, body="Turnout high-4K.", pinned=True)
    data = answer(client, article)
    assert {key: data[key] for key in ("seq", "running", "order", "complete_from")} == {
        "seq": 2, "running": True, "order": "newest", "complete_from": 1,
    }  # fmt: skip
    assert [(c["id"], c["seq"], c["shown"], c["pinned"]) for c in data["changes"]] == [
        (second.pk, 2, True, True), (first.pk, 1, True, False),
    ]  # fmt: skip
    html = data["changes"][1]["html"]
    assert f'id="update-{first.pk}"' in html and 'data-seq="1"' in html and "<strong>close</strong>" in html
    assert "Polls close-7Q" in html and data["changes"][1]["posted_at"] == first.posted_at.isoformat()


def test_the_answer_says_the_count_and_each_key_event_as_the_summary_lists_it(client, editor):
    """The stream's count (as the page states it) and, for a key event, its entry in the key events' summary,
    the same markup the page renders; a deleted key event is a tombstone like any other."""
    article = make_live_article()
    key = stream.post(article, editor, body="Polls **close** at eight.", headline="Polls close-7Q", key_event=True)
    plain = stream.post(article, editor, body="Turnout high-4K.")
    worded = stream.post(article, editor, body="The count <em>begins</em> in the main hall-2P.", key_event=True)
    data = answer(client, article)
    assert (data["shown_count"], data["per_page"]) == (3, 20)
    changes = {change["id"]: change for change in data["changes"]}
    assert not changes[plain.pk]["key_event"] and "key_event_html" not in changes[plain.pk]
    page = client.get(article.get_absolute_url()).content.decode()
    for update in (key, worded):
        entry = changes[update.pk]["key_event_html"]
        assert changes[update.pk]["key_event"] and entry in page
        assert entry.startswith(f'<li><a href="#update-{update.pk}"><time datetime=')
    assert "Polls close-7Q</a></li>" in changes[key.pk]["key_event_html"]
    assert "The count begins in the main hall-2P.</a></li>" in changes[worded.pk]["key_event_html"]
    stream.delete(key, editor, version=key.version)
    data = answer(client, article)
    assert data["shown_count"] == 2 and data["changes"][0] == {"id": key.pk, "seq": 4, "shown": False}


def test_a_live_page_with_no_update_yet_answers_an_empty_stream(client):
    """Coverage set up but nothing posted: position 0, no changes."""
    data = answer(client, make_live_article(live_from=timezone.now() + timedelta(hours=1)))
    assert (data["seq"], data["running"], data["changes"]) == (0, False, [])


def test_an_ended_oldest_first_page_says_its_order(client, editor):
    """Once coverage ends, the order the desk chose is the order the script keeps."""
    article = make_live_article()
    stream.post(article, editor, body="Before the end.")
    Article.objects.filter(pk=article.pk).update(live_until=timezone.now(), live_oldest_first=True)
    data = answer(client, article)
    assert (data["running"], data["order"]) == (False, "oldest")


def test_edits_and_deletions_are_changes_and_deleted_updates_are_tombstones(client, editor):
    """An edit comes back with its new text; a deletion as a tombstone that carries nothing of the update."""
    article = make_live_article()
    kept = stream.post(article, editor, body="Count begins.")
    gone = stream.post(article, editor, body="Wrong figure-9Z.", headline="Figure-9Z")
    stream.edit(kept, editor, version=1, body="Count begins in the hall-3M.")
    stream.delete(gone, editor, version=1)
    data = answer(client, article)
    assert data["seq"] == 4
    assert data["changes"][0] == {"id": gone.pk, "seq": 4, "shown": False}
    assert data["changes"][1]["id"] == kept.pk and "hall-3M" in data["changes"][1]["html"]
    assert "9Z" not in str(data)


def test_a_pending_update_is_never_shown(client, writer, editor):
    """An update waiting for an editor is not in the answer at all (not even its id) until approved."""
    article = make_live_article(authors=[writer.author], live_moderated=True)
    update = stream.post(article, writer, body="Unchecked claim-5P.")
    data = answer(client, article)
    assert data["changes"] == [] and "5P" not in str(data)
    stream.approve(update, editor, version=1)
    data = answer(client, article)
    assert data["changes"][0]["shown"] and "claim-5P" in data["changes"][0]["html"]


def test_a_page_far_behind_is_told_where_the_window_starts(client, editor, monkeypatch):
    """The answer holds the latest changes only; ``complete_from`` says from which position they are complete."""
    monkeypatch.setattr(poll, "WINDOW", 3)
    article = make_live_article()
    for n in range(5):
        stream.post(article, editor, body=f"Update {n}.")
    data = answer(client, article)
    assert [change["seq"] for change in data["changes"]] == [5, 4, 3] and data["complete_from"] == 3


def test_a_new_post_changes_the_cached_answer_at_once_and_leaves_other_pages_cached(client, editor, settings):
    """Through the page cache: the poll is a hit until a post, then a miss showing it; an unrelated page stays a hit."""
    assert settings.NEWSROOM_PAGE_CACHE_SECONDS > 0
    article = make_live_article()
    other = make_article(title="Harbour report")
    stream.post(article, editor, body="First.")
    client.get(other.get_absolute_url())
    assert client.get(poll_url(article))["X-Cache"] == "miss"
    assert client.get(poll_url(article))["X-Cache"] == "hit"
    stream.post(article, editor, body="Second-2W.")
    response = client.get(poll_url(article))
    assert response["X-Cache"] == "miss" and response.json()["seq"] == 2 and "Second-2W" in str(response.json())
    assert client.get(other.get_absolute_url())["X-Cache"] == "hit"


def test_a_poll_repeated_with_the_etag_is_a_304_from_the_cache_or_not(client, editor, settings):
    """If-None-Match with the current ETag is a 304, whether the answer was rendered now or came from the cache."""
    article = make_live_article()
    stream.post(article, editor, body="First.")
    for seconds in (600, 0):
        settings.NEWSROOM_PAGE_CACHE_SECONDS = seconds
        first = client.get(poll_url(article))
        etag = first["ETag"]
        again = client.get(poll_url(article), headers={"if-none-match": etag})
        assert again.status_code == 304 and again.content == b""
        stream.post(article, editor, body=f"More, with the cache at {seconds}.")
        assert client.get(poll_url(article), headers={"if-none-match": etag}).status_code == 200


@pytest.mark.parametrize("fields", **HIDDEN_PAGES)
def test_a_page_readers_cannot_see_answers_404_with_nothing_of_its_stream(client, editor, fields):
    """Unpublished, embargoed, withdrawn or not a live page: a JSON 404 and not a word of any update."""
    article = make_live_article()
    stream.post(article, editor, body="Secret update-8R.")
    Article.objects.filter(pk=article.pk).update(**fields)
    response = client.get(poll_url(article))
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert "8R" not in response.content.decode() and "error" in response.json()


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_methods_other_than_get_and_head_are_refused(client, editor, method):
    """A poll is read only: anything else is a 405 naming GET and HEAD."""
    article = make_live_article()
    response = getattr(client, method)(poll_url(article))
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD"


@pytest.mark.parametrize(
    "address",
    [
        "/articles/no-such-page/live/updates.json",
        "/articles/%E2%98%83/live/updates.json",
        "/articles/a%20b/live/updates.json",
        "/articles/x/live/updates.json?since=-1&seq=abc&page=zz",
        "/articles/" + "x" * 3000 + "/live/updates.json",
    ],
)
def test_bad_addresses_never_fail(client, address):
    """Odd slugs and query junk are a 404, never a server error."""
    assert client.get(address).status_code == 404


def test_query_junk_does_not_change_the_answer(client, editor):
    """Parameters the poll does not read change nothing, so they cannot split the cached answer either."""
    article = make_live_article()
    stream.post(article, editor, body="First.")
    plain = client.get(poll_url(article))
    junk = client.get(poll_url(article) + "?since=3&_=12345")
    assert junk.status_code == 200 and junk.content == plain.content and junk["X-Cache"] == "hit"


def test_the_answer_and_its_404_carry_their_surrogate_keys(client, editor, settings):
    """An edge keeps the poll under the stream's and the article's keys; a 404 under "missing" (a publication
    can make it answer)."""
    article = make_live_article()
    stream.post(article, editor, body="First.")
    settings.NEWSROOM_EDGE_PURGE_URLS = ["http://127.0.0.1:9/"]
    for _ in range(2):  # rendered, then from the cache
        assert set(client.get(poll_url(article))["xkey"].split()) >= {f"u{article.pk}", f"a{article.pk}"}
    Article.objects.filter(pk=article.pk).update(live_from=None)
    assert "missing" in client.get(poll_url(article))["xkey"].split()


def test_a_live_page_loads_its_script_from_a_file_and_keeps_a_space_for_the_button(client, editor):
    """The stream names its poll address and loads the script that asks it (no inline script: the CSP forbids
    it); an ordinary article loads no such script."""
    article = make_live_article()
    stream.post(article, editor, body="First.")
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'data-poll="{poll_url(article)}"' in page and 'data-seq="1"' in page
    assert 'src="/static/live/live.js" defer' in page and "data-live-notice" in page
    assert "live.js" not in client.get(make_article().get_absolute_url()).content.decode()
