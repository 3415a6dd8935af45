"""The importer writes new articles in bulk (one INSERT or COPY for a window of files) and every other article
through ``Article.save()``: both give the same rows, field by field, whichever database runs them, and a
window whose bulk write fails is written again one file at a time."""

from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection

from articles.markup import markdown
from articles.models import Article, ArticleAlias, ArticleImage, Byline, TaggedArticle
from articles.tests.factories import make_picture
from interchange import bulkwrite
from interchange.tests.factories import run_import, write

pytestmark = pytest.mark.django_db

# Columns that must differ between two writes of the same file: row ids and the moments of writing.
MOMENTS = {"id", "created_at", "modified_at", "history_id", "history_date"}

DOCUMENTS = {
    "plain": "---\ntitle: Harbour reopens\ndate: 2024-05-01T09:30:00+02:00\nsummary: The port is open.\n"
    "authors: [Ana Ruiz, {name: Bo Li, role: Photos}]\ntags: [Harbour, Weather]\naliases: [/old/harbour/]\n"
    "section: Business\nexpiryDate: 2030-01-01\nweight: 3\n---\nThe harbour is open again.\n",
    "lead repeated in the body": "---\ntitle: Storm warning\ndate: 2024-05-01\nimage: https://img.example/s.jpg\n"
    "imageAlt: Waves\n---\n![Waves](https://img.example/s.jpg)\n\n# Storm warning\n\nWinds of 90 km/h.\n",
    "escapes YAML reads as control characters": '---\ntitle: "Night\\0 shift\\r\\nat the port"\ndate: 2024-05-01\n'
    'summary: "Dek\\0 with\\r\\nbreaks"\n---\nBody\u0085 with a next-line character.\r\n\r\nSecond paragraph.\r\n',
    "library pictures and footnotes": "---\ntitle: Pictures\ndate: 2024-05-01\ndraft: true\n---\n"
    'Text[^1] and ![inline](image:{pk}).\n\n![Figure](image:{pk} "A caption")\n\n![bad](image:1.5)\n\n'
    "[^1]: A note.\n",
    "JSON front matter": '{"title": "From JSON", "date": "2024-05-01T10:00:00Z", "tags": "a, b", "draft": false}\n'
    "Body from JSON.\n",
}


def _rows(model, **filters):
    """Every row of ``model`` as {column: value}, without ids and moments, in a stable order."""
    columns = [f.attname for f in model._meta.concrete_fields if f.attname not in MOMENTS]
    if model is Article and connection.vendor == "postgresql":
        columns.append("search_vector")  # written by the database's trigger on either path
    rows = [dict(row) for row in model.objects.filter(**filters).values(*columns)]
    return sorted(rows, key=repr)


def _snapshot():
    """What an import wrote: articles, their revisions, bylines, tags, old addresses and pictures in use."""
    article = Article.objects.get()
    history = [
        {name: value for name, value in row.items() if name not in MOMENTS}
        for row in Article.history.filter(id=article.pk).values()
    ]
    return {
        "article": _rows(Article),
        "history": history,
        "bylines": [(b.author.name, b.role, b.position) for b in Byline.objects.select_related("author")],
        "tags": sorted(TaggedArticle.objects.values_list("tag__name", flat=True)),
        "aliases": list(ArticleAlias.objects.values_list("path", flat=True)),
        "pictures": list(ArticleImage.objects.values_list("image_id", flat=True)),
    }


def _differences(bulk, saved):
    """The columns on which two lists of rows differ, for the failure message."""
    if len(bulk) != len(saved) or not all(isinstance(row, dict) for row in bulk):
        return bulk, saved
    return [
        (name, one[name], other.get(name))
        for one, other in zip(bulk, saved, strict=True)
        for name in one
        if one[name] != other.get(name)
    ]


def _import(folder, **options):
    call_command("import_markdown", str(folder), stdout=StringIO(), stderr=StringIO(), **options)


