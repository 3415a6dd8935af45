"""Import and export off the happy path: the newsroom's decisions survive re-imports, bad files are reported
one by one, downloads are safe, and exports and backups never abort on one article."""

import io
import os
import stat
import tarfile
import threading
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from PIL import Image

from articles.markup import limits
from articles.models import Article, ArticleTransition
from articles.tests.factories import make_article, make_author
from articles.workflow import transitions
from interchange.tests.factories import SAMPLE, run_import, write

pytestmark = pytest.mark.django_db

PUBLISHED = (
    "---\ntitle: Harbour reopens\ndate: 2026-01-05T10:00:00+01:00\ndek: x\nauthor: Ann Reporter\n---\nBody one.\n"
)


def _withdraw(article, editor):
    return transitions.apply(article, "withdraw", editor, public_note="Legal: taken down.")


class TestReimport:
    def test_a_withdrawn_article_stays_withdrawn(self, tmp_path, editor, client):
        write(tmp_path, "harbour.md", PUBLISHED)
        run_import(tmp_path)
        article = Article.objects.get()
        _withdraw(article, editor)
        steps_logged = ArticleTransition.objects.count()

        out, err, error = run_import(tmp_path)
        assert error is None, err
        article.refresh_from_db()
        assert article.status == Article.Status.WITHDRAWN
        assert ArticleTransition.objects.count() == steps_logged
        assert client.get(article.get_absolute_url()).status_code == 410

    def test_even_forced_the_state_and_times_stay(self, tmp_path, editor):
        write(tmp_path, "harbour.md", PUBLISHED)
        run_import(tmp_path)
        article = Article.objects.get()
        published_at = article.published_at
        _withdraw(article, editor)
        write(tmp_path, "harbour.md", PUBLISHED.replace("Body one.", "Body two.").replace("2026-01-05", "2026-03-01"))
        out, err, error = run_import(tmp_path, force=True)
        assert error is None, err
        article.refresh_from_db()
        assert article.body == "Body two."
        assert (article.status, article.published_at) == (Article.Status.WITHDRAWN, published_at)

    def test_an_article_edited_in_the_newsroom_is_kept_unless_forced(self, tmp_path):
        write(tmp_path, "harbour.md", PUBLISHED)
        run_import(tmp_path)
        article = Article.objects.get()
        article.body = "The desk rewrote this."
        article.save()
        write(tmp_path, "harbour.md", PUBLISHED.replace("Body one.", "Body from the file."))

        out, err, error = run_import(tmp_path)
        assert error is None, err
        assert "kept: " in out and "harbour.md: edited since import" in out
        assert "1 kept" in out
        article.refresh_from_db()
        assert article.body == "The desk rewrote this."

        out, err, error = run_import(tmp_path, force=True)
        article.refresh_from_db()
        assert article.body == "Body from the file."
        assert "1 updated" in out

    def test_an_unedited_import_still_updates(self, tmp_path):
        write(tmp_path, "harbour.md", PUBLISHED)
        run_import(tmp_path)
        write(tmp_path, "harbour.md", PUBLISHED.replace("Body one.", "Body, corrected in the file."))
        out, err, error = run_import(tmp_path)
        assert "1 updated" in out
        assert Article.objects.get().body == "Body, corrected in the file."

    def test_an_article_written_in_the_newsroom_is_not_taken_over_by_a_file_with_its_slug(self, tmp_path):
        make_article(title="Desk story", slug="harbour", body="Written here.")
        write(tmp_path, "harbour.md", PUBLISHED)
        out, err, error = run_import(tmp_path)
        assert "1 kept" in out
        assert Article.objects.get().body == "Written here."


