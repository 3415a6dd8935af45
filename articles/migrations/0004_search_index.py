"""A GIN index over the weighted full-text vector that search uses, on PostgreSQL only.

The expression must match ``articles.models.SEARCH_VECTOR`` exactly for the planner to use it.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

CONFIG = "english"
INDEX = GinIndex(
    SearchVector("title", weight="A", config=CONFIG)
    + SearchVector("dek", weight="B", config=CONFIG)
    + SearchVector("body", weight="C", config=CONFIG),
    name="article_search_gin",
)


def add_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("articles", "Article"), INDEX)


def remove_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("articles", "Article"), INDEX)


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_roles")]

    operations = [migrations.RunPython(add_index, remove_index)]
