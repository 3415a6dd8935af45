"""``manage.py rewrite_renditions --check-files``: renditions whose files are gone or damaged (a lost disk, a
half-copied restore) are made again from the stored picture, which pages then point at; without the option the
command trusts the files, and a run with it over sound files changes nothing."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from articles.media import renditions
from articles.models import Image
from articles.tests.factories import make_picture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def run(*args):
    out = io.StringIO()
    call_command("rewrite_renditions", *args, stdout=out)
    return out.getvalue()


def sound(picture):
    """Whether every file its renditions name is there and opens as a picture."""
    return all(renditions.rendition_readable(name) for name in renditions.rendition_files(picture.renditions))


def test_a_missing_or_damaged_rendition_is_made_again(media_root):
    """One picture's JPEG rendition deleted, another's AVIF cut short: both are rewritten, every file sound."""
    gone, damaged = make_picture(credit="Gone-D7"), make_picture(color=(200, 10, 10), credit="Damaged-D7")
    default_storage.delete(gone.renditions["sources"][0]["jpg"])
    name = damaged.renditions["sources"][-1]["avif"]
    with default_storage.open(name) as handle:
        head = handle.read(200)
    default_storage.delete(name)
    assert default_storage.save(name, ContentFile(head)) == name
    assert "0 picture(s); 2 already up to date" in run()  # without the option the files are trusted
    assert "Rewrote the renditions of 2 picture(s); 0 already up to date." in run("--check-files")
    for picture in (gone, damaged):
        again = Image.objects.get(pk=picture.pk)
        assert again.renditions_current() and sound(again)


def test_sound_files_are_left_alone():
    """A run with ``--check-files`` over sound renditions rewrites nothing."""
    picture = make_picture(credit="Sound-D7")
    assert "Rewrote the renditions of 0 picture(s); 1 already up to date." in run("--check-files")
    assert Image.objects.get(pk=picture.pk).renditions == picture.renditions
