"""A cursor belongs to the list it came from, the address included: one live page's cursor is refused on
another's updates (400 naming the cursor), as one list's is on a list with other filters."""

import json

import pytest

from live import stream
from live.tests.factories import make_live_article

pytestmark = pytest.mark.django_db


def test_a_live_pages_cursor_is_refused_on_another_page(client, editor):
    first, second = make_live_article(), make_live_article()
    for page in (first, second):
        for n in range(2):
            stream.post(page, editor, body=f"Update {n} on {page.pk}.")
    answer = json.loads(client.get(f"/api/v1/articles/{first.pk}/updates", {"limit": 1}).content)
    cursor = answer["next"].split("cursor=", 1)[1]
    response = client.get(f"/api/v1/articles/{second.pk}/updates?limit=1&cursor={cursor}")
    assert response.status_code == 400
    assert json.loads(response.content)["parameter"] == "cursor"
