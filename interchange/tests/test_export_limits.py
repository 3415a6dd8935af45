"""An export its own import accepts: an article with a long record of corrections goes out and comes back whole,
front matter of a megabyte parses quickly, a YAML bomb is still refused, and an article whose file import would
refuse is reported, never written."""

import io
import time
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from articles.models import Article, Correction
from articles.tests.factories import make_article
from interchange.frontmatter import MAX_FRONT_MATTER_BYTES, dump, parse_document
from interchange.tests.factories import run_import, write

pytestmark = pytest.mark.django_db


def with_corrections(article, count, text="The mayor has *since* commented, AT&T said {n}."):
    start = timezone.now() - timedelta(days=400)
    rows = []
    for n in range(count):
        kind = Correction.Kind.UPDATE if n % 2 else Correction.Kind.CORRECTION
        row = Correction(article=article, kind=kind, created_at=start + timedelta(hours=n), text=text.format(n=n))
        row.prepare_for_write()
        rows.append(row)
    Correction.objects.bulk_create(rows)
    return article


def record(article):
    return list(article.corrections.order_by("created_at", "pk").values_list("kind", "created_at", "text"))


def export(folder):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("export_markdown", str(folder), stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


def test_an_article_with_a_thousand_corrections_exports_and_imports_back_whole(tmp_path):
    article = with_corrections(make_article(title="Long-running story", slug="long-running"), 1000)
    before = record(article)
    out, err, error = export(tmp_path / "export")
    assert error is None, err
    Article.objects.all().delete()
    out, err, error = run_import(tmp_path / "export")
    assert error is None, err
    assert record(Article.objects.get(slug="long-running")) == before


def test_a_megabyte_of_front_matter_parses_in_well_under_a_few_seconds():
    """Corrections with Markdown emphasis and ampersands (which YAML's anchors and aliases use) are read by the
    fast parser too."""
    entries = [
        {"date": timezone.now(), "kind": "update", "text": f"The mayor has *since* commented, AT&T said {n}. " * 3}
        for n in range(4500)
    ]
    text = dump({"title": "Long-running story", "corrections": entries}, "Body.")
    assert 900_000 < len(text) < MAX_FRONT_MATTER_BYTES
    started = time.perf_counter()
    meta, body = parse_document(text.encode())
    assert time.perf_counter() - started < 3
    assert len(meta["corrections"]) == 4500 and body == "Body."


BOMB = (
    "---\na: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
    "title: Bomb\n---\nB."
)


def test_a_yaml_bomb_is_still_refused(tmp_path):
    write(tmp_path, "bomb.md", BOMB)
    out, err, error = run_import(tmp_path)
    assert error is not None and "bomb.md" in err and "aliases" in err
    assert not Article.objects.exists()


def test_an_article_whose_file_import_would_refuse_is_reported_and_not_written(tmp_path):
    """Two corrections of 600 KB each: more front matter than import takes, so export writes no file for it."""
    big = with_corrections(make_article(title="Too big", slug="too-big"), 2, text="Word {n} " * 75_000)
    make_article(title="Small story", slug="small-story")
    out, err, error = export(tmp_path / "export")
    assert isinstance(error, CommandError) and "1 article(s) could not be exported" in str(error)
    assert f"not written: article {big.pk} (too-big.md): front matter is over the 1,048,576-character limit" in err
    assert [p.name for p in (tmp_path / "export").rglob("*.md")] == ["small-story.md"]