class TestPublicationTimes:
    def test_published_without_a_date_imports_as_a_draft_and_says_why(self, tmp_path, client):
        write(tmp_path, "undated.md", "---\ntitle: Undated\ndraft: false\n---\nBody.")
        out, err, error = run_import(tmp_path)
        assert error is None, err
        article = Article.objects.get()
        assert (article.status, article.published_at) == (Article.Status.DRAFT, None)
        assert "note: " in out and "undated.md" in out and "imported as a draft" in out

    def test_withdrawn_but_never_published_shows_nothing(self, tmp_path, client):
        write(tmp_path, "w.md", "---\ntitle: Secret headline\nstatus: withdrawn\n---\nBody.")
        out, err, error = run_import(tmp_path)
        article = Article.objects.get()
        assert article.status == Article.Status.DRAFT
        response = client.get(article.get_absolute_url())
        assert response.status_code == 404
        assert b"Secret headline" not in response.content

    def test_a_withdrawn_row_without_a_publication_time_is_a_404(self, client):
        article = make_article(title="Secret headline", status=Article.Status.WITHDRAWN, published_at=None)
        response = client.get(article.get_absolute_url())
        assert response.status_code == 404
        assert b"Secret headline" not in response.content


BAD_FILES = {
    "month.md": ("---\ntitle: A\ndate: 2026-13-45\n---\nB.", "month must be in 1..12"),
    "feb30.md": ('---\ntitle: A\ndate: "2026-02-30T10:00:00"\n---\nB.', "day is out of range"),
    "year1.md": ("---\ntitle: A\ndate: 0001-01-01T00:00:00+05:00\n---\nB.", "out of the range"),
    "year9999.md": ("---\ntitle: A\ndate: 9999-12-31T23:00:00-05:00\n---\nB.", "out of the range"),
    "json.md": ('{"title": "A", "x": ' + "[" * 5000 + "]" * 5000 + "}\nB.", "nested"),
    "toml.md": ("+++\ntitle = 'A'\nx = " + "[" * 5000 + "]" * 5000 + "\n+++\nB.", "nested"),
    "deep-yaml.md": ("---\ntitle: A\nx: " + "[" * 50 + "]" * 50 + "\n---\nB.", "nested more than"),
    "aliases.md": (
        "---\na: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
        "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
        "title: Bomb\n---\nB.",
        "aliases add more than 10,000 values",
    ),
    "many-aliases.md": ("---\nt: &t x\nl: [" + ",".join(["*t"] * 150) + "]\ntitle: A\n---\nB.", "YAML aliases"),
    "big-front-matter.md": ("---\ntitle: A\nx: '" + "y" * 1_100_000 + "'\n---\nB.", "character limit"),
    "not-a-mapping.md": ("---\n- a\n- b\n---\nB.", "not a mapping"),
}


def test_each_bad_file_is_reported_while_the_rest_import(tmp_path):
    for name, (text, _) in BAD_FILES.items():
        write(tmp_path, name, text)
    write(tmp_path, "zz-good.md", PUBLISHED)
    out, err, error = run_import(tmp_path)
    assert isinstance(error, CommandError) and f"{len(BAD_FILES)} file(s) failed" in str(error)
    assert Article.objects.get().title == "Harbour reopens"
    for name, (_, reason) in BAD_FILES.items():
        line = next((line for line in err.splitlines() if f"{name}" in line), "")
        assert line.startswith("failed: ") and reason in line, (name, err)


def test_a_failure_while_writing_leaves_that_file_out_and_the_rest_in(tmp_path):
    """A slug already claimed in the run fails its file; the next file still imports."""
    write(tmp_path, "a.md", "---\ntitle: One\nslug: same\n---\nB.")
    write(tmp_path, "b.md", "---\ntitle: Two\nslug: same\n---\nB.")
    write(tmp_path, "c.md", "---\ntitle: Three\n---\nB.")
    out, err, error = run_import(tmp_path)
    assert sorted(Article.objects.values_list("title", flat=True)) == ["One", "Three"]
    assert "b.md" in err


# Downloads


def jpeg_with_gps(size=(3000, 1500)):
    image = Image.new("RGB", size, "teal")
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif[0x8825] = {1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)}  # GPS
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def _article_with_image(tmp_path, url):
    write(tmp_path, "pictured.md", f"---\ntitle: Pictured\nimage: {url}\nimageAlt: A boat\n---\nBody.")


def test_loopback_addresses_are_refused_by_default(tmp_path, picture_server):
    picture_server.routes["/p.jpg"] = (200, {"Content-Type": "image/jpeg"}, jpeg_with_gps())
    _article_with_image(tmp_path, picture_server.base + "/p.jpg")
    out, err, error = run_import(tmp_path, fetch_images=True)
    article = Article.objects.get()
    assert not article.lead_image and article.lead_image_url == picture_server.base + "/p.jpg"
    assert "non-public address (127.0.0.1)" in out


