import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from PIL import Image

from articles.markup import markdown
from articles.models import Article, Author, Banner, Correction, Section, SiteSettings
from articles.models import Image as LibraryImage
from articles.tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db(transaction=True)

# Kept out of a backup on purpose (see the backup command), or written by migrate itself.
NOT_BACKED_UP = {"django_migrations", "django_session", "django_admin_log", "django_content_type", "auth_permission"}

# Text a browser, an import or a paste can bring: CRLF from a textarea, lone CRs, a trailing newline, tabs,
# trailing spaces (a Markdown line break), control characters XML 1.0 cannot hold, Unicode line separators,
# a byte-order mark, combining and zero-width characters, right-to-left marks, astral characters.
ODD = "Line one\r\nline two\rthree\n\n\tindented  \nhard break  \n\x0b\x0c\x1b\x7f \u2028\u2029\x85\ufeff" \
      "e\u0301 \u200b\u202eevil\u202c \U0001f1eb\U0001f1f7 \U0001d54f\r\n"  # fmt: skip


def table_rows():
    """Every row of every table the backup keeps, as the database returns it, in a stable order. Content types
    and permissions are made again by ``migrate``, perhaps under other ids: rows pointing at them are compared
    by what they point at; the rows of Django's own many-to-many tables (a user's groups) by their pair."""
    pairs = {
        field.remote_field.through._meta.db_table
        for model in apps.get_models()
        for field in model._meta.local_many_to_many
        if field.remote_field.through._meta.auto_created
    }
    rows = {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, app_label, model FROM django_content_type")
        types = {pk: f"{app}.{model}" for pk, app, model in cursor.fetchall()}
        cursor.execute("SELECT id, content_type_id, codename FROM auth_permission")
        natural = {"content_type_id": types, "permission_id": {pk: f"{types[t]}.{c}" for pk, t, c in cursor.fetchall()}}
        for table in connection.introspection.table_names():
            if table in NOT_BACKED_UP or table.startswith("axes_"):
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            columns = [column[0] for column in cursor.description]
            rows[table] = sorted(
                (
                    tuple(
                        natural[name][value] if name in natural else value
                        for name, value in zip(columns, row, strict=True)
                        if not (table in pairs and name == "id")
                    )
                    for row in cursor.fetchall()
                ),
                key=repr,
            )
    return rows


def media_hashes(root):
    root = Path(root)
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*") if p.is_file()
    }


