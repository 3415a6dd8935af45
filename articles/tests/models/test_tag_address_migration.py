"""Migration 0019 gives every tag saved without an address one that readers can open."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from articles.tests.factories import make_article

BEFORE = [("articles", "0018_banner_story_and_pin_board_order")]
AFTER = [("articles", "0019_tags_without_an_address")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_tags_saved_without_an_address_get_one_and_the_pages_open_again():
    old = migrate(BEFORE)
    OldTag = old.get_model("taggit", "Tag")
    bang = OldTag.objects.create(name="!!!", slug="")  # as django-taggit left such a name
    OldTag.objects.create(name="tag", slug="tag")
    kept = OldTag.objects.create(name="Harbour works", slug="harbour-works")
    migrate(AFTER)
    from taggit.models import Tag

    assert Tag.objects.get(pk=bang.pk).slug == "tag-2"
    assert Tag.objects.get(pk=kept.pk).slug == "harbour-works"
    migrate(latest())  # the pages below are today's
    article = make_article(title="Quay vote")
    article.tags.add(Tag.objects.get(pk=bang.pk))
    reader = Client(raise_request_exception=False)
    assert reader.get("/").status_code == 200 and reader.get("/tags/tag-2/").status_code == 200
    assert reader.get(article.get_absolute_url()).status_code == 200
