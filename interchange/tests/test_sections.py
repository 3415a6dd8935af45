"""Sections through import and export: a file's section comes from its front matter or its folder, and export
writes it back the way it came."""

import io

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, Section
from interchange.tests.factories import write

pytestmark = pytest.mark.django_db


def test_import_takes_the_section_from_front_matter_categories_or_folder(tmp_path):
    write(tmp_path, "a.md", "---\ntitle: Named\ndate: 2026-01-02\nsection: World News\n---\nBody.\n")
    write(tmp_path, "b.md", "---\ntitle: Categorised\ndate: 2026-01-02\ncategories: [Business, Ports]\n---\nBody.\n")
    write(tmp_path, "content/culture/c.md", "---\ntitle: Foldered\ndate: 2026-01-02\n---\nBody.\n")
    write(tmp_path, "science/d/index.md", "---\ntitle: Bundled\ndate: 2026-01-02\n---\nBody.\n")
    write(tmp_path, "e/index.md", "---\ntitle: Bundle at the root\ndate: 2026-01-02\n---\nBody.\n")
    call_command("import_markdown", str(tmp_path), stdout=io.StringIO())
    found = {a.title: a.section and (a.section.name, a.section.slug) for a in Article.objects.select_related("section")}
    assert found == {
        "Named": ("World News", "world-news"),
        "Categorised": ("Business", "business"),
        "Foldered": ("Culture", "culture"),
        "Bundled": ("Science", "science"),
        "Bundle at the root": None,
    }
    assert sorted(Article.objects.get(title="Categorised").tags.names()) == ["Business", "Ports"]


def test_import_reuses_a_section_by_name_or_folder(tmp_path):
    politics = Section.objects.create(name="Politics", position=2)
    write(tmp_path, "politics/a.md", "---\ntitle: Foldered\ndate: 2026-01-02\n---\nBody.\n")
    write(tmp_path, "b.md", "---\ntitle: Named\ndate: 2026-01-02\nsection: POLITICS\n---\nBody.\n")
    call_command("import_markdown", str(tmp_path), stdout=io.StringIO())
    assert Section.objects.count() == 1 and Article.objects.filter(section=politics).count() == 2


def test_export_writes_the_section_back_the_way_it_came_and_round_trips(tmp_path):
    source = tmp_path / "in"
    write(source, "a.md", "---\ntitle: Named\ndate: 2026-01-02\nsection: World News\n---\nBody.\n")
    write(source, "b.md", "---\ntitle: Categorised\ndate: 2026-01-02\ncategories: [Business]\n---\nBody.\n")
    write(source, "content/culture/c.md", "---\ntitle: Foldered\ndate: 2026-01-02\n---\nBody.\n")
    call_command("import_markdown", str(source), stdout=io.StringIO())
    made = Article.objects.create(title="Filed in the admin", section=Section.objects.get(slug="culture"))
    out = tmp_path / "out"
    call_command("export_markdown", str(out), stdout=io.StringIO())
    assert "section: World News" in (out / "a.md").read_text()
    assert "categories:\n- Business" in (out / "b.md").read_text()
    assert "section" not in (out / "culture" / "c.md").read_text()
    assert (out / "culture" / f"{made.slug}.md").exists()

    before = {a.slug: a.section.slug for a in Article.objects.select_related("section")}
    Article.objects.all().delete()
    Section.objects.all().delete()
    call_command("import_markdown", str(out), stdout=io.StringIO())
    assert {a.slug: a.section.slug for a in Article.objects.select_related("section")} == before
    again = tmp_path / "again"
    call_command("export_markdown", str(again), stdout=io.StringIO())
    for path in out.rglob("*.md"):
        assert (again / path.relative_to(out)).read_text() == path.read_text(), path


