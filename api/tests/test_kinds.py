"""Kinds of work in the API: each article's kind (slug, name, sponsored; null when none) and sponsor, in the list
and the detail as the schema says, and the list's ``kind=`` filter."""

import pytest

from api.tests.calls import assert_matches_schema, body, call, rows
from articles.tests.factories import kind_of_work, make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def pieces():
    return {
        "opinion": make_article(title="Keep the quay open", kind=kind_of_work("Opinion")),
        "sponsored": make_article(
            title="Ferry timetable", kind=kind_of_work("Sponsored"), sponsor="Harbour Ferries Ltd"
        ),
        "none": make_article(title="No kind yet"),
    }


def test_the_list_and_the_detail_give_each_kind_and_sponsor(client, schema, pieces):
    """Cards and the article say the kind (or null) and the sponsor, and validate against the schema."""
    response = call(client, "/articles")
    assert_matches_schema(schema, "/articles", response)
    cards = {card["title"]: (card["kind"], card["sponsor"]) for card in body(response)["data"]}
    assert cards == {
        "Keep the quay open": ({"slug": "opinion", "name": "Opinion", "sponsored": False}, ""),
        "Ferry timetable": ({"slug": "sponsored", "name": "Sponsored", "sponsored": True}, "Harbour Ferries Ltd"),
        "No kind yet": (None, ""),
    }
    path = f"/articles/{pieces['sponsored'].pk}"
    response = call(client, path)
    assert_matches_schema(schema, path, response)
    assert body(response)["kind"]["slug"] == "sponsored" and body(response)["sponsor"] == "Harbour Ferries Ltd"


def test_the_list_filters_by_kind(client, pieces):
    """``kind=opinion`` lists the opinion alone; an unknown kind lists nothing."""
    assert rows(client, "/articles", kind="opinion") == [pieces["opinion"].pk]
    assert rows(client, "/articles", kind="sponsored", limit=10) == [pieces["sponsored"].pk]
    assert rows(client, "/articles", kind="nowhere") == []


def test_the_schema_documents_the_filter(schema):
    """The article list's parameters include ``kind``, described."""
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/articles"]["get"]["parameters"]}
    assert "slug" in parameters["kind"]["description"]


def test_a_kind_filtered_list_carries_the_kinds_key(client, pieces, settings):
    """The edge purges a kind-filtered list when an article moves into or out of that kind (the kind's key)."""
    settings.NEWSROOM_EDGE_PURGE_URLS = ["http://127.0.0.1:6081/"]
    settings.NEWSROOM_EDGE_PURGE_SECRET = "test-secret"
    response = call(client, "/articles", kind="opinion")
    assert f"kl{kind_of_work('Opinion').pk}" in response["xkey"].split()