def photo():
    buffer = io.BytesIO()
    Image.new("RGB", (900, 600), (10, 90, 160)).save(buffer, "JPEG")
    return SimpleUploadedFile("portrait.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def newsroom(media_root):
    writer = User.objects.create_user("wendy", password="Long-enough-pass-1", is_staff=True)
    writer.groups.add(Group.objects.get_or_create(name="Writer")[0])
    author = Author(name="Amy Photo", user=writer)
    author.photo, _ = LibraryImage.objects.add(photo(), alt="Amy Photo")
    author.save()
    story = make_article(title="Ferry returns", authors=[author, make_author("Ben Guest")], tags=["Harbour", "Rail"],
                         lead_image_alt="Harbour")  # fmt: skip
    story.lead_image, _ = LibraryImage.objects.add(photo(), credit="Staff")
    story.save()
    Correction.objects.create(article=story, text="An earlier version gave the wrong date.")
    make_article(title="Unfinished draft", status=Article.Status.DRAFT, published_at=None, created_by=writer)
    return story


@pytest.fixture
def odd_text(newsroom):
    """Rows holding every kind of awkward text, in multi-line fields as saved and in single-line ones as rows
    written before they were kept to one line; times to the microsecond; a float with no short decimal form."""
    section = Section.objects.create(name="Odd section", description=ODD)
    article = make_article(title="Odd text", dek=ODD, body=ODD, section=section, withdrawal_note=ODD)
    Article.objects.filter(pk=article.pk).update(published_at=article.published_at.replace(microsecond=123457))
    old = make_article(title="Old headline", body="Rendered before.\n")
    Article.objects.filter(pk=old.pk).update(title="Old\r\nheadline\n", lead_image_caption=ODD)
    Correction.objects.create(article=article, text=ODD)
    Author.objects.create(name="Odd Author", bio=ODD)
    picture = LibraryImage.objects.get(pk=newsroom.lead_image_id)
    picture.focal_x = 0.1 + 0.2
    picture.save()
    LibraryImage.objects.filter(pk=picture.pk).update(caption=ODD, alt=" leading and trailing ")
    site = SiteSettings.load()
    site.footer_text = site.social_profiles = ODD
    site.save()
    Banner.objects.create(text="Breaking", expires_at=article.published_at.replace(year=2100))
    return article


def test_backup_then_restore_into_an_empty_database_gives_everything_back(newsroom, tmp_path, media_root, client):
    page_before = client.get(newsroom.get_absolute_url()).content  # reads (and so makes) the site settings
    before, files_before = table_rows(), media_hashes(media_root)
    out = io.StringIO()
    call_command("backup", str(tmp_path / "backups"), stdout=out)
    archive = next((tmp_path / "backups").glob("newsroom-backup-*.tar.gz"))
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert {"data.exactjsonl", "manifest.json", "markdown/ferry-returns/index.md", "media"} <= set(names)

    call_command("flush", interactive=False, verbosity=0)
    for path in Path(media_root).rglob("*"):
        if path.is_file():
            path.unlink()
    call_command("migrate", verbosity=0)  # the data migrations' groups come back, as in a new database
    assert not Article.objects.exists()

    call_command("restore", str(archive), stdout=io.StringIO())
    assert table_rows() == before
    assert media_hashes(media_root) == files_before
    client.cookies.clear()
    page_after = client.get(newsroom.get_absolute_url()).content
    assert page_after == page_before
    assert User.objects.get(username="wendy").check_password("Long-enough-pass-1")


def test_a_restored_database_equals_the_original_byte_for_byte(odd_text, tmp_path, media_root):
    """CRLF, lone CRs, trailing newlines, control characters and odd Unicode come back exactly, row by row and
    field by field, and a restored body still matches the key of its rendering."""
    before = table_rows()
    assert any(ODD in row for row in before[Article._meta.db_table])
    call_command("backup", str(tmp_path), stdout=io.StringIO())
    archive = next(tmp_path.glob("newsroom-backup-*.tar.gz"))
    call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)

    call_command("restore", str(archive), stdout=io.StringIO())
    after = table_rows()
    for table, rows in before.items():
        assert after[table] == rows, table
    restored = Article.objects.get(pk=odd_text.pk)
    assert restored.body == ODD
    assert restored.body_html_key == markdown.source_key(restored.body, restored.title, restored.lead_image_url)


def test_restore_refuses_a_database_with_content(newsroom, tmp_path):
    call_command("backup", str(tmp_path), stdout=io.StringIO())
    archive = next(tmp_path.glob("*.tar.gz"))
    with pytest.raises(CommandError, match="already has articles or users"):
        call_command("restore", str(archive))


def test_restore_refuses_something_that_is_not_a_backup(tmp_path):
    bogus = tmp_path / "bogus.tar.gz"
    bogus.write_bytes(b"not a tar file at all")
    with pytest.raises(CommandError, match="not a readable backup archive"):
        call_command("restore", str(bogus))
    with pytest.raises(CommandError, match="No backup archive"):
        call_command("restore", str(tmp_path / "missing.tar.gz"))


def test_an_archive_made_before_the_exact_format_still_restores(newsroom, tmp_path):
    """Archives from before hold the database as data.xml: restore reads them as it always did."""
    excluded = ["contenttypes", "auth.permission", "axes", "sessions", "admin.logentry"]
    call_command("dumpdata", natural_foreign=True, exclude=excluded, format="xml", output=str(tmp_path / "data.xml"))
    (tmp_path / "manifest.json").write_text(json.dumps({"created": "then", "articles": 2, "authors": 2}))
    archive = tmp_path / "old.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        for name in ("data.xml", "manifest.json"):
            tar.add(tmp_path / name, arcname=name)
    call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)

    call_command("restore", str(archive), stdout=io.StringIO())
    assert Article.objects.get(pk=newsroom.pk).title == "Ferry returns"