@pytest.mark.parametrize("url", ["http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/x.jpg", "http://[::1]/x"])
def test_private_and_link_local_addresses_are_refused(tmp_path, url):
    _article_with_image(tmp_path, url)
    out, err, error = run_import(tmp_path, fetch_images=True)
    assert "non-public address" in out
    assert not Article.objects.get().lead_image


def test_a_fetched_image_goes_through_the_upload_pipeline(tmp_path, picture_server, settings):
    settings.NEWSROOM_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    picture_server.routes["/p.jpg"] = (200, {"Content-Type": "image/jpeg"}, jpeg_with_gps())
    _article_with_image(tmp_path, picture_server.base + "/p.jpg")
    out, err, error = run_import(tmp_path, fetch_images=True)
    assert error is None, err
    article = Article.objects.get()
    assert article.lead_image and article.lead_image_renditions["sources"]
    with default_storage.open(article.lead_image.file.name) as stored, Image.open(stored) as image:
        assert max(image.size) == 2400  # resized like an upload
        assert not image.getexif()  # camera and GPS data gone
    assert "p.jpg" not in article.lead_image.file.name  # a random name
    assert article.lead_image.source == picture_server.base + "/p.jpg"  # where the library took it from


def test_a_dry_run_fetches_nothing_into_storage(tmp_path, picture_server, settings, media_root):
    settings.NEWSROOM_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    picture_server.routes["/p.jpg"] = (200, {}, jpeg_with_gps((400, 300)))
    _article_with_image(tmp_path, picture_server.base + "/p.jpg")
    out, err, error = run_import(tmp_path, fetch_images=True, dry_run=True)
    assert "would fetch the image" in out
    assert not Article.objects.exists()
    assert not Path(media_root).exists() or not any(p.is_file() for p in Path(media_root).rglob("*"))


@pytest.mark.parametrize(
    ("route", "message"),
    [
        ((302, {"Location": "http://169.254.169.254/"}, b""), "redirects are not followed"),
        ((200, {}, b"<html>not an image</html>"), "not an image"),
        ((500, {}, b"oops"), "HTTP 500"),
        ((200, {}, b"x" * 3000), "the limit is 2,000"),
    ],
)
def test_bad_downloads_keep_the_address_and_say_why(tmp_path, picture_server, settings, route, message):
    settings.NEWSROOM_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.NEWSROOM_FETCH_MAX_BYTES = 2000
    picture_server.routes["/p.jpg"] = route
    _article_with_image(tmp_path, picture_server.base + "/p.jpg")
    out, err, error = run_import(tmp_path, fetch_images=True)
    assert error is None, err
    assert not Article.objects.get().lead_image
    assert message in out, out


def test_a_host_that_sends_a_byte_at_a_time_is_given_up_on(tmp_path, settings):
    """Each byte comes well within any socket timeout, the whole never does: the download stops at its deadline."""
    import socket
    import time

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    stop = threading.Event()

    def drip():
        connection, _ = listener.accept()
        with connection:
            connection.recv(4096)
            for byte in b"HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nX-Slow: " + b"a" * 200:
                if stop.wait(0.05):
                    return
                connection.sendall(bytes([byte]))

    thread = threading.Thread(target=drip, daemon=True)
    thread.start()
    settings.NEWSROOM_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.NEWSROOM_FETCH_TIMEOUT_SECONDS = 0.5
    _article_with_image(tmp_path, f"http://127.0.0.1:{listener.getsockname()[1]}/p.jpg")
    started = time.perf_counter()
    out, err, error = run_import(tmp_path, fetch_images=True)
    elapsed = time.perf_counter() - started
    stop.set()
    listener.close()
    assert elapsed < 5  # the drip alone would take over ten seconds
    assert "took more than 0.5 seconds" in out, out
    assert Article.objects.exists() and not Article.objects.get().lead_image