def test_import_turns_any_folder_or_section_value_into_a_working_address(client, tmp_path):
    """A folder with spaces or punctuation, or a section given as a list, still makes a section whose
    addresses work; a section that is not text is reported for that file."""
    write(tmp_path, "content/Local News!/a.md", "---\ntitle: Foldered\ndate: 2026-01-02\n---\nBody.\n")
    write(tmp_path, "b.md", "---\ntitle: Listed\ndate: 2026-01-02\nsection: [Sport, Football]\n---\nBody.\n")
    write(tmp_path, "c.md", "---\ntitle: Mapped\ndate: 2026-01-02\nsection: {name: Sport}\n---\nBody.\n")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="1 file"):
        call_command("import_markdown", str(tmp_path), stdout=out, stderr=err)
    assert "c.md" in err.getvalue() + out.getvalue() and "section" in err.getvalue() + out.getvalue()
    found = {a.title: (a.section.name, a.section.slug) for a in Article.objects.select_related("section")}
    assert found == {"Foldered": ("Local News!", "local-news"), "Listed": ("Sport", "sport")}
    assert client.get("/").status_code == 200
    assert client.get("/sections/local-news/").status_code == 200


def test_a_section_keeps_its_name_and_its_address_through_export_and_import(tmp_path):
    """A folder gives a section's address, and Hugo's ``_index.md`` in it the section's name: a section whose name
    is not its folder's ("BBC World & Arts" in bbc-world/, "Politics" moved to government/) keeps both."""
    bbc = Section.objects.create(name="BBC World & Arts", slug="bbc-world")
    politics = Section.objects.create(name="Politics", slug="politics")
    Article.objects.create(title="Festival", slug="festival", section=bbc)
    Article.objects.create(title="Vote", slug="vote", section=politics)
    politics.slug = "government"
    politics.save()
    out = tmp_path / "out"
    call_command("export_markdown", str(out), stdout=io.StringIO())
    assert "title: Politics" in (out / "government" / "_index.md").read_text()
    before = {a.slug: (a.section.name, a.section.slug) for a in Article.objects.select_related("section")}
    Article.objects.all().delete()
    Section.objects.all().delete()
    call_command("import_markdown", str(out), stdout=io.StringIO())
    assert {a.slug: (a.section.name, a.section.slug) for a in Article.objects.select_related("section")} == before


def test_a_hugo_sections_index_page_names_the_section_and_is_no_article(tmp_path):
    """``content/world/_index.md`` is the section's own page in Hugo: its title is the section's name."""
    write(tmp_path, "content/_index.md", "---\ntitle: Home\n---\nWelcome.\n")
    write(tmp_path, "content/world/_index.md", "---\ntitle: World News\n---\nFrom everywhere.\n")
    write(tmp_path, "content/world/a.md", "---\ntitle: Summit\ndate: 2026-01-02\n---\nBody.\n")
    out = io.StringIO()
    call_command("import_markdown", str(tmp_path), stdout=out)
    found = [(a.title, a.section.name, a.section.slug) for a in Article.objects.all()]
    assert found == [("Summit", "World News", "world")]
    assert "2 skipped" in out.getvalue()


def test_an_article_whose_slug_is_index_keeps_its_section_and_leaves_its_folder_a_section(tmp_path):
    """``politics/index.md`` would make the folder one page bundle in Hugo (every other article in it its
    resource) and an article of no section to an import: an article called "index" is written under a suffix."""
    politics = Section.objects.create(name="Politics", slug="politics")
    index = Article.objects.create(title="The index", slug="index", section=politics)
    Article.objects.create(title="Vote", slug="vote", section=politics)
    out = tmp_path / "out"
    call_command("export_markdown", str(out), stdout=io.StringIO())
    assert not (out / "politics" / "index.md").exists()
    assert (out / "politics" / f"index-{index.pk}.md").exists()
    before = {a.slug: a.section and a.section.slug for a in Article.objects.select_related("section")}
    Article.objects.all().delete()
    Section.objects.all().delete()
    call_command("import_markdown", str(out), stdout=io.StringIO())
    assert {a.slug: a.section and a.section.slug for a in Article.objects.select_related("section")} == before
