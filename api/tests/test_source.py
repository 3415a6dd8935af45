"""An article's Markdown (``include=source``) holds what its page never shows readers: HTML comments, footnotes
nothing refers to. Only a key with the drafts scope reads it; anyone else gets a 403 naming the parameter."""

import json

import pytest

from api.models import ApiKey
from api.tests.key_factories import bearer, make_key
from articles.tests.factories import make_article

pytestmark = pytest.mark.django_db

BODY = "Harbour reopens.\n\n<!-- source: the minister's aide, do not name hidden-7Q -->\n\n[^aside]: unshown-note-7Q\n"


@pytest.fixture
def article():
    return make_article(title="Harbour reopens", body=BODY)


def test_readers_never_get_the_markdown(client, article):
    for headers in ({}, bearer(make_key()[1])):
        response = client.get(f"/api/v1/articles/{article.pk}", {"include": "source"}, **headers)
        assert response.status_code == 403, response.content
        assert json.loads(response.content)["parameter"] == "include"
        assert b"7Q" not in response.content
        page = client.get(f"/api/v1/articles/{article.pk}", **headers)
        assert page.status_code == 200 and b"hidden-7Q" not in page.content and b"unshown-note-7Q" not in page.content


def test_a_drafts_key_gets_the_markdown(client, article):
    _, full = make_key(scope=ApiKey.Scope.DRAFTS)
    response = client.get(f"/api/v1/articles/{article.pk}", {"include": "source"}, **bearer(full))
    assert response.status_code == 200
    assert json.loads(response.content)["body_source"] == BODY
