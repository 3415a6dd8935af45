"""The OpenAPI schema is valid, served, and says what every endpoint answers: its 200s and its problems."""

import pytest
from openapi_spec_validator import validate

from api.tests.calls import PREFIX, assert_matches_schema, body, call
from api.tests.factories import make_hidden_stories, make_story

pytestmark = pytest.mark.django_db


def test_the_schema_is_valid_openapi_and_served(client, schema):
    validate(schema)
    served = client.get(f"{PREFIX}/openapi.json")
    assert served.status_code == 200
    assert body(served)["openapi"].startswith("3.1")
    assert set(body(served)["paths"]) == set(schema["paths"])


def test_the_docs_page_is_served_from_the_sites_own_files(client):
    """The docs page loads Swagger UI from this site's static files, with no inline script."""
    page = client.get(f"{PREFIX}/docs", headers={"Accept": "text/html"}).content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()


def _answers(article):
    section, author, tag = article.section.slug, article.bylines.get().author.slug, article.tags.get().slug
    return [
        ("/articles", {}), ("/articles", {"limit": 1}), (f"/articles/{article.pk}", {"include": "source"}),
        (f"/articles/{article.pk}/updates", {}), ("/sections", {}), (f"/sections/{section}", {}),
        ("/tags", {}), (f"/tags/{tag}", {}), ("/authors", {}), (f"/authors/{author}", {}),
        ("/pictures", {}), (f"/pictures/{article.lead_image_id}", {}), ("/corrections", {}),
        ("/articles", {"limit": "x"}), ("/articles", {"cursor": "x"}), ("/articles", {"published_since": "x"}),
        ("/articles/999999", {}), ("/articles/999999/updates", {}), ("/sections/nowhere", {}), ("/tags/nowhere", {}),
        ("/authors/nowhere", {}), ("/pictures/999999", {}), ("/corrections", {"limit": 0}),
        (f"/articles/{article.pk}", {"include": "x"}),
    ]  # fmt: skip


def test_every_answer_is_what_the_schema_says(client, schema):
    """Each endpoint's 200s and problems validate against the response schemas the schema gives them."""
    article = make_story("schema")
    withdrawn = make_hidden_stories()["withdrawn"]
    statuses = set()
    for path, params in [*_answers(article), (f"/articles/{withdrawn.pk}", {})]:
        response = call(client, path, **params)
        assert_matches_schema(schema, path, response)
        statuses.add(response.status_code)
    assert statuses == {200, 400, 403, 404, 410}  # 403: include=source without a drafts key


def test_304s_405s_and_406s_are_documented(client, schema):
    article = make_story("codes")
    path = f"/articles/{article.pk}"
    etag = call(client, path)["ETag"]
    assert_matches_schema(schema, path, client.get(f"{PREFIX}{path}", headers={"If-None-Match": etag}))
    assert_matches_schema(schema, path, client.delete(f"{PREFIX}{path}"))
    assert_matches_schema(schema, path, client.get(f"{PREFIX}{path}", headers={"Accept": "text/csv"}))
