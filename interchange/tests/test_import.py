import datetime as dt
import json
import shutil
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, ArticleAlias, Author
from interchange.tests.factories import SAMPLE, run_import, write

pytestmark = pytest.mark.django_db


class TestSample:
    def test_the_sample_imports_faithfully(self):
        """The real Hugo sample keeps its title, offset date, draft state, tags, author and thumbnail."""
        out, err, error = run_import(SAMPLE)
        assert error is None and "1 created" in out
        article = Article.objects.get()
        assert article.title == "NATO Allies Wrestle Over Deepening Ties With Ukraine"
        assert article.slug == "nato-allies-wrestle-over-deepening-ties-with-ukraine"
        assert article.status == Article.Status.DRAFT
        assert article.published_at == dt.datetime(2023, 6, 1, 10, 59, tzinfo=dt.UTC)
        assert sorted(article.tags.names()) == ["NATO", "Russia", "Ukraine"]
        assert [b.author.name for b in article.bylines.all()] == ["Ultron Bloom"]
        assert article.lead_image_url.endswith("/0_0_384_N.webp")
        assert article.body.startswith("![](")

    def test_the_sample_renders_without_repeating_its_headline(self):
        """The body's heading that repeats the title is not shown twice; bold section heads stay."""
        run_import(SAMPLE)
        html = Article.objects.get().body_html
        assert "<h3" not in html
        assert "<strong>History of Ukraine's relationship with NATO</strong>" in html.replace("\u2019", "'")
        assert 'src="https://cdn.midjourney.com/21f3e013-fbe8-4428-8727-010a02933e72/0_0.webp"' in html

    def test_the_sample_stays_hidden_from_readers(self):
        """A draft in front matter is a draft on the site."""
        run_import(SAMPLE)
        assert not Article.objects.published().exists()


class TestFormats:
    def test_toml_front_matter(self, tmp_path):
        """TOML between +++ lines imports, with a date-only value in the site's zone."""
        write(tmp_path, "t.md", '+++\ntitle = "TOML story"\ndate = 2024-02-03\ntags = ["a", "b"]\n+++\nBody.\n')
        run_import(tmp_path)
        article = Article.objects.get()
        assert article.title == "TOML story"
        assert article.published_at == timezone.make_aware(dt.datetime(2024, 2, 3))
        assert sorted(article.tags.names()) == ["a", "b"]

    def test_json_front_matter(self, tmp_path):
        """A JSON object at the top is front matter, as Hugo reads it."""
        write(tmp_path, "j.md", json.dumps({"title": "JSON story", "draft": False}) + "\n\nBody text.\n")
        run_import(tmp_path)
        assert Article.objects.get().title == "JSON story"

    def test_bom_crlf_and_leading_blank_lines_are_tolerated(self, tmp_path):
        """Windows editors' files import like any other."""
        text = "\ufeff\r\n\r\n---\r\ntitle: Windows story\r\n---\r\n\r\nLine one.\r\nLine two.\r\n"
        write(tmp_path, "w.md", text.encode("utf-8"))
        out, err, error = run_import(tmp_path)
        assert error is None, err
        assert Article.objects.get().body == "Line one.\nLine two."

    def test_field_mapping(self, tmp_path):
        """Hugo's field names land on the right model fields."""
        write(
            tmp_path,
            "m.md",
            """---
title: Mapped
publishDate: 2024-05-01T08:00:00+02:00
date: 2024-04-30
lastmod: 2024-05-02T09:00:00Z
expiryDate: 2030-01-01
url: /2024/05/old-mapped-url/
categories: Politics, Europe
keywords: [nato]
tags: NATO
authors:
  - name: Ana Silva
    role: Reporting
  - Ben Okoro
description: The dek.
images: [https://img.example/a.jpg, https://img.example/b.jpg]
aliases: [/old/mapped/]
series: Summit week
weight: 3
---
Body.
""",
        )
        out, err, error = run_import(tmp_path)
        assert error is None, err
        article = Article.objects.get()
        assert article.slug == "old-mapped-url"
        assert article.published_at == dt.datetime(2024, 5, 1, 6, 0, tzinfo=dt.UTC)
        assert article.updated_at == dt.datetime(2024, 5, 2, 9, 0, tzinfo=dt.UTC)
        assert article.expires_at.year == 2030
        assert sorted(article.tags.names()) == ["Europe", "NATO", "Politics"]
        assert [(b.author.name, b.role) for b in article.bylines.all()] == [
            ("Ana Silva", "Reporting"),
            ("Ben Okoro", ""),
        ]
        assert article.dek == "The dek."
        assert article.lead_image_url == "https://img.example/a.jpg"
        assert sorted(ArticleAlias.objects.values_list("path", flat=True)) == [
            "/2024/05/old-mapped-url/",
            "/old/mapped/",
        ]
        assert article.front_matter["extra"]["series"] == "Summit week"
        assert article.front_matter["extra"]["weight"] == 3

    def test_as_draft(self, tmp_path):
        """--as-draft holds back files that would otherwise publish."""
        write(tmp_path, "a.md", "---\ntitle: Held back\n---\nBody.")
        run_import(tmp_path, as_draft=True)
        assert Article.objects.get().status == Article.Status.DRAFT


