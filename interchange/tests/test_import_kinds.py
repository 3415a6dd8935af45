"""Kinds of work and sponsors in Hugo front matter: ``genre`` (a kind's name or slug, in any letter case; Hugo
keeps ``kind`` and ``type`` for itself) and ``sponsor``, read by the import, written by the export, and a kind
the newsroom does not have refused with the file, the line and the kinds there are."""

from io import StringIO

import pytest
import yaml
from django.core.management import CommandError, call_command

from articles.models import Article, KindOfWork
from articles.tests.factories import kind_of_work, make_article
from interchange.tests.factories import run_import, write

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def kinds():
    return {name: kind_of_work(name) for name in ("News", "Analysis", "Opinion", "Sponsored")}


def story(title, extra=""):
    return f"---\ntitle: {title}\ndate: 2024-05-01\n{extra}---\nText of {title}.\n"


def test_the_kind_is_read_by_name_or_slug_in_any_case_with_the_sponsor(tmp_path, kinds):
    """``genre: OPINION``, ``genre: analysis`` and ``genre: Sponsored`` with ``sponsor`` each land on their kind."""
    write(tmp_path, "a.md", story("Column", "genre: OPINION\n"))
    write(tmp_path, "b.md", story("Rates explained", "genre: analysis\n"))
    write(tmp_path, "c.md", story("Cruise offer", "genre: Sponsored\nsponsor: '  Fjord   Cruises '\n"))
    write(tmp_path, "d.md", story("Plain story"))
    _out, err, error = run_import(tmp_path)
    assert error is None, err
    found = {a.title: (a.kind and a.kind.name, a.sponsor) for a in Article.objects.select_related("kind")}
    assert found == {
        "Column": ("Opinion", ""),
        "Rates explained": ("Analysis", ""),
        "Cruise offer": ("Sponsored", "Fjord Cruises"),
        "Plain story": (None, ""),
    }
    assert all("genre" not in (a.front_matter or {}).get("extra", {}) for a in Article.objects.all())


def test_an_unknown_kind_fails_its_file_naming_the_line_and_the_kinds(tmp_path):
    """A new file and an update of an existing article naming no kind there is are refused, line and kinds
    named; nothing of them is written, and the other files import."""
    existing = make_article(title="Old column", slug="old-column")
    write(tmp_path, "new.md", story("Satire piece", "summary: Fun.\ngenre: Satire\n"))
    write(tmp_path, "old-column.md", story("Old column renamed", "genre: editorial\n"))
    write(tmp_path, "good.md", story("Good one", "genre: news\n"))
    _out, err, error = run_import(tmp_path)
    assert isinstance(error, CommandError) and "2 file(s) failed" in str(error)
    reports = {line.split("/")[-1].split(":")[0]: line for line in err.splitlines() if line.startswith("failed: ")}
    assert "/new.md:5: genre: no kind of work is called 'Satire'; the kinds are: News, Analysis" in reports["new.md"]
    assert "Opinion" in reports["new.md"] and "Sponsored" in reports["new.md"]
    assert "/old-column.md:4: genre: no kind of work is called 'editorial'" in reports["old-column.md"]
    assert set(Article.objects.values_list("title", flat=True)) == {"Old column", "Good one"}
    assert Article.objects.get(pk=existing.pk).title == "Old column"
    assert not KindOfWork.objects.filter(name__iexact="satire").exists()


def test_a_kind_of_the_wrong_type_is_reported(tmp_path):
    """``genre: [Opinion]`` is a list where a name is wanted: the file is refused with its line."""
    write(tmp_path, "list.md", story("Listed", "genre: [Opinion]\n"))
    _out, err, error = run_import(tmp_path)
    assert error is not None and "/list.md:4: genre: expected text, found a list" in err


