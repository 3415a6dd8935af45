"""Through the whole chain (gunicorn behind a real ``varnishd``), the API's query parameters reach the app: a
filter, a limit and a cursor are the list asked for, not the first page of everything."""

import json

import pytest
from django.utils import timezone

from api.models import ApiKey
from api.tests.key_factories import make_key
from articles.models import Article, Section
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


def test_a_key_in_x_api_key_is_answered_by_the_app_and_its_answer_is_kept_from_readers(edge):  # noqa: F811
    """The edge answers a key's calls from the app (which checks the key), never from what readers were given;
    what the key saw is not given to the next reader."""
    make_article(title="Out now")
    make_article(title="Draft k9", status=Article.Status.DRAFT, published_at=None)
    _, full = make_key(scope=ApiKey.Scope.DRAFTS)
    edge.cached("/api/v1/articles")
    assert "Draft k9" in titles(edge.get("/api/v1/articles", X_API_Key=full))
    status, headers, body = edge.get("/api/v1/articles")
    assert (status, headers["X-Cache"], titles((status, headers, body))) == (200, "HIT", ["Out now"])
    ApiKey.objects.filter(pk=ApiKey.objects.get().pk).update(revoked_at=timezone.now())
    assert edge.get("/api/v1/articles", X_API_Key=full)[0] == 401