class TestIdempotence:
    def test_importing_again_updates_instead_of_duplicating(self, tmp_path):
        """A second run finds the same articles, authors and tags."""
        write(tmp_path, "a.md", "---\ntitle: One\nauthor: Ann Lee\ntags: [NATO]\n---\nBody.")
        write(tmp_path, "b.md", "---\ntitle: Two\nauthor: ann lee\ntags: [nato]\n---\nBody.")
        run_import(tmp_path)
        out, err, error = run_import(tmp_path)
        assert "2 unchanged" in out
        assert Article.objects.count() == 2 and Author.objects.count() == 1 and Tag.objects.count() == 1
        write(tmp_path, "a.md", "---\ntitle: One, revised\nauthor: Ann Lee\ntags: [NATO]\n---\nBody.")
        out, err, error = run_import(tmp_path)
        assert "1 updated, 1 unchanged" in out
        assert Article.objects.filter(title="One, revised").count() == 1

    def test_two_files_claiming_one_slug(self, tmp_path):
        """The second file with a slug already taken in this run fails instead of overwriting."""
        write(tmp_path, "a.md", "---\ntitle: A\nslug: same\n---\nBody.")
        write(tmp_path, "b.md", "---\ntitle: B\nslug: same\n---\nBody.")
        out, err, error = run_import(tmp_path)
        assert error is not None and "slug 'same' is also used by a.md" in err
        assert Article.objects.get().title == "A"


class TestBadFiles:
    @pytest.mark.parametrize(
        ("content", "reason"),
        [
            ("---\ntitle: [unclosed\n---\nBody", "invalid YAML front matter"),
            ("---\ntitle: x\n", "never closed"),
            ('+++\ntitle = "x\n+++\nBody', "invalid TOML front matter"),
            ('{"title": "x",}\nBody', "invalid JSON front matter"),
            ("---\ndraft: false\n---\n", "no title and no body"),
            ("---\ntitle: x\ndate: next tuesday\n---\nBody", "cannot read 'date' as a date"),
            (b"\x89PNG\r\n\x1a\n\x00\x00\x00binary", "not a text file"),
            (b"---\ntitle: \xff\xfe\n---\n", "not UTF-8 text"),
            ("- just a list\n", "no title"),
        ],
    )
    def test_bad_file_is_reported_and_others_import(self, tmp_path, content, reason):
        """A bad file is named with its reason, the good one still imports, the command fails."""
        write(tmp_path, "bad.md", content)
        write(tmp_path, "good.md", "---\ntitle: Good one\n---\nBody.")
        out, err, error = run_import(tmp_path)
        assert error is not None
        assert f"{tmp_path / 'bad.md'}" in err and reason in err
        assert "1 created" in out and "1 failed" in out
        assert list(Article.objects.values_list("title", flat=True)) == ["Good one"]

    def test_yaml_error_names_the_line(self, tmp_path):
        """The reported line points into the file, counting the opening delimiter."""
        write(tmp_path, "bad.md", "\n---\ntitle: ok\ntags: [a, b\n---\nBody")
        out, err, error = run_import(tmp_path)
        assert f"{tmp_path / 'bad.md'}:5:" in err or f"{tmp_path / 'bad.md'}:4:" in err

    def test_oversized_file(self, tmp_path):
        """Files over the size cap are refused before they are read."""
        write(tmp_path, "big.md", "---\ntitle: Big\n---\n" + "x" * (3 * 1024 * 1024))
        out, err, error = run_import(tmp_path)
        assert "over the" in err and not Article.objects.exists()

    def test_dry_run_writes_nothing(self, tmp_path):
        """--dry-run validates and reports what would happen."""
        write(tmp_path, "a.md", "---\ntitle: Trial\nauthor: Dry Runner\n---\nBody.")
        out, err, error = run_import(tmp_path, dry_run=True)
        assert error is None and "Dry run" in out and "1 created" in out
        assert not Article.objects.exists() and not Author.objects.exists()

    def test_plain_text_notes_in_a_folder_are_skipped(self, tmp_path):
        """A .txt file without front matter in a content folder is not an article and not a failure."""
        write(tmp_path, "README.txt", "Notes for the archive team.")
        write(tmp_path, "story.txt", "---\ntitle: Text story\n---\nBody.")
        out, err, error = run_import(tmp_path)
        assert error is None and "1 created" in out and "1 skipped" in out
        assert "README.txt: no front matter" in err

    def test_missing_path(self, tmp_path):
        """A path that does not exist is a failure, not a crash."""
        out, err, error = run_import(tmp_path / "nope.md")
        assert error is not None and "no such file" in err


