"""Renditions carry the picture's rights in the file (IPTC photo metadata as XMP) and nothing else, and are
rewritten when the rights change: on a save, and for older pictures by ``manage.py rewrite_renditions``."""

import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db.models import F
from django.urls import reverse
from PIL import Image as PillowImage

from articles.media import renditions
from articles.models import Image
from articles.models.media import rewrite_renditions_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_jobs")]

EXIFTOOL = shutil.which("exiftool")
RIGHTS = {
    "credit": 'Harbour <Pictures> & "Sons"',
    "creator": "Ana Photographer-7Q",
    "copyright_notice": "© 2026 Ana Photographer <all rights>",
    "licence_url": "https://creativecommons.org/licenses/by/4.0/",
    "licence_page_url": "https://pictures.example/licence/7Q",
}


def geotagged_photo(size=(1700, 1000), color=(40, 90, 160)):
    """A camera JPEG with a model name, GPS position and a comment: none of it may reach a rendition."""
    image = PillowImage.new("RGB", size, color)
    exif = PillowImage.Exif()
    exif[0x0110] = "CameraModel-7Q"
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes(), comment=b"comment-7Q")
    return buffer.getvalue()


def add_picture(color=(40, 90, 160), **fields):
    """A library picture from a camera JPEG (of its own ``color``: the library keeps one picture per file)."""
    upload = SimpleUploadedFile("camera.jpg", geotagged_photo(color=color), "image/jpeg")
    return Image.objects.add(upload, **fields)[0]


def every_rendition(picture):
    return renditions.rendition_files(picture.renditions)


def xmp_fields(name):
    """The rights fields of a stored file's XMP packet, as Pillow reads it (``getxmp``, names without their
    namespaces; ``test_exiftool_reads_the_rights_and_nothing_else`` checks those)."""
    with default_storage.open(name) as handle, PillowImage.open(handle) as image:
        found = image.getxmp()
    assert found, f"{name} carries no XMP"
    description = found["xmpmeta"]["RDF"]["Description"]
    return {
        "creator": description.get("creator", {}).get("Seq", {}).get("li"),
        "credit": description.get("Credit"),
        "copyright_notice": description.get("rights", {}).get("Alt", {}).get("li", {}).get("text"),
        "licence_url": description.get("WebStatement"),
        "licence_page_url": description.get("Licensor", {}).get("Seq", {}).get("li", {}).get("LicensorURL"),
    }


def test_every_rendition_carries_the_rights_escaped(media_root):
    """Each AVIF, WebP and JPEG rendition and each crop holds creator, credit line, copyright notice, licence and
    licensor URL, a credit with <&" in it read back exactly."""
    picture = add_picture(**RIGHTS)
    names = every_rendition(picture)
    assert {Path(name).suffix for name in names} == {".avif", ".webp", ".jpg"}
    assert len(names) == 3 * 3 + 3
    for name in names:
        assert xmp_fields(name) == {key: RIGHTS[key] for key in xmp_fields(name)}, name


def test_the_credit_stands_for_a_missing_creator(media_root):
    """Without a creator the credit is the file's creator; a picture with no rights at all carries no XMP."""
    picture = add_picture(credit="Agency-7Q")
    assert xmp_fields(picture.renditions["sources"][0]["avif"])["creator"] == "Agency-7Q"
    bare = Image.objects.add(SimpleUploadedFile("other.jpg", geotagged_photo((900, 600)), "image/jpeg"))[0]
    with default_storage.open(bare.renditions["sources"][0]["jpg"]) as handle, PillowImage.open(handle) as image:
        assert "xmp" not in image.info