def test_a_kept_article_is_not_downloaded_for(tmp_path, picture_server, settings):
    settings.NEWSROOM_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    hits = []
    picture_server.routes["/p.jpg"] = (200, {}, jpeg_with_gps((400, 300)))
    _article_with_image(tmp_path, picture_server.base + "/nowhere.jpg")
    run_import(tmp_path)
    article = Article.objects.get()
    article.body = "Edited at the desk."
    article.save()
    _article_with_image(tmp_path, picture_server.base + "/p.jpg")
    picture_server.hits = hits
    out, err, error = run_import(tmp_path, fetch_images=True)
    assert "1 kept" in out
    assert hits == []
    assert not Article.objects.get().lead_image


def test_a_slow_host_is_given_up_on(tmp_path, settings):
    """A server that accepts the connection and never answers: the download gives up after its time."""
    import socket
    import time

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    settings.NEWSROOM_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.NEWSROOM_FETCH_TIMEOUT_SECONDS = 0.5
    _article_with_image(tmp_path, f"http://127.0.0.1:{listener.getsockname()[1]}/p.jpg")
    started = time.perf_counter()
    out, err, error = run_import(tmp_path, fetch_images=True)
    listener.close()
    assert time.perf_counter() - started < 5
    assert "image not fetched" in out and Article.objects.exists()


# Export and backup


def test_export_caps_file_names_in_bytes_and_keeps_them_unique(tmp_path):
    long_slug = "ж" * 190  # 380 bytes in UTF-8: too long for most file systems
    make_article(title="Long one", slug=long_slug)
    make_article(title="Long two", slug=long_slug[:-1] + "я")
    make_article(title="Case", slug="Harbour")
    make_article(title="case", slug="harbour")
    out = StringIO()
    call_command("export_markdown", str(tmp_path / "out"), stdout=out)
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert len(names) == 4
    assert all(len(name.encode()) <= 200 for name in names)
    assert len({name.casefold() for name in names}) == 4
    assert "Exported 4 article(s)" in out.getvalue()


def test_backups_are_readable_by_their_owner_only(tmp_path):
    make_article(slug="ж" * 190, authors=[make_author()])
    call_command("backup", str(tmp_path / "backups"), stdout=StringIO())
    (archive,) = (tmp_path / "backups").glob("*.tar.gz")
    assert stat.S_IMODE(os.stat(archive).st_mode) == 0o600
    with tarfile.open(archive) as tar:
        assert any(name.startswith("markdown/") and name.endswith(".md") for name in tar.getnames())


def test_importing_the_same_files_again_changes_nothing(tmp_path):
    """The demo content, imported twice (as `make run` does each time): every file is unchanged the second time."""
    write(tmp_path, SAMPLE.name, SAMPLE.read_text())
    write(tmp_path, "harbour.md", PUBLISHED)
    run_import(tmp_path)
    versions = list(Article.objects.order_by("pk").values_list("version", flat=True))
    Article.objects.update(body_html="<p>rendered by another process</p>")  # same source, other bytes
    out, err, error = run_import(tmp_path)
    assert "0 created, 0 updated, 2 unchanged" in out, out
    assert list(Article.objects.order_by("pk").values_list("version", flat=True)) == versions


def test_a_unicode_article_is_not_its_own_alias_and_reimports_unchanged(tmp_path):
    from articles.models import ArticleAlias

    write(tmp_path, "kot.md", "---\ntitle: Кот\nslug: кот\naliases: [/articles/кот/, /old/кот/]\n---\nBody.")
    run_import(tmp_path)
    assert list(ArticleAlias.objects.values_list("path", flat=True)) == ["/old/кот/"]
    out, err, error = run_import(tmp_path)
    assert "1 unchanged" in out, out


def test_import_reports_a_body_over_the_limit_and_imports_the_rest(tmp_path):
    """A file whose body is over the renderer's limit is reported by name, and the others are imported."""
    write(tmp_path, "big.md", "---\ntitle: Big\n---\n" + "x" * (limits.MAX_SOURCE_BYTES + 1))
    write(tmp_path, "small.md", "---\ntitle: Small\n---\nText.")
    out, err, error = run_import(tmp_path)
    assert "big.md: body: This text is 1,000,001 bytes; the limit is 1,000,000 bytes (1 MB)" in out + err
    assert list(Article.objects.values_list("title", flat=True)) == ["Small"]
