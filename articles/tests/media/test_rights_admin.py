"""The rights a picture's files carry are edited in the admin, grouped as "Rights": on the picture's page, on the
upload page (for every picture of an upload) and in the picture chooser."""

import io
import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PillowImage

from articles.admin.library_forms import DescribeForm, UploadForm
from articles.models import Image
from articles.tests.factories import make_picture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_jobs")]

TYPED = {
    "creator": "Ana Photographer-7Q",
    "copyright_notice": "© 2026 Ana Photographer",
    "licence_url": "https://creativecommons.org/licenses/by/4.0/",
    "licence_page_url": "https://pictures.example/licence/7Q",
}


def photo(color):
    buffer = io.BytesIO()
    PillowImage.new("RGB", (640, 480), color).save(buffer, "JPEG")
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), "image/jpeg")


def fieldset_fields(page, legend):
    """The names of the inputs in the admin fieldset headed ``legend``."""
    soup = BeautifulSoup(page, "html.parser")
    for fieldset in soup.find_all("fieldset"):
        heading = fieldset.find(["h2", "h3", "legend"])
        if heading is not None and heading.get_text(strip=True) == legend:
            return [field["name"] for field in fieldset.find_all(["input", "textarea", "select"]) if field.get("name")]
    return []


def saved_rights(picture):
    return {name: getattr(picture, name) for name in TYPED}


def test_the_picture_page_groups_and_saves_the_rights(client_for, editor, media_root):
    """The picture's page shows credit, creator, copyright notice, licence URL and where to license it under
    "Rights", and saves what is typed there."""
    picture = make_picture(credit="Staff")
    url = reverse("admin:articles_image_change", args=[picture.pk])
    client = client_for(editor)
    assert {"credit", *TYPED} <= set(fieldset_fields(client.get(url).content.decode(), "Rights"))
    data = {"alt": "Quay", "caption": "", "credit": "Staff", "source": "", "licence": "CC BY 4.0",
            "rights_expire_on": "", "focal_x": 0.5, "focal_y": 0.5, "opened_file": picture.file.name,
            "version": picture.version, **TYPED}  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert saved_rights(Image.objects.get(pk=picture.pk)) == TYPED


def test_a_bad_licence_address_is_refused_by_name(client_for, editor, media_root):
    """A licence URL that is not an address is refused on the picture's page, naming the field."""
    picture = make_picture()
    url = reverse("admin:articles_image_change", args=[picture.pk])
    data = {"alt": "", "caption": "", "credit": "", "source": "", "licence": "", "rights_expire_on": "",
            "focal_x": 0.5, "focal_y": 0.5, "opened_file": picture.file.name, "version": picture.version,
            **TYPED, "licence_url": "not an address"}  # fmt: skip
    response = client_for(editor).post(url, data)
    assert response.status_code == 200
    assert "licence_url" in response.context["adminform"].form.errors
    assert Image.objects.get(pk=picture.pk).licence_url == ""


def test_the_upload_page_gives_the_rights_to_every_picture(client_for, editor, media_root):
    """The rights typed on the upload page are every new picture's, and written into its renditions."""
    files = [photo((200, 20, 20)), photo((20, 200, 20))]
    response = client_for(editor).post(reverse("admin:articles_image_upload"), {"files": files, "credit": "Staff",
                                                                               **TYPED})  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    pictures = list(Image.objects.all())
    assert len(pictures) == 2
    for picture in pictures:
        assert saved_rights(picture) == TYPED and picture.renditions_current()


def test_the_chooser_upload_saves_the_rights(client_for, writer, media_root):
    """The picture chooser's upload takes the same rights, and its form offers them."""
    client = client_for(writer)
    answer = client.post(reverse("admin:articles_image_picker_upload"), {"file": photo((9, 99, 9)), **TYPED})
    assert answer.status_code == 200, answer.content.decode()
    assert saved_rights(Image.objects.get(pk=answer.json()["id"])) == TYPED
    with open(finders.find("admin/articles/chooser.js"), encoding="utf-8") as script:
        assert set(re.findall(r'field\(details, "(\w+)"', script.read())) >= set(TYPED)


def test_the_upload_page_groups_the_rights(client_for, editor, media_root):
    """The upload page asks for the pictures first, then for their rights under "Rights"."""
    page = client_for(editor).get(reverse("admin:articles_image_upload")).content.decode()
    assert fieldset_fields(page, "Rights") == list(UploadForm.RIGHTS)


def test_the_describe_page_saves_each_pictures_rights(client_for, editor, media_root):
    """The page that describes an upload's pictures shows each one's credit, creator, copyright notice and licence
    addresses under "Rights", and saves them."""
    first, second = make_picture(color=(1, 2, 3)), make_picture(color=(200, 2, 3))
    url = f"{reverse('admin:articles_image_describe')}?ids={first.pk},{second.pk}"
    client = client_for(editor)
    page = client.get(url).content.decode()
    assert fieldset_fields(page, "Rights") == [f"pictures-0-{name}" for name in DescribeForm.RIGHTS]
    data = {"pictures-TOTAL_FORMS": 2, "pictures-INITIAL_FORMS": 2, "pictures-MIN_NUM_FORMS": 0,
            "pictures-MAX_NUM_FORMS": 50}  # fmt: skip
    for n, picture in enumerate((first, second)):
        data |= {f"pictures-{n}-id": picture.pk, f"pictures-{n}-version": picture.version,
                 f"pictures-{n}-alt": "Quay", f"pictures-{n}-caption": "", f"pictures-{n}-credit": "Staff"}  # fmt: skip
    data |= {f"pictures-1-{name}": value for name, value in TYPED.items()}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert saved_rights(Image.objects.get(pk=second.pk)) == TYPED
    assert saved_rights(Image.objects.get(pk=first.pk)) == dict.fromkeys(TYPED, "")


def test_the_picture_page_labels_no_hidden_field(client_for, editor, media_root):
    """The file and version a picture's page was opened at travel hidden, with no label pointing at them (which
    the HTML checker refuses), and still guard the save."""
    picture = make_picture()
    soup = BeautifulSoup(client_for(editor).get(reverse("admin:articles_image_change", args=[picture.pk])).content,
                         "html.parser")  # fmt: skip
    hidden = {field["id"] for field in soup.find_all("input", type="hidden") if field.get("id")}
    assert {"id_opened_file", "id_version"} <= hidden
    assert not [label for label in soup.find_all("label") if label.get("for") in hidden]