@pytest.mark.skipif(EXIFTOOL is None and not os.environ.get("CI"), reason="no exiftool (make test installs it)")
def test_exiftool_reads_the_rights_and_nothing_else(media_root):
    """exiftool finds the IPTC rights in every rendition, and no EXIF, GPS, camera, IPTC-IIM or comment."""
    if EXIFTOOL is None:
        pytest.fail("exiftool is not installed: `make test` and .ci/run install Debian's libimage-exiftool-perl")
    picture = add_picture(**RIGHTS)
    paths = [default_storage.path(name) for name in every_rendition(picture)]
    found = json.loads(subprocess.run([EXIFTOOL, "-json", "-G1", "-a", *paths], capture_output=True, check=True,
                                      text=True).stdout)  # fmt: skip
    for tags in found:
        assert tags["XMP-dc:Creator"] == RIGHTS["creator"], tags["SourceFile"]
        assert tags["XMP-photoshop:Credit"] == RIGHTS["credit"]
        assert tags["XMP-dc:Rights"] == RIGHTS["copyright_notice"]
        assert tags["XMP-xmpRights:WebStatement"] == RIGHTS["licence_url"]
        assert tags["XMP-plus:LicensorURL"] == RIGHTS["licence_page_url"]
        groups = {name.split(":")[0] for name in tags if ":" in name}
        assert not {group for group in groups if group.startswith(("IFD", "GPS", "ExifIFD", "IPTC", "MakerNotes"))}
        assert not [name for name in tags if "Comment" in name or "GPS" in name or name.endswith(":Model")], tags
        assert "CameraModel-7Q" not in json.dumps(tags) and "comment-7Q" not in json.dumps(tags)


def change_form(picture, **changes):
    """The picture's admin page as it was opened, with ``changes`` typed in."""
    names = ("alt", "caption", "credit", "creator", "copyright_notice", "source", "licence", "licence_url",
             "licence_page_url")  # fmt: skip
    data = {name: getattr(picture, name) or "" for name in names}
    data |= {"rights_expire_on": "", "focal_x": picture.focal_x, "focal_y": picture.focal_y,
             "opened_file": picture.file.name, "version": picture.version}  # fmt: skip
    return data | changes


