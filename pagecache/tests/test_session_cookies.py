"""A session cookie bypasses the page cache only when it names a session someone signed in to: a made-up or
expired one is a reader's, answered from the cache (otherwise any client could make every request a render)."""

import pytest

from articles.tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_a_made_up_session_cookie_is_answered_from_the_cache(client):
    make_article()
    client.cookies["sessionid"] = "made-up-by-anyone"
    first, second = client.get("/"), client.get("/")
    assert first["X-Cache"] == "miss" and second["X-Cache"] == "hit"
    assert "private" not in second["Cache-Control"]


def test_a_signed_in_session_is_never_answered_from_the_cache(client, editor):
    make_article()
    client.get("/")  # stored for readers
    client.force_login(editor)
    for _ in range(2):
        response = client.get("/")
        assert "X-Cache" not in response and "private" in response["Cache-Control"]
    client.logout()
    client.cookies["sessionid"] = "left-over-after-sign-out"
    assert client.get("/")["X-Cache"] == "hit"
