"""Cursor pagination: every article once, in order, however the list grows meanwhile; bad cursors and filters
are 400 problems naming the parameter, never a 500."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from api.tests.calls import body, call, walk
from articles.tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_walking_every_page_returns_every_article_once_in_order_despite_an_insert(client):
    """Newest first, each once, with a Link header naming the next page; an article published between two
    pages is not repeated nor does it shift the rest."""
    start = timezone.now() - timedelta(days=1)
    same_moment = start + timedelta(minutes=30)
    articles = [make_article(published_at=start + timedelta(minutes=i)) for i in range(7)]
    articles += [make_article(published_at=same_moment) for _ in range(4)]  # ties, by id, across two pages
    first = call(client, "/articles", limit=3)
    assert first["Link"] == f'<{body(first)["next"]}>; rel="next"'
    seen = [row["id"] for row in body(first)["data"]]
    make_article(published_at=timezone.now() - timedelta(minutes=1))  # newer than any: on no later page
    found = seen + [row["id"] for row in walk(Client(), "/articles", limit=3, cursor=_cursor(body(first)))]
    expected = [a.pk for a in sorted(articles, key=lambda a: (a.published_at, a.pk), reverse=True)]
    assert found == expected


def _cursor(page):
    from urllib.parse import parse_qs, urlsplit

    return parse_qs(urlsplit(page["next"]).query)["cursor"][0]


def test_a_cursor_keeps_its_filters(client):
    """A cursor from one list is refused for another (other filters): 400 naming the cursor."""
    for _ in range(3):
        make_article(tags=["kept"])
    page = body(call(client, "/articles", tag="kept", limit=1))
    response = call(client, "/articles", limit=1, cursor=_cursor(page))
    assert response.status_code == 400
    assert body(response)["parameter"] == "cursor"


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"cursor": "garbage"}, "cursor"),
        ({"cursor": "eyJsIjoxfQ:1abc:def"}, "cursor"),
        ({"cursor": "ünïcode:😀"}, "cursor"),
        ({"limit": "0"}, "limit"),
        ({"limit": "101"}, "limit"),
        ({"limit": "many"}, "limit"),
        ({"published_since": "yesterday"}, "published_since"),
        ({"updated_since": "2024-13-45T99:00"}, "updated_since"),
        ({"include": "everything"}, "include"),
    ],
)
def test_bad_parameters_are_400_problems_naming_them(client, params, parameter):
    """Each bad value gets a problem (application/problem+json) naming its parameter."""
    path = "/articles" if "include" not in params else f"/articles/{make_article().pk}"
    response = call(client, path, **params)
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert json.loads(response.content)["parameter"] == parameter


def test_filters_narrow_the_list(client):
    """Section, tag, author, published and updated since, and search each narrow the list."""
    old = make_article(published_at=timezone.now() - timedelta(days=10), title="Harbour cranes idle")
    new = make_article(tags=["port"], title="Ferries return")
    since = (timezone.now() - timedelta(days=1)).isoformat()
    ids = lambda **params: [row["id"] for row in body(call(client, "/articles", **params))["data"]]  # noqa: E731
    assert ids(published_since=since) == [new.pk]
    assert ids(tag="port") == [new.pk]
    assert ids(tag="nowhere") == []
    assert ids(q="harbour") == [old.pk]
    assert set(ids(updated_since=since)) == {old.pk, new.pk}


def test_a_drafts_key_walks_drafts_too(client, drafts_caller):
    """Drafts (no publication time) come after every dated article, each once, in id order."""
    dated = [make_article(published_at=timezone.now() - timedelta(hours=i)) for i in range(1, 4)]
    drafts = [make_article(status="draft", published_at=None) for _ in range(3)]
    found = [row["id"] for row in walk(client, "/articles", limit=2)]
    assert found == [a.pk for a in dated] + [a.pk for a in reversed(drafts)]
