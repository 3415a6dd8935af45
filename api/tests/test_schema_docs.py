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


def test_every_problem_answer_and_every_filter_has_an_example(schema):
    """Each documented problem shows a body as the API sends it, and each filter's description a value to copy
    (not an example, which Swagger UI would put in its form)."""
    for path, operations in schema["paths"].items():
        for operation in operations.values():
            for status, answer in operation["responses"].items():
                if status.startswith("4"):
                    example = answer["content"]["application/problem+json"]["example"]
                    assert example["status"] == int(status) and example["detail"], (path, status)
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query" and parameter["name"] not in ("cursor", "limit", "include"):
                    assert "For example `" in parameter["description"], (path, parameter["name"])


def test_every_endpoint_and_every_field_whose_name_does_not_say_it_all_is_described(schema):
    """Each operation says what it answers and when it refuses; fields such as a state, a time or a flag say what
    they mean (an article's `status`, `modified_at`, `live`; a correction's `kind`; a page's `next`)."""
    bare = [f"{path} {method}" for path, ops in schema["paths"].items() for method, op in ops.items()
            if not op.get("description")]  # fmt: skip
    assert bare == []
    schemas = schema["components"]["schemas"]
    wanted = {
        "ArticleCardOut": ["status", "published_at", "updated_at", "modified_at", "live", "lead_image"],
        "ArticleOut": ["body_html", "body_source"], "CorrectionOut": ["kind"], "LeadImageOut": ["picture"],
        "PictureOut": ["rights_expire_on", "renditions", "crops"], "UpdateOut": ["key_event", "pinned", "correction"],
        "ArticlePage": ["next"], "UpdatePage": ["next"], "PicturePage": ["next"],
    }  # fmt: skip
    bare = [(name, field) for name, fields in wanted.items() for field in fields
            if not schemas[name]["properties"][field].get("description")]  # fmt: skip
    assert bare == []