def test_a_rights_change_rewrites_the_renditions(client_for, editor, media_root, django_capture_on_commit_callbacks):
    """A new credit saved in the admin writes new files carrying it and points the picture at them (a new
    modification time, which pages key on; the version is the save's). The old files stay, for what already
    shows them (a newsletter sent, a feed reader), until the picture is deleted."""
    picture = add_picture(credit="Old credit-7Q")
    old_files, modified = every_rendition(picture), picture.modified_at
    url = reverse("admin:articles_image_change", args=[picture.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(editor).post(url, change_form(picture, credit="New credit <7Q>"))
    assert response.status_code == 302, response.content.decode()[:3000]
    picture.refresh_from_db()
    new_files = every_rendition(picture)
    assert not set(new_files) & set(old_files)
    assert all(default_storage.exists(name) for name in new_files)
    assert all(default_storage.exists(name) for name in old_files)
    assert {xmp_fields(name)["credit"] for name in new_files} == {"New credit <7Q>"}
    assert picture.version == 2 and picture.modified_at > modified and picture.renditions_current()
    with django_capture_on_commit_callbacks(execute=True):
        picture.delete()
    assert not any(default_storage.exists(name) for name in [*old_files, *new_files])


def test_a_form_opened_before_the_rewrite_still_saves_and_keeps_the_new_files(
    client_for, editor, media_root, django_capture_on_commit_callbacks
):
    """The editor who saved a new credit and goes on editing the page it reloaded is not refused as out of date
    by the rewrite that save started, and that next save keeps the rewritten files rather than the ones the page
    was opened with."""
    picture = add_picture(credit="Old credit-8Q")
    url = reverse("admin:articles_image_change", args=[picture.pk])
    with django_capture_on_commit_callbacks() as rewrite:
        client_for(editor).post(url, change_form(picture, credit="New credit-8Q"))
    reopened = Image.objects.get(pk=picture.pk)
    for callback in rewrite:  # the queue's job runs while the editor reads the reloaded page
        callback()
    response = client_for(editor).post(url, change_form(reopened, caption="A caption typed after-8Q"))
    assert response.status_code == 302, response.content.decode()[:3000]
    saved = Image.objects.get(pk=picture.pk)
    assert saved.caption == "A caption typed after-8Q" and saved.renditions != reopened.renditions
    assert all(default_storage.exists(name) for name in every_rendition(saved))
    assert {xmp_fields(name)["credit"] for name in every_rendition(saved)} == {"New credit-8Q"}


def test_an_edit_that_leaves_the_rights_alone_keeps_the_files(
    client_for, editor, media_root, django_capture_on_commit_callbacks
):
    """A new caption rewrites nothing: the same files, one version more."""
    picture = add_picture(**RIGHTS)
    files = every_rendition(picture)
    url = reverse("admin:articles_image_change", args=[picture.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client_for(editor).post(url, change_form(picture, caption="A new caption-7Q"))
    picture.refresh_from_db()
    assert every_rendition(picture) == files and picture.version == 2


def make_old(picture):
    """The picture as it was before renditions carried rights or AVIF: no signature, no AVIF files."""
    old = {**picture.renditions, "sources": [{k: v for k, v in s.items() if k != "avif"} for s in
                                             picture.renditions["sources"]]}  # fmt: skip
    old.pop("signature")
    for source in picture.renditions["sources"]:
        default_storage.delete(source["avif"])
    Image._base_manager.filter(pk=picture.pk).update(renditions=old)
    return Image.objects.get(pk=picture.pk)


def test_the_command_rewrites_older_pictures_once(media_root):
    """Pictures made before AVIF and rights get both from the command; a second run changes nothing."""
    pictures = [make_old(add_picture(**RIGHTS)), make_old(add_picture((200, 10, 10), credit="Second-7Q"))]
    out = io.StringIO()
    call_command("rewrite_renditions", "--batch-size", "1", stdout=out)
    assert "Rewrote the renditions of 2 picture(s); 0 already up to date." in out.getvalue()
    rewritten = [Image.objects.get(pk=picture.pk) for picture in pictures]
    for picture in rewritten:
        assert picture.renditions_current()
        avif = [source["avif"] for source in picture.renditions["sources"]]
        assert avif and all(default_storage.exists(name) for name in avif)
    assert xmp_fields(rewritten[0].renditions["sources"][0]["avif"])["credit"] == RIGHTS["credit"]
    files = [every_rendition(picture) for picture in rewritten]
    out = io.StringIO()
    call_command("rewrite_renditions", stdout=out)
    assert "Rewrote the renditions of 0 picture(s); 2 already up to date." in out.getvalue()
    assert [every_rendition(Image.objects.get(pk=picture.pk)) for picture in pictures] == files


def test_the_command_names_a_picture_it_cannot_read_and_goes_on(media_root):
    """A picture whose stored file is gone keeps its renditions and is named; the others are rewritten, and the
    command ends in an error so that a deployment notices."""
    broken, fine = make_old(add_picture(credit="Gone-7Q")), make_old(add_picture((200, 10, 10), credit="Fine-7Q"))
    default_storage.delete(broken.file.name)
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="1 picture"):
        call_command("rewrite_renditions", stdout=out, stderr=err)
    assert f"Picture #{broken.pk}: renditions not rewritten" in err.getvalue()
    assert Image.objects.get(pk=fine.pk).renditions_current()
    assert Image.objects.get(pk=broken.pk).renditions == broken.renditions


@pytest.fixture
def no_eager_jobs():
    """Jobs go to the broker (``dead_broker`` makes it unreachable), not run in the test's process."""
    from newsroom.celery import app as celery_app

    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = before


def test_with_the_queue_down_the_save_rewrites_them_itself(
    no_eager_jobs, dead_broker, media_root, django_capture_on_commit_callbacks
):
    """When the job queue cannot be asked, the renditions are rewritten after the commit all the same."""
    picture = add_picture(credit="Before-7Q")
    picture.credit = "After-7Q"
    with django_capture_on_commit_callbacks(execute=True):
        picture.save()
    picture.refresh_from_db()
    assert picture.renditions_current()
    assert xmp_fields(picture.renditions["social"])["credit"] == "After-7Q"


def test_a_save_during_the_rewrite_wins_and_the_rewrite_starts_again(media_root, monkeypatch):
    """A picture saved while its renditions were being made keeps that save; the rewrite's files are removed and
    it starts again from the picture as saved, so the files carry the latest rights."""
    picture = add_picture(credit="First-7Q")
    Image._base_manager.filter(pk=picture.pk).update(credit="Second-7Q")
    made, original = [], renditions.build_renditions

    def build_then_someone_saves(*args, **kwargs):
        built = original(*args, **kwargs)
        made.append(built)
        if len(made) == 1:  # an editor's save lands while the first rewrite was encoding
            Image._base_manager.filter(pk=picture.pk).update(credit="Third-7Q", version=F("version") + 1)
        return built

    monkeypatch.setattr(renditions, "build_renditions", build_then_someone_saves)
    assert rewrite_renditions_of(picture.pk)
    saved = Image.objects.get(pk=picture.pk)
    assert len(made) == 2 and saved.renditions == made[1] and saved.credit == "Third-7Q"
    assert not any(default_storage.exists(name) for name in renditions.rendition_files(made[0]))
    assert {xmp_fields(name)["credit"] for name in every_rendition(saved)} == {"Third-7Q"}