@pytest.mark.parametrize("name", DOCUMENTS)
def test_a_file_imported_in_bulk_and_saved_one_by_one_gives_the_same_rows(tmp_path, name):
    """The same file, imported by the bulk path and then (after deleting what it wrote) by the path that saves
    through ``Article.save()``: equal article rows (the search vector too, on PostgreSQL), equal revisions,
    bylines, tags, old addresses and recorded pictures."""
    picture = make_picture()
    (tmp_path / "story.md").write_bytes(DOCUMENTS[name].replace("{pk}", str(picture.pk)).encode())

    with mock.patch.object(bulkwrite, "insert_articles", wraps=bulkwrite.insert_articles) as bulk:
        _import(tmp_path)
    assert bulk.call_count == 1, "the bulk path wrote it"
    in_bulk = _snapshot()

    Article.objects.all().delete()
    Article.history.all().delete()
    ArticleAlias.objects.all().delete()
    with (
        mock.patch.object(bulkwrite, "insert_articles") as bulk,
        mock.patch.object(Article, "save", autospec=True, side_effect=Article.save) as save,
    ):
        _import(tmp_path, fetch_images=True)  # fetching writes each file in its own transaction, through save()
    assert bulk.call_count == 0 and save.call_count == 1
    saved = _snapshot()

    for part in in_bulk:
        assert in_bulk[part] == saved[part], (part, _differences(in_bulk[part], saved[part]))
    assert in_bulk["article"][0]["body_html"] and in_bulk["history"]


class TestBulkImport:
    def files(self, folder, count):
        for n in range(count):
            write(
                folder,
                f"story-{n}.md",
                f"---\ntitle: Story {n}\nslug: story-{n}\ndate: 2026-01-02T03:04:05Z\ntags: [Harbour, Tag {n}]\n"
                f"authors: [Ann Reporter, Bob {n}]\naliases: [/old/{n}/]\n---\nBody *{n}*.\n",
            )

    def test_new_articles_arrive_whole(self, tmp_path):
        self.files(tmp_path, 5)
        out, err, error = run_import(tmp_path)
        assert error is None and "5 created" in out
        article = Article.objects.get(slug="story-3")
        assert article.body_html == "<p>Body <em>3</em>.</p>" and article.html_renderer == markdown.RENDERER_VERSION
        assert sorted(article.tags.names()) == ["Harbour", "Tag 3"]
        assert [b.author.name for b in article.bylines.order_by("position")] == ["Ann Reporter", "Bob 3"]
        assert ArticleAlias.objects.get(path="/old/3/").article == article
        assert [h.history_type for h in article.history.all()] == ["+"]
        assert article.version == article.imported_version == 1

    def test_a_failing_bulk_write_leaves_nothing_and_each_file_is_written_alone(self, tmp_path, monkeypatch):
        self.files(tmp_path, 4)
        real = bulkwrite.insert_rows

        def fail_once(model, attnames, rows):
            if model is TaggedArticle and not getattr(fail_once, "failed", False):
                fail_once.failed = True
                raise IntegrityError("simulated")
            return real(model, attnames, rows)

        monkeypatch.setattr(bulkwrite, "insert_rows", fail_once)
        out, err, error = run_import(tmp_path)
        assert "4 created" in out and "0 failed" in out
        assert Article.objects.count() == 4 and Article.history.count() == 4
        assert Byline.objects.count() == 8 and TaggedArticle.objects.count() == 8

    def test_a_window_mixing_new_and_existing_files_keeps_their_order(self, tmp_path):
        self.files(tmp_path, 3)
        run_import(tmp_path)
        write(tmp_path, "story-1.md", "---\ntitle: Story 1 again\nslug: story-1\n---\nNew text.")
        write(tmp_path, "late.md", "---\ntitle: Late\nslug: story-9\n---\nLate.")
        write(tmp_path, "clash.md", "---\ntitle: Clash\nslug: story-9\n---\nSecond claim.")
        out, err, error = run_import(tmp_path)
        assert "1 created, 1 updated, 2 unchanged" in out and "1 failed" in out
        assert "late.md: slug 'story-9' is also used by clash.md" in out + err  # files go in name order
        assert Article.objects.get(slug="story-9").title == "Clash"
