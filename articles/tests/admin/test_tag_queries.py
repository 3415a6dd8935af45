"""Saving a story with many tags: the form's own checks (names as stored, which are new) ask the database a fixed
number of times, whatever the number of tags. What remains is django-taggit's own, one lookup a tag when it
adds tags case-insensitively (TAGGIT_CASE_INSENSITIVE)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from articles.admin.tagging import tag_text
from articles.tests.factories import change_url, draft_by, form_data, refresh


def tag_queries(client, article, names):
    with CaptureQueriesContext(connection) as queries:
        response = client.post(change_url(article), form_data(refresh(article), tags=tag_text(names), _continue="1"))
    assert response.status_code == 302, response.content.decode()[:2000]
    return sum('"taggit_tag"' in query["sql"] for query in queries.captured_queries)


def test_many_tags_cost_the_form_no_query_more_than_a_few(client_for, writer):
    names = [f"Harbour topic {n}" for n in range(200)]
    Tag.objects.bulk_create([Tag(name=name, slug=f"harbour-topic-{n}") for n, name in enumerate(names)])
    Tag.objects.create(name='The "Quay" vote', slug="the-quay-vote")  # stored with quotes the box drops
    client = client_for(writer)
    few = tag_queries(client, draft_by(writer, title="Quay vote"), [*names[:2], "The Quay vote"])
    many = tag_queries(client, draft_by(writer, title="Quay vote again"), [*names, "The Quay vote"])
    assert many - few <= len(names) - 2, (few, many)  # taggit's lookup of each added tag, no more
    assert set(refresh(draft_by(writer)).tags.names()) == set()  # nothing leaked between stories
