"""Through the whole chain (gunicorn behind a real ``varnishd``), the API's query parameters reach the app: a
filter, a limit and a cursor are the list asked for, not the first page of everything."""

import json

import pytest

from articles.models import Section
from articles.tests.factories import make_article
from tests.edgestack import edge, stack  # noqa: F401 - the edge chain's fixtures

pytestmark = pytest.mark.django_db(transaction=True)

EDGE_SECONDS = 3600


def titles(answer):
    status, _, body = answer
    assert status == 200, body
    return [row["title"] for row in json.loads(body)["data"]]


def test_the_edge_keeps_the_api_filters_limit_and_cursor(edge):  # noqa: F811
    port = Section.objects.create(name="Port", slug="port")
    make_article(title="Elsewhere")
    for n in range(3):
        make_article(title=f"Port story {n}", section=port)
    edge.cached("/api/v1/articles")
    assert titles(edge.get("/api/v1/articles?section=port&limit=2")) == ["Port story 2", "Port story 1"]
    _, _, body = edge.get("/api/v1/articles?section=port&limit=2")
    following = json.loads(body)["next"].split("/api/", 1)[1]
    assert titles(edge.get(f"/api/{following}")) == ["Port story 0"]
