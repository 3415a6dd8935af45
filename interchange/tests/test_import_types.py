"""A front-matter value of the wrong type is reported with its file, line and reason, as a bad date is; the
file is left out whole and the rest of the import goes on."""

import datetime as dt
import time

import pytest
from django.core.management import CommandError

from articles.models import Article, ArticleImage, Image
from articles.tests.factories import picture_bytes
from interchange.tests.factories import run_import

pytestmark = pytest.mark.django_db

GOOD = "---\ntitle: Harbour reopens\ndate: 2024-05-01\nauthors: [Ana Ruiz]\n---\nThe harbour is open.\n"

# name: (file text, the line reported, what the report says)
WRONG_TYPES = {
    "title-list.md": ("---\ndate: 2024-05-01\ntitle: [One, Two]\n---\nB.", 3, "title: expected text, found a list"),
    "title-bool.md": ("---\ntitle: yes\n---\nB.", 2, "title: expected text, found true"),
    "tags-dict.md": ("---\ntitle: T\ntags: {a: 1}\n---\nB.", 3, "tags: expected text, found a mapping"),
    "tags-nested.md": ("---\ntitle: T\ntags: [a, [b]]\n---\nB.", 3, "tags: an entry: expected text, found a list"),
    "draft-maybe.md": ("---\ntitle: T\ndraft: maybe\n---\nB.", 3, "draft: expected true or false, found 'maybe'"),
    "draft-number.md": ("---\ntitle: T\ndraft: 7\n---\nB.", 3, "draft: expected true or false, found the number 7"),
    "status.md": ("---\ntitle: T\nstatus: archived\n---\nB.", 3, "status: expected one of draft, review"),
    "authors-numbers.md": (
        "---\ntitle: T\nauthors: [1, 2]\n---\nB.",
        3,
        "authors: an author: expected a name, found the number 1",
    ),
    "author-dict.md": ("---\ntitle: T\nauthor: {name: [A]}\n---\nB.", 3, "author: name: expected a name, found a list"),
    "aliases-dict.md": ("---\ntitle: T\naliases: {old: /x/}\n---\nB.", 3, "aliases: expected text, found a mapping"),
    "slug-list.md": ("---\ntitle: T\nslug: [a]\n---\nB.", 3, "slug: expected text, found a list"),
    "summary-dict.md": ("---\ntitle: T\nsummary: {a: b}\n---\nB.", 3, "summary: expected text, found a mapping"),
    "image-dict.md": ("---\ntitle: T\nimage: {src: a.jpg}\n---\nB.", 3, "image: expected text, found a mapping"),
    "image-alt-list.md": ("---\ntitle: T\nimageAlt: [a]\n---\nB.", 3, "imageAlt: expected text, found a list"),
    "section-dict.md": ("---\ntitle: T\nsection: {a: b}\n---\nB.", 3, "section: expected text, found a mapping"),
    "resources-dict.md": ("---\ntitle: T\nresources: {src: a.jpg}\n---\nB.", 3, "resources: expected a list of"),
    "resources-entry.md": ("---\ntitle: T\nresources: [a.jpg]\n---\nB.", 3, "resources: an entry: expected a picture"),
    "date-word.md": ("---\ntitle: T\ndate: yesterday\n---\nB.", 3, "cannot read 'date' as a date: 'yesterday'"),
    "lastmod-list.md": ("---\ntitle: T\n\nlastmod: [1]\n---\nB.", 4, "cannot read 'lastmod' as a date: [1]"),
    "toml-title.toml.md": ("+++\ndate = 2024-05-01\ntitle = [1, 2]\n+++\nB.", 3, "title: expected text, found a list"),
    "json-tags.md": ('{\n  "title": "T",\n  "tags": {"a": 1}\n}\nB.', 3, "tags: expected text, found a mapping"),
}


def _report(err, name):
    return next((line for line in err.splitlines() if f"/{name}:" in line), "")


def test_each_wrong_type_is_reported_with_its_line_while_the_rest_import(tmp_path):
    for name, (text, _line, _reason) in WRONG_TYPES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "zz-good.md").write_text(GOOD, encoding="utf-8")
    _out, err, error = run_import(tmp_path)
    assert isinstance(error, CommandError) and f"{len(WRONG_TYPES)} file(s) failed" in str(error)
    assert list(Article.objects.values_list("title", flat=True)) == ["Harbour reopens"]
    for name, (_text, line, reason) in WRONG_TYPES.items():
        report = _report(err, name)
        assert report.startswith("failed: ") and f"/{name}:{line}: " in report and reason in report, (name, err)


def _bundle(folder, params_yaml, name="story"):
    bundle = folder / name
    bundle.mkdir()
    (bundle / "deck.jpg").write_bytes(picture_bytes())
    (bundle / "index.md").write_text(
        "---\ntitle: On deck\ndate: 2024-05-01\nresources:\n- src: deck.jpg\n  title: The deck\n  params:\n"
        + "".join(f"    {line}\n" for line in params_yaml.splitlines())
        + "---\nText.\n\n![](deck.jpg)\n",
        encoding="utf-8",
    )
    return bundle


