import hashlib
import io
import os
import tarfile
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from articles.models import Article, Author
from articles.tests.factories import make_author
from interchange.tests.test_backup import table_rows
from interchange.tests.test_hugo_build import HUGO, built, hugo_build
from live import stream, tokens
from live.models import Stream, Update
from live.tests.factories import make_live_article

pytestmark = pytest.mark.django_db


def tree(root):
    """{relative path: digest} of every file under ``root``."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*") if p.is_file()
    }


def export(directory):
    call_command("export_markdown", str(directory), verbosity=0)
    return tree(directory)


def run_import(directory):
    out = []

    class Sink:
        def write(self, text):
            out.append(text)

        def flush(self):
            pass

    call_command("import_markdown", str(directory), stdout=Sink(), stderr=Sink())
    return "".join(out)


@pytest.fixture
def live_page(editor):
    """A live page with five updates over the last hour: a key event, a pinned one, an edited one with a
    correction, one held for an editor, one deleted."""
    start = timezone.now() - timedelta(hours=1)
    article = make_live_article(
        slug="storm-live-kq7", title="Storm live", live_from=start, live_until=start + timedelta(days=1),
        live_oldest_first=True, live_moderated=True,
    )  # fmt: skip
    ana, ben = make_author(name="Ana Reyes"), make_author(name="Ben Okafor")
    posted = [
        stream.post(article, editor, body="Winds **rising** on the coast.", headline="Winds rise", authors=[ana],
                    key_event=True, posted_at=start + timedelta(minutes=5)),
        stream.post(article, editor, body="Shelters open.", authors=[ana, ben], pinned=True,
                    posted_at=start + timedelta(minutes=15)),
        stream.post(article, editor, body="Ferries stop at 3pm.", authors=[ben],
                    posted_at=start + timedelta(minutes=25)),
        stream.post(article, editor, body="Wrong figure.", authors=[ben], posted_at=start + timedelta(minutes=35)),
    ]  # fmt: skip
    stream.edit(posted[2], editor, version=1, body="Ferries stop at 4pm.", correction="An earlier version said 3pm.")
    stream.delete(posted[3], editor, version=1)
    held = Update.objects.create(
        article=article, body="Waiting for approval.", body_html="<p>Waiting for approval.</p>",
        status=Update.Status.PENDING, posted_at=start + timedelta(minutes=40), seq=99,
    )  # fmt: skip
    held.authors.set([ben])
    return article


def stream_of(article):
    """What a reader and the desk can tell of a stream, pks aside."""
    rows = []
    for update in Update.objects.filter(article=article).in_stream_order().prefetch_related("authors"):
        rows.append(
            (update.headline, update.body, update.body_html, update.posted_at, update.edited_at, update.correction,
             update.key_event, update.pinned, update.status, update.deleted_at is None,
             sorted(a.name for a in update.authors.all()))
        )  # fmt: skip
    return rows


def empty_the_content():
    Article.objects.all().delete()
    Author.objects.all().delete()


def test_a_live_page_is_a_bundle_with_one_file_an_update_and_no_deleted_update(live_page, tmp_path):
    files = export(tmp_path / "out")
    updates = sorted(name for name in files if name.startswith("storm-live-kq7/updates/"))
    assert "storm-live-kq7/index.md" in files and len(updates) == 4  # the deleted one is not exported
    index = (tmp_path / "out/storm-live-kq7/index.md").read_text()
    assert "live:\n  from: " in index and "  oldestFirst: true\n  moderated: true\n" in index
    texts = [(tmp_path / "out" / name).read_text() for name in updates]
    assert not any("Wrong figure" in text for text in texts)
    edited = next(text for text in texts if "4pm" in text)
    assert "correction: An earlier version said 3pm." in edited and "lastmod: " in edited
    assert "keyEvent: true" in texts[0] and "title: Winds rise" in texts[0] and "- Ana Reyes" in texts[0]
    assert "pinned: true" in texts[1] and "status: pending" in texts[3]


def test_a_round_trip_into_an_empty_database_is_byte_identical_and_keeps_the_stream(live_page, tmp_path):
    first = export(tmp_path / "first")
    before = [row for row in stream_of(live_page) if row[9]]  # deleted updates are not exported
    empty_the_content()
    assert "1 created" in run_import(tmp_path / "first")
    article = Article.objects.get(slug="storm-live-kq7")
    assert (article.live_oldest_first, article.live_moderated) == (True, True)
    assert article.live_from == live_page.live_from and article.live_until == live_page.live_until
    assert stream_of(article) == before
    assert export(tmp_path / "second") == first

    counters = Stream.objects.get(pk=article.pk)
    assert (counters.seq, counters.shown_count, counters.key_count) == (4, 3, 1)
    assert counters.last_posted_at == max(row[3] for row in before if row[8] == "published")
    updates = Update.objects.filter(article=article).order_by("created_at")
    assert sorted(u.seq for u in updates) == [1, 2, 3, 4]
    assert all(u.revisions.count() == 1 for u in updates)


def test_importing_twice_writes_nothing_twice(live_page, tmp_path):
    export(tmp_path / "out")
    empty_the_content()
    run_import(tmp_path / "out")
    article = Article.objects.get(slug="storm-live-kq7")
    seq = Stream.objects.get(pk=article.pk).seq
    assert "1 unchanged" in run_import(tmp_path / "out")
    assert Update.objects.filter(article=article).count() == 4
    assert Stream.objects.get(pk=article.pk).seq == seq


def test_an_import_again_changes_only_what_the_file_changed_and_a_deletion_stays(live_page, editor, tmp_path):
    export(tmp_path / "out")
    empty_the_content()
    run_import(tmp_path / "out")
    article = Article.objects.get(slug="storm-live-kq7")
    gone = Update.objects.get(article=article, body="Winds **rising** on the coast.")
    stream.delete(gone, editor, version=gone.version)
    name = next(p for p in (tmp_path / "out/storm-live-kq7/updates").iterdir() if "Shelters" in p.read_text())
    name.write_text(name.read_text().replace("Shelters open.", "Three shelters open."))
    seq, token = Stream.objects.get(pk=article.pk).seq, tokens.variant(slug=article.slug)
    output = run_import(tmp_path / "out")
    assert tokens.variant(slug=article.slug) not in ("", token)  # the stream's cached pages are retired
    assert "1 updated" in output and "was deleted in the newsroom; left deleted" in output
    update = Update.objects.get(article=article, body="Three shelters open.")
    assert update.version == 2 and update.seq == seq + 1 and "Three shelters" in update.body_html
    assert [r.version for r in update.revisions.all()] == [2, 1]
    assert Update.objects.get(pk=gone.pk).deleted_at is not None
    counters = Stream.objects.get(pk=article.pk)
    assert (counters.shown_count, counters.key_count) == (2, 0)


def test_a_bad_update_file_fails_its_page_and_names_the_file(live_page, tmp_path):
    export(tmp_path / "out")
    empty_the_content()
    bad = sorted((tmp_path / "out/storm-live-kq7/updates").iterdir())[0]
    bad.write_text(bad.read_text().replace("keyEvent: true", "keyEvent: perhaps"))
    with pytest.raises(CommandError, match="1 file"):
        run_import(tmp_path / "out")
    assert not Article.objects.exists() and not Update.objects.exists()


def test_an_update_file_dated_in_the_future_is_refused_by_name(live_page, tmp_path):
    export(tmp_path / "out")
    empty_the_content()
    ahead = sorted((tmp_path / "out/storm-live-kq7/updates").iterdir())[0]
    text = ahead.read_text()
    dated = next(line for line in text.splitlines() if line.startswith("date:"))
    ahead.write_text(text.replace(dated, "date: 2099-01-01T12:00:00Z"))
    out = []
    with pytest.raises(CommandError, match="1 file"):
        call_command("import_markdown", str(tmp_path / "out"), stdout=type("S", (), {"write": out.append})(),
                     stderr=type("S", (), {"write": out.append})())  # fmt: skip
    assert "cannot be in the future" in "".join(out) and not Update.objects.exists()


@pytest.mark.parametrize(
    ("table", "problem"),
    [("live: yes", "expected a table"), ("live:\n  until: 2026-01-01", "needs `from`"),
     ("live:\n  from: 2026-01-02\n  until: 2026-01-01", "must end"), ("live:\n  from: 2026-01-01\n  x: 1", "unknown")],
)  # fmt: skip
def test_a_bad_live_table_is_refused_by_name(tmp_path, table, problem):
    (tmp_path / "page.md").write_text(f"---\ntitle: A page\ndate: 2026-01-01\n{table}\n---\nText.\n")
    out = []
    with pytest.raises(CommandError):
        call_command("import_markdown", str(tmp_path), stdout=type("S", (), {"write": out.append})(),
                     stderr=type("S", (), {"write": out.append})())  # fmt: skip
    assert problem in "".join(out) and not Article.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_keep_live_pages_updates_and_revisions(live_page, tmp_path):
    before = table_rows()
    assert len(before["live_update"]) == 5 and len(before["live_updaterevision"]) == 6
    call_command("backup", str(tmp_path), stdout=io.StringIO())
    archive = next(tmp_path.glob("newsroom-backup-*.tar.gz"))
    with tarfile.open(archive) as tar:
        assert len([n for n in tar.getnames() if n.startswith("markdown/storm-live-kq7/updates/")]) == 4
    call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    assert not Update.objects.exists()

    call_command("restore", str(archive), stdout=io.StringIO())
    after = table_rows()
    for table in ("live_stream", "live_update", "live_updaterevision", "live_update_authors"):
        assert after[table] == before[table], table


@pytest.mark.skipif(HUGO is None and not os.environ.get("CI"), reason="no hugo (make test installs it)")
def test_hugo_builds_a_live_page_as_one_page_its_updates_no_pages_of_their_own(live_page, tmp_path, client):
    pages, redirects = built(hugo_build(tmp_path))
    assert pages == {"/articles/storm-live-kq7/": "Storm live"} and not redirects


def test_an_update_file_is_stored_as_the_stream_stores_a_post(live_page, editor, tmp_path):
    """A headline keeps its inner spaces (one line), a body and a correction lose blank lines around them."""
    stream.post(live_page, editor, body="Gusts  of 110 km/h.", headline="Two  spaces, one line")
    export(tmp_path / "out")
    empty_the_content()
    folder = tmp_path / "out/storm-live-kq7/updates"
    extra = next(p for p in folder.iterdir() if "Gusts" in p.read_text())
    extra.write_text(extra.read_text().replace("Gusts  of 110 km/h.", "\n\nGusts  of 110 km/h.\n\n\n"))
    run_import(tmp_path / "out")
    update = Update.objects.get(headline="Two  spaces, one line")
    assert update.body == "Gusts  of 110 km/h." and update.seq == 5
    assert run_import(tmp_path / "out").count("1 unchanged") == 1
