"""Editing a library picture at the same time as someone else: one save wins, the others are refused with both
values shown, and no refused save leaves a file behind."""

import re
import threading
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from articles.models import Image, StaleEditError
from articles.tests.factories import make_picture

pytestmark = pytest.mark.django_db


def picture_form(picture, **changes):
    """The picture's page as it was opened, with ``changes`` typed in."""
    data = {name: getattr(picture, name) or "" for name in ("alt", "caption", "credit", "source", "licence")}
    data |= {"rights_expire_on": picture.rights_expire_on or "", "focal_x": picture.focal_x,
             "focal_y": picture.focal_y, "opened_file": picture.file.name, "version": picture.version}  # fmt: skip
    return data | changes


def stored_files(media_root):
    return {path.relative_to(media_root).as_posix() for path in Path(media_root).rglob("*") if path.is_file()}


def stale_table(page):
    """The refusal's table of values, saved and yours, as text."""
    found = re.search(r"<table class=\"?'?stale-values.*?</table>", page, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(0))) if found else ""


def change_url(picture):
    return reverse("admin:articles_image_change", args=[picture.pk])


def test_a_page_opened_before_someone_saved_is_refused_with_both_values(
    client_for, writer, editor, media_root, django_capture_on_commit_callbacks
):
    """Two pages opened at the same version: the first save wins; the second is refused, names who saved,
    shows their caption and focal point beside its own, and writes no file."""
    picture = make_picture(caption="The caption as uploaded")
    theirs = picture_form(picture, caption="Caption by the editor 7Q", focal_x=0.9)
    mine = picture_form(picture, caption="Caption by the writer 7Q", focal_x=0.1)
    with django_capture_on_commit_callbacks(execute=True):  # the crops it replaced are deleted
        assert client_for(editor).post(change_url(picture), theirs).status_code == 302
    files = stored_files(media_root)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(writer).post(change_url(picture), mine)
    page = response.content.decode()
    assert response.status_code == 200 and "eddie saved the picture" in page and "after you opened version 1" in page
    table = stale_table(page)
    assert "Caption Caption by the editor 7Q Caption by the writer 7Q" in table
    assert "Focal x 0.900 0.100" in table and "Focal y" not in table and "Credit" not in table
    saved = Image.objects.get(pk=picture.pk)
    assert (saved.caption, saved.focal, saved.version) == ("Caption by the editor 7Q", (0.9, 0.5), 2)
    assert stored_files(media_root) == files == set(saved.files())


def test_a_page_that_does_not_say_its_version_saves_nothing(client_for, writer):
    picture = make_picture(caption="Kept 7Q")
    data = picture_form(picture, caption="Lost")
    del data["version"]
    response = client_for(writer).post(change_url(picture), data)
    assert response.status_code == 200 and "did not say which version" in response.content.decode()
    assert Image.objects.get(pk=picture.pk).caption == "Kept 7Q"


@pytest.mark.parametrize("version", ["-1", str(2**31), str(2**70), "x", "1e3", ""])
def test_a_malformed_or_out_of_range_version_is_refused_on_the_form(version, client_for, writer):
    picture = make_picture(caption="Kept 7Q")
    response = client_for(writer).post(change_url(picture), picture_form(picture, caption="Lost", version=version))
    assert response.status_code == 200 and response.context["adminform"].form.errors
    if version not in ("", "x", "1e3"):  # a whole number, out of range: the reason is shown (the field is hidden)
        assert "version is not one a picture can have" in response.context["adminform"].form.non_field_errors()[0]
    assert Image.objects.get(pk=picture.pk).caption == "Kept 7Q"


def test_a_stale_copy_of_a_picture_is_refused_before_any_crop_is_made(media_root):
    """Outside the admin too: a copy loaded before someone else's save raises instead of overwriting, and makes
    no crops for its focal point."""
    picture = make_picture()
    first, second = Image.objects.get(pk=picture.pk), Image.objects.get(pk=picture.pk)
    first.caption, first.focal_x = "First 7Q", 0.9
    first.save()
    files = stored_files(media_root)
    second.caption, second.focal_x = "Second", 0.1
    with pytest.raises(StaleEditError):
        second.save()
    assert second.version == 1 and stored_files(media_root) == files
    saved = Image.objects.get(pk=picture.pk)
    assert (saved.caption, saved.focal_x, saved.version) == ("First 7Q", 0.9, 2)


@pytest.mark.django_db(transaction=True)
def test_ten_editors_saving_one_picture_at_once(django_user_model, media_root):
    """Ten pages opened at the same version and saved at the same moment (each with its own caption and focal
    point): exactly one is saved, nine are refused, and the files on disk are exactly the saved row's."""
    picture = make_picture(caption="The caption as uploaded")
    before = stored_files(media_root)
    assert before == set(picture.files())
    clients = []
    for n in range(10):
        client = Client()
        client.force_login(django_user_model.objects.create_superuser(f"editor{n}", password=None))
        clients.append(client)
    started = threading.Barrier(len(clients))
    answers = {}

    def save(n):
        try:
            data = picture_form(picture, caption=f"Caption number {n} 7Q", focal_x=n / 10, focal_y=1 - n / 10)
            started.wait()
            answers[n] = clients[n].post(change_url(picture), data)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(n,)) for n in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    statuses = sorted(response.status_code for response in answers.values())
    assert statuses == [200] * 9 + [302]
    (winner,) = [n for n, response in answers.items() if response.status_code == 302]
    saved = Image.objects.get(pk=picture.pk)
    assert (saved.caption, saved.focal, saved.version) == (
        f"Caption number {winner} 7Q",
        (winner / 10, 1 - winner / 10),
        2,
    )
    for n, response in answers.items():
        if n != winner:
            table = stale_table(response.content.decode())
            assert f"Caption Caption number {winner} 7Q Caption number {n} 7Q" in table
    after = stored_files(media_root)
    assert after == set(saved.files()) and len(after) == len(before)
