"""The OpenAPI schema tells a developer what they need without reading the code: every parameter and every field
of a problem is described, and the API's description states its conventions (keys and scopes, pages by cursor,
ETags, rate limits, problems) under headings of their own."""

import pytest

pytestmark = pytest.mark.django_db


def test_every_parameter_says_what_it_is(schema):
    bare = [
        (path, parameter["name"])
        for path, operations in schema["paths"].items()
        for operation in operations.values()
        for parameter in operation.get("parameters", [])
        if not (parameter.get("description") or parameter.get("schema", {}).get("description"))
    ]
    assert bare == []


def test_a_problems_fields_are_described(schema):
    fields = schema["components"]["schemas"]["Problem"]["properties"]
    assert {name for name, field in fields.items() if not field.get("description")} == set()


def test_the_description_states_the_conventions(schema):
    description = schema["info"]["description"]
    for heading in ("## Keys", "## Pages", "## Caching", "## Rate limits", "## Errors"):
        assert heading in description
    for term in ("read-drafts", "next", "If-None-Match", "Retry-After", "application/problem+json", "parameter"):
        assert term in description
