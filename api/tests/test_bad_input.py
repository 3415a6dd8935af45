"""Hostile and absurd input is answered with a 4xx problem, never a 5xx (on PostgreSQL as on SQLite)."""

import pytest

from api.tests.calls import body, call

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/articles/99999999999999999999", {}),
        ("/articles/99999999999999999999/updates", {}),
        ("/pictures/99999999999999999999", {}),
        ("/articles", {"published_since": "0001-01-01T00:00:00+01:00"}),
        ("/articles", {"updated_since": "9999-12-31T23:59:59-05:00"}),
        ("/articles", {"published_since": "99999999999999999999"}),
        ("/articles", {"published_since": "1e400"}),
        ("/articles", {"q": "a" * 300}),
        ("/articles", {"q": "!!! & | :* <-> '"}),
        ("/articles", {"section": "é" * 300, "tag": "'; drop table", "author": "%"}),
        ("/sections/" + "x" * 500, {}),
        ("/articles", {"limit": "1e3"}),
        ("/articles", {"limit": "99999999999999999999999"}),
    ],
)
def test_absurd_input_is_never_a_server_error(client, path, params):
    response = call(client, path, **params)
    assert response.status_code < 500
    if response.status_code != 200:
        assert response["Content-Type"] == "application/problem+json"
        assert body(response)["status"] == response.status_code