@pytest.mark.parametrize(
    ("params", "reason"),
    [
        ("alt: {nested: dict}", "resources: 'deck.jpg': params.alt: expected text, found a mapping"),
        ("credit: [a, b]", "resources: 'deck.jpg': params.credit: expected text, found a list"),
        ("rightsExpireOn: next year", "params.rightsExpireOn: expected a date (YYYY-MM-DD), found 'next year'"),
        ("rightsExpireOn: '2026-02-30'", "params.rightsExpireOn: expected a date"),
        ("rightsExpireOn: [2026]", "params.rightsExpireOn: expected a date (YYYY-MM-DD), found a list"),
        ("focalPoint: [2, 3]", "params.focalPoint: expected [x, y] with both between 0 and 1, found a list"),
        ("focalPoint: middle", "params.focalPoint: expected [x, y] with both between 0 and 1, found 'middle'"),
        ("focalPoint: [0.5]", "params.focalPoint: expected [x, y]"),
        ("focalPoint: [true, false]", "params.focalPoint: expected [x, y]"),
    ],
)
def test_a_picture_described_with_a_wrong_type_fails_its_file_and_writes_nothing(tmp_path, params, reason):
    """A bundle whose ``resources`` give a picture a value of the wrong type (a mapping as alt text, a date
    that is none, a focal point outside the picture) is reported; no article and no picture are written, and
    the next bundle imports."""
    _bundle(tmp_path, params)
    _bundle(tmp_path, "alt: Crew on deck\nrightsExpireOn: 2031-01-02\nfocalPoint: [0.25, 0.75]", name="zz-good")
    _out, err, error = run_import(tmp_path)
    assert isinstance(error, CommandError) and "1 file(s) failed" in str(error)
    report = _report(err, "index.md")
    assert report.startswith("failed: ") and "story/index.md:4: " in report and reason in report, err
    article = Article.objects.get()
    assert article.source_key == "zz-good/index.md"
    picture = Image.objects.get()
    assert (picture.alt, picture.rights_expire_on) == ("Crew on deck", dt.date(2031, 1, 2))
    assert (picture.focal_x, picture.focal_y) == (0.25, 0.75)
    assert list(ArticleImage.objects.values_list("image_id", flat=True)) == [picture.pk]


def test_values_yaml_reads_as_other_types_still_import(tmp_path):
    """A title YAML reads as a number, a quoted yes/no, draft as text, numbers among tags, a date given with a
    time for rights: each reads back as the file wrote it."""
    (tmp_path / "n.md").write_text(
        "---\ntitle: 1984\ndate: 2024-05-01\ndraft: 'false'\ntags: [2024, Elections]\nsummary: 'Yes'\n---\nB.\n",
        encoding="utf-8",
    )
    bundle = _bundle(tmp_path, "alt: 42\nrightsExpireOn: 2031-01-02T10:00:00Z\nfocalPoint: [0, 1]")
    _out, err, error = run_import(tmp_path)
    assert error is None, err
    article = Article.objects.get(source_key="n.md")
    assert (article.title, article.dek, article.status) == ("1984", "Yes", Article.Status.PUBLISHED)
    assert sorted(article.tags.names()) == ["2024", "Elections"]
    picture = Image.objects.get()
    assert (picture.alt, picture.rights_expire_on, picture.focal_x, picture.focal_y) == (
        "42",
        dt.date(2031, 1, 2),
        0.0,
        1.0,
    )
    assert bundle.exists()


@pytest.mark.parametrize("field", ["tags", "authors", "aliases"])
def test_a_list_of_thousands_of_entries_is_refused_before_anything_is_written(tmp_path, field):
    """Each tag, byline and old address is a row: a file listing 5,000 of them (40 KB of a megabyte's front matter)
    would hold the import for minutes and fill the tag list; it is reported, and the rest of the import goes on."""
    entries = ", ".join(f"/old-{n}/" if field == "aliases" else f"Name {n}" for n in range(5000))
    (tmp_path / "many.md").write_text(f"---\ntitle: T\ndate: 2024-05-01\n{field}: [{entries}]\n---\nB.", "utf-8")
    (tmp_path / "zz-good.md").write_text(GOOD, encoding="utf-8")
    started = time.perf_counter()
    _out, err, error = run_import(tmp_path)
    assert time.perf_counter() - started < 5
    assert isinstance(error, CommandError) and "1 file(s) failed" in str(error)
    assert list(Article.objects.values_list("title", flat=True)) == ["Harbour reopens"]
    report = _report(err, "many.md")
    assert f"/many.md:4: {field}: " in report and "more than 500 entries" in report, err
