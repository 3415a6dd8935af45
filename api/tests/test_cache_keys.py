"""The page cache keys an API answer by its parameters as they were sent: a value holding ``&`` or ``=`` is not
another call's parameters, so no caller can store an answer under the address of another list."""

import json

import pytest

from articles.models import Section
from articles.tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_a_value_that_reads_like_two_parameters_keys_its_own_answer(client):
    port = Section.objects.create(name="Port", slug="port")
    make_article(title="Ferry order k4", section=port, tags=["ferries"])
    poisoned = client.get("/api/v1/articles", {"section": "port&tag=ferries"})
    assert json.loads(poisoned.content)["data"] == []
    asked = client.get("/api/v1/articles", {"section": "port", "tag": "ferries"})
    assert asked["X-Cache"] == "miss"
    assert [row["title"] for row in json.loads(asked.content)["data"]] == ["Ferry order k4"]