def articles_snapshot():
    rows = []
    for a in Article.objects.with_bylines().prefetch_related("aliases").order_by("slug"):
        rows.append(
            (
                a.title, a.slug, a.dek, a.body, a.status, a.published_at, a.updated_at, a.expires_at,
                a.lead_image_url, a.lead_image_alt, sorted(a.tags.names()),
                [(b.author.name, b.role) for b in a.bylines.all()], sorted(x.path for x in a.aliases.all()),
                a.front_matter,
            )
        )  # fmt: skip
    return rows


@pytest.mark.django_db(transaction=True)
def test_round_trip_import_export_import(tmp_path):
    """Import, export, wipe, import the export: the articles are identical."""
    source = tmp_path / "source"
    shutil.copy(SAMPLE, write(source, "placeholder.md", "").parent / SAMPLE.name)
    (source / "placeholder.md").unlink()
    call_command("generate_markdown", str(source), count=15, seed=7, words=120, stdout=StringIO())
    write(source, "extra.md", "---\ntitle: Extras\nseries: Week\nweight: 2\nstatus: review\naliases: [/x/]\n---\nB.")
    run_import(source)
    before = articles_snapshot()
    assert len(before) == 17

    call_command("export_markdown", str(tmp_path / "export"), stdout=StringIO())
    Article.objects.all().delete()
    Author.objects.all().delete()
    out, err, error = run_import(tmp_path / "export")
    assert error is None, err
    assert articles_snapshot() == before


def test_large_imports_prepare_files_in_worker_processes(tmp_path, monkeypatch):
    """The parallel path gives the same outcomes, in file order, as the sequential one."""
    from interchange.importing import Importer
    from interchange.preparing import find_files

    call_command("generate_markdown", str(tmp_path), count=30, seed=3, words=50, stdout=StringIO())
    write(tmp_path, "00010-broken.md", "---\ntitle: [broken\n---\n")
    monkeypatch.setattr(Importer, "PARALLEL_FROM", 5)
    monkeypatch.setattr(Importer, "WINDOW", 7)
    files = find_files([tmp_path])
    outcomes = list(Importer(workers=2).run(files))
    assert [o.path for o in outcomes] == [found.path for found in files]
    assert [o.result for o in outcomes].count("created") == 30
    assert [o.path.name for o in outcomes if o.result == "failed"] == ["00010-broken.md"]
    assert Article.objects.count() == 30
    assert all(a.body_html.startswith("<p>") or a.body_html.startswith("<h2") for a in Article.objects.all())


def test_an_embargo_imports_exports_and_is_never_lifted_by_a_reimport(tmp_path, client):
    """`embargo` in front matter (ours; Hugo has none) hides a published article until it ends; export writes it
    back, and importing the file again after the newsroom changed the embargo keeps the newsroom's."""
    write(tmp_path, "jobs.md", "---\ntitle: Jobs report\ndate: 2026-01-05T09:00:00Z\ndraft: false\n"
                               "embargo: 2099-01-01T06:00:00+01:00\n---\nHiring rose.")  # fmt: skip
    run_import(tmp_path)
    article = Article.objects.get(title="Jobs report")
    assert article.embargo_until.isoformat() == "2099-01-01T05:00:00+00:00"
    assert client.get(article.get_absolute_url()).status_code == 404
    call_command("export_markdown", str(tmp_path / "export"), stdout=StringIO())
    exported = next((tmp_path / "export").rglob(f"{article.slug}.md")).read_text()
    assert "embargo: 2099-01-01T05:00:00+00:00" in exported
    Article.objects.filter(pk=article.pk).update(embargo_until="2099-02-01T00:00:00Z")
    write(tmp_path, "jobs.md", "---\ntitle: Jobs report\ndate: 2026-01-05T09:00:00Z\ndraft: false\n---\nHiring rose!")
    run_import(tmp_path / "jobs.md")
    assert Article.objects.get(pk=article.pk).embargo_until.isoformat() == "2099-02-01T00:00:00+00:00"