def test_export_writes_genre_and_sponsor_and_no_key_hugo_reserves(tmp_path, kinds):
    """The exported file says ``genre`` (the kind's name) and ``sponsor``; never ``kind``, ``type`` or ``layout``."""
    make_article(title="Cruise offer", slug="cruise-offer", kind=kinds["Sponsored"], sponsor="Fjord Cruises")
    make_article(title="No kind", slug="no-kind")
    call_command("export_markdown", str(tmp_path / "out"), stdout=StringIO())
    meta = {p.stem: yaml.safe_load(p.read_text().split("---\n")[1]) for p in (tmp_path / "out").rglob("*.md")}
    assert meta["cruise-offer"]["genre"] == "Sponsored" and meta["cruise-offer"]["sponsor"] == "Fjord Cruises"
    assert "genre" not in meta["no-kind"] and "sponsor" not in meta["no-kind"]
    assert not {"kind", "type", "layout"} & (set(meta["cruise-offer"]) | set(meta["no-kind"]))


def test_a_round_trip_keeps_the_kind_and_the_sponsor(tmp_path, kinds):
    """Exported and imported into an empty newsroom, each article has its kind and sponsor again."""
    make_article(title="Column", slug="column", kind=kinds["Opinion"])
    make_article(title="Cruise offer", slug="cruise-offer", kind=kinds["Sponsored"], sponsor="Fjord Cruises")
    before = sorted(Article.objects.values_list("slug", "kind__name", "sponsor"))
    call_command("export_markdown", str(tmp_path / "out"), stdout=StringIO())
    Article.objects.all().delete()
    _out, err, error = run_import(tmp_path / "out")
    assert error is None, err
    assert sorted(Article.objects.values_list("slug", "kind__name", "sponsor")) == before


def test_a_sponsor_typed_with_extra_spaces_or_control_characters_survives_the_round_trip(tmp_path, kinds):
    """A sponsor is stored as a name is (one space between words, no control characters), whatever way it comes
    in, so the export's ``sponsor`` imports back as the same text."""
    make_article(title="Cruise offer", slug="cruise-offer", kind=kinds["Sponsored"], sponsor="Fjord  Cruises\x01 Ltd")
    before = Article.objects.get(slug="cruise-offer").sponsor
    assert before == "Fjord Cruises Ltd"
    call_command("export_markdown", str(tmp_path / "out"), stdout=StringIO())
    Article.objects.all().delete()
    _out, err, error = run_import(tmp_path / "out")
    assert error is None, err
    assert Article.objects.get(slug="cruise-offer").sponsor == before


def test_a_published_file_lacking_a_required_kind_imports_and_the_desk_is_told(tmp_path, kinds):
    """An import is what the site published, not the desk publishing: a published file without the kind (or a
    sponsored one without the sponsor) the checklist requires is imported as it says, with a note naming what to
    fix; a draft, or an item not required, brings no note."""
    from articles.models import SiteSettings

    site = SiteSettings.load()
    site.required_checks = ["kind", "sponsor"]
    site.save()
    write(tmp_path, "a.md", story("No kind-N7"))
    write(tmp_path, "b.md", story("Sponsored no sponsor-N7", "genre: Sponsored\n"))
    write(tmp_path, "c.md", story("Draft no kind-N7", "draft: true\n"))
    write(tmp_path, "d.md", story("Complete-N7", "genre: News\n"))
    out, err, error = run_import(tmp_path)
    assert error is None, err
    assert set(Article.objects.values_list("title", "status")) == {
        ("No kind-N7", "published"), ("Sponsored no sponsor-N7", "published"), ("Draft no kind-N7", "draft"),
        ("Complete-N7", "published"),
    }  # fmt: skip
    notes = sorted(line.split("/")[-1] for line in out.splitlines() if line.startswith("note: "))
    assert notes == [
        "a.md: published without a kind of work, which the publish checklist requires: choose one in the admin",
        "b.md: published without a sponsor, which the publish checklist requires of “Sponsored”: name it in the admin",
    ]
