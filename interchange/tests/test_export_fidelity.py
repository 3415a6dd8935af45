"""Export loses nothing readers see: corrections and updates at their times, the withdrawal note, the article's
address and its old ones, its state and times come back from an import of the export into an empty newsroom,
and importing the same export again adds nothing."""

import io
from datetime import timedelta

import pytest
import yaml
from django.core.management import call_command
from taggit.models import Tag

from articles.models import Article, ArticleAlias, Author, Correction, Image, Section
from articles.tests.factories import make_article
from interchange.tests.factories import make_demo, newsroom_of_every_state, reader_view, run_import, write

pytestmark = pytest.mark.django_db
DAY = timedelta(days=1)


def everything_readers_see():
    return {article.slug: reader_view(article) for article in Article.objects.order_by("slug")}


def export(folder):
    call_command("export_markdown", str(folder), stdout=io.StringIO())
    return folder


def empty_the_newsroom():
    Article.objects.all().delete()
    for model in (Author, Section, Image, Tag):
        model.objects.all().delete()


def front_matter(folder, slug):
    [path] = [p for p in folder.rglob("*.md") if p.stem == slug or p.parent.name == slug]
    return yaml.safe_load(path.read_text().split("---\n")[1])


def test_every_reader_visible_field_survives_export_and_import_into_an_empty_newsroom(tmp_path):
    """Each state, byline, tag, address, lead image, correction (kind, time, text) and withdrawal note comes back."""
    newsroom_of_every_state()
    before = everything_readers_see()
    assert sum(len(a["corrections"]) for a in before.values()) == 3
    export(tmp_path / "export")
    empty_the_newsroom()
    out, err, error = run_import(tmp_path / "export")
    assert error is None, err
    assert everything_readers_see() == before


def test_the_demo_survives_export_and_import(tmp_path, settings):
    """The demo (its content, library pictures, the desk's day and its correction) comes back whole from its export."""
    settings.DEBUG, settings.VAR_DIR = True, tmp_path
    make_demo()
    before = everything_readers_see()
    assert Correction.objects.count() == 1
    export(tmp_path / "export")
    empty_the_newsroom()
    out, err, error = run_import(tmp_path / "export")
    assert error is None, err
    assert everything_readers_see() == before
    assert Correction.objects.count() == 1


def test_importing_the_same_export_twice_adds_no_correction(tmp_path):
    """Corrections are matched by kind, time and text: a second import of the export adds none."""
    newsroom_of_every_state()
    export(tmp_path / "export")
    empty_the_newsroom()
    run_import(tmp_path / "export")
    first = everything_readers_see()
    out, err, error = run_import(tmp_path / "export")
    assert error is None, err
    assert "10 unchanged" in out and everything_readers_see() == first
    assert Correction.objects.count() == 3


def test_a_correction_added_to_the_file_is_added_and_none_is_ever_removed(tmp_path):
    """Importing a file with one more correction adds that one; one left out of a file stays on the article."""
    write(tmp_path, "vote.md", "---\ntitle: Vote\ndate: 2026-01-05T09:00:00Z\ncorrections:\n"
                               "- {date: 2026-01-06T10:00:00Z, text: First fix.}\n---\nBody.")  # fmt: skip
    run_import(tmp_path)
    write(tmp_path, "vote.md", "---\ntitle: Vote\ndate: 2026-01-05T09:00:00Z\ncorrections:\n"
                               "- {date: 2026-01-07T10:00:00Z, kind: update, text: An update.}\n---\nB.")  # fmt: skip
    out, err, error = run_import(tmp_path)
    assert error is None, err
    assert [(c.kind, c.created_at.day, c.text) for c in Correction.objects.order_by("created_at")] == [
        ("correction", 6, "First fix."), ("update", 7, "An update.")]  # fmt: skip


def test_export_writes_corrections_the_withdrawal_note_and_the_addresses(tmp_path):
    """The front matter names each correction's date, kind and text, the note, the address and the old ones."""
    made = newsroom_of_every_state()
    meta = front_matter(export(tmp_path / "export"), "harbour-vote")
    assert meta["url"] == made["live"].get_absolute_url() == "/articles/harbour-vote/"
    assert meta["aliases"] == ["/2019/06/harbour-vote/", "/articles/harbour-vote-old/"]
    assert [(c["kind"], c["text"]) for c in meta["corrections"]] == [
        ("correction", "An earlier version gave the wrong date for the vote."),
        ("update", "The mayor has *since* commented.\n\nSecond line."),
    ]
    assert meta["corrections"][0]["date"] == made["live"].corrections.first().created_at
    withdrawn = front_matter(tmp_path / "export", made["withdrawn"].slug)
    assert withdrawn["withdrawalNote"] == made["withdrawn"].withdrawal_note and withdrawn["draft"] is True


