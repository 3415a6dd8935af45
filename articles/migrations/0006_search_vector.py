"""A stored full-text vector for search, kept current by a PostgreSQL trigger, with a GIN index.

Ranking read from a stored vector instead of computing ``to_tsvector`` over every matching body on each
search. The trigger fills it on every insert and update, bulk inserts included; Django never writes it.
Other databases get an unused, empty column.
"""

import django.contrib.postgres.search
from django.db import migrations

VECTOR = """
    setweight(to_tsvector('english', coalesce({row}title, '')), 'A')
    || setweight(to_tsvector('english', coalesce({row}dek, '')), 'B')
    || setweight(to_tsvector('english', coalesce({row}body, '')), 'C')
"""

FORWARD = [
    "DROP INDEX IF EXISTS article_search_gin",
    f"""
    CREATE FUNCTION articles_article_search_vector() RETURNS trigger AS $$
    BEGIN
        NEW.search_vector := {VECTOR.format(row="NEW.")};
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER articles_article_search_vector BEFORE INSERT OR UPDATE ON articles_article
    FOR EACH ROW EXECUTE FUNCTION articles_article_search_vector()
    """,
    f"UPDATE articles_article SET search_vector = {VECTOR.format(row='')}",  # noqa: S608 - constant text
    "CREATE INDEX article_search_vector_gin ON articles_article USING gin (search_vector)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS article_search_vector_gin",
    "DROP TRIGGER IF EXISTS articles_article_search_vector ON articles_article",
    "DROP FUNCTION IF EXISTS articles_article_search_vector()",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("articles", "0005_images")]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(run(FORWARD), run(BACKWARD)),
    ]
