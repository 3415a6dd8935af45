import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from PIL import Image

from articles.models import Article, Author, Correction
from articles.models import Image as LibraryImage
from articles.tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db(transaction=True)

COMPARED = ["auth.user", "auth.group", "taggit.tag", "articles"]


def snapshot():
    out = io.StringIO()
    call_command("dumpdata", *COMPARED, natural_foreign=True, stdout=out)
    return json.loads(out.getvalue())


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


def test_backup_then_restore_into_an_empty_database_gives_everything_back(newsroom, tmp_path, media_root, client):
    page_before = client.get(newsroom.get_absolute_url()).content  # reads (and so makes) the site settings
    before, files_before = snapshot(), media_hashes(media_root)
    out = io.StringIO()
    call_command("backup", str(tmp_path / "backups"), stdout=out)
    archive = next((tmp_path / "backups").glob("newsroom-backup-*.tar.gz"))
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert {"data.xml", "manifest.json", "markdown/ferry-returns/index.md", "media"} <= set(names)

    call_command("flush", interactive=False, verbosity=0)
    for path in Path(media_root).rglob("*"):
        if path.is_file():
            path.unlink()
    call_command("migrate", verbosity=0)  # the data migrations' groups come back, as in a new database
    assert not Article.objects.exists()

    call_command("restore", str(archive), stdout=io.StringIO())
    assert snapshot() == before
    assert media_hashes(media_root) == files_before
    client.cookies.clear()
    page_after = client.get(newsroom.get_absolute_url()).content
    assert page_after == page_before
    assert User.objects.get(username="wendy").check_password("Long-enough-pass-1")


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
