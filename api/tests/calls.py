"""Calls to the API in tests, and what its schema says of their answers."""

import json

from openapi_schema_validator import OAS31Validator

PREFIX = "/api/v1"


def load_schema():
    from api.service import service

    return json.loads(json.dumps(service.get_openapi_schema(path_prefix=PREFIX)))


def call(client, path, **params):
    """A GET of ``path`` under the API, with ``params`` as its query (``None`` values left out)."""
    params = {name: value for name, value in params.items() if value is not None}
    return client.get(f"{PREFIX}{path}", params)


def body(response):
    return json.loads(response.content)


def rows(client, path, **params):
    """The ``data`` of a list endpoint's first page, as (id or slug) values."""
    response = call(client, path, **params)
    assert response.status_code == 200, response.content
    return [row.get("id", row.get("slug")) for row in body(response)["data"]]


def walk(client, path, **params):
    """Every row of a list, page after page, following the ``next`` address (as ``client``, the same caller)."""
    found, response = [], call(client, path, **params)
    while True:
        assert response.status_code == 200, response.content
        page = body(response)
        found += page["data"]
        if not page["next"]:
            return found
        response = client.get(page["next"])


def operation_for(schema, path):
    """The schema's GET operation answering ``path`` (a path as called, ids filled in)."""
    for template, operations in schema["paths"].items():
        parts, called = template.strip("/").split("/"), f"{PREFIX}{path}".strip("/").split("/")
        if len(parts) == len(called) and all(p == c or p.startswith("{") for p, c in zip(parts, called, strict=True)):
            return operations["get"]
    raise AssertionError(f"No operation in the schema for {path}")


def assert_matches_schema(schema, path, response):
    """The response's status, content type and body are what the schema says ``path`` answers."""
    documented = operation_for(schema, path)["responses"]
    assert str(response.status_code) in documented, f"{response.status_code} not documented for {path}"
    content = documented[str(response.status_code)].get("content")
    if content is None:
        assert not response.content
        return
    kind = response["Content-Type"].split(";")[0]
    assert kind in content, f"{kind} not documented for {response.status_code} at {path}"
    shape = {**content[kind]["schema"], "components": schema["components"]}
    OAS31Validator(shape).validate(json.loads(response.content))