def test_an_embargo_is_a_publish_date_hugo_honours_and_import_reads_back(tmp_path):
    """Hugo holds a page until its publishDate: an embargo ending after publication moves it there, and the
    publication time stays in ``date``, from which import takes it back."""
    made = newsroom_of_every_state()
    meta = front_matter(export(tmp_path / "export"), made["embargoed"].slug)
    assert (meta["date"], meta["publishDate"], meta["embargo"]) == (
        made["embargoed"].published_at,
        made["embargoed"].embargo_until,
        made["embargoed"].embargo_until,
    )
    assert meta["draft"] is False
    lifted = front_matter(tmp_path / "export", made["embargo lifted"].slug)
    assert lifted["publishDate"] == made["embargo lifted"].embargo_until < made["embargo lifted"].published_at + DAY * 3
    live = front_matter(tmp_path / "export", made["live"].slug)
    assert "publishDate" not in live and "embargo" not in live and live["date"] == made["live"].published_at


def test_the_site_address_in_url_never_becomes_an_alias_of_itself(tmp_path):
    """``url:`` naming the address the article is served at is that address, not an old one; another is an alias."""
    write(tmp_path, "a.md", "---\ntitle: A\nslug: a\nurl: /articles/a/\naliases: [/old/a/]\n---\nBody.")
    write(tmp_path, "b.md", "---\ntitle: B\nurl: /articles/b/\n---\nBody.")
    write(tmp_path, "c.md", "---\ntitle: C\nurl: /2019/c/\n---\nBody.")
    out, err, error = run_import(tmp_path)
    assert error is None, err
    assert dict(ArticleAlias.objects.values_list("path", "article__slug")) == {"/old/a/": "a", "/2019/c/": "c"}
    run_import(tmp_path, force=True)
    assert ArticleAlias.objects.count() == 2


@pytest.mark.parametrize(
    ("corrections", "reason"),
    [
        ("a fix", "corrections: expected a list of corrections (date, kind, text), found 'a fix'"),
        ("[just text]", "corrections: correction 1: expected a correction (date, kind, text), found 'just text'"),
        ("[{text: No date.}]", "corrections: correction 1: date: expected a date, found None"),
        ("[{date: soon, text: x}]", "corrections: correction 1: date: expected a date, found 'soon'"),
        ("[{date: 2026-01-05, text: [a, b]}]", "corrections: correction 1: text: expected text, found a list"),
        ("[{date: 2026-01-05, text: ''}]", "corrections: correction 1: text: expected text, found ''"),
        (r'[{date: 2026-01-05, text: "\0 "}]', r"corrections: correction 1: text: expected text, found '\x00 '"),
        ("[{date: 2026-01-05, text: x, kind: erratum}]",
         "corrections: correction 1: kind: expected one of correction, update, found 'erratum'"),
    ],
)  # fmt: skip
def test_corrections_of_the_wrong_type_are_reported_and_nothing_of_the_file_is_written(tmp_path, corrections, reason):
    """A bad correction names the file, the line and what was expected; the article is not written either."""
    path = write(tmp_path, "bad.md", f"---\ntitle: Bad\ndate: 2026-01-05\ncorrections: {corrections}\n---\nBody.")
    out, err, error = run_import(tmp_path)
    assert f"{path}:4: {reason}" in err
    assert not Article.objects.exists() and not Correction.objects.exists()


def test_a_withdrawal_note_of_the_wrong_type_is_reported(tmp_path):
    """``withdrawalNote`` is text; a list is refused with its line."""
    path = write(tmp_path, "w.md", "---\ntitle: W\nstatus: withdrawn\nwithdrawalNote: [a, b]\n---\nBody.")
    out, err, error = run_import(tmp_path)
    assert f"{path}:4: withdrawalNote: expected text, found a list" in err
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        "Write `{{< youtube abc >}}`, or {{% note %}}x{{% /note %}}.",
        "Hugo's own escape, `{{</* figure */>}}`, and {{%/* note */%}}, as written.",
        "Unclosed {{< here, a lone >}} there, *{{< a {{% b >}} c %}}*, and {{</*/* x */*/>}}.",
    ],
)
def test_text_that_reads_as_a_shortcode_survives_export_and_import(tmp_path, body):
    """Export writes what Hugo would read as a shortcode in Hugo's escaped form; import reads it back as written."""
    make_article(title="Shortcodes", slug="shortcodes", body=body)
    before = everything_readers_see()
    export(tmp_path / "export")
    empty_the_newsroom()
    out, err, error = run_import(tmp_path / "export")
    assert error is None, err
    assert Article.objects.get().body == body and everything_readers_see() == before


def test_hugos_escaped_shortcode_is_imported_as_the_text_hugo_shows(tmp_path):
    """In a Hugo file, ``{{</* name */>}}`` is how one writes the text ``{{< name >}}``."""
    write(tmp_path, "hugo.md", "---\ntitle: Tips\n---\nUse `{{</* figure src=x */>}}` or {{%/* note */%}}.")
    out, err, error = run_import(tmp_path)
    assert error is None, err
    assert Article.objects.get().body == "Use `{{< figure src=x >}}` or {{% note %}}."
