"""The library's "Upload pictures" page sent by its script (upload.js, which shows the progress): the server
answers where to go next instead of redirecting, so the script, not the request, opens the next page and its
messages are still there to be read."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Image
from articles.tests.factories import picture_bytes


def upload(name, color):
    return SimpleUploadedFile(name, picture_bytes(color=color), content_type="image/jpeg")


def test_the_script_is_told_where_to_go_and_the_messages_wait_for_that_page(client_for, writer):
    client = client_for(writer)
    files = [upload("quay.jpg", (10, 20, 30)), upload("ferry.jpg", (200, 20, 30))]
    answer = client.post(reverse("admin:articles_image_upload"), {"files": files}, headers={"X-Upload-Progress": "1"})
    assert answer.status_code == 200 and answer["Content-Type"] == "application/json"
    ids = ",".join(str(pk) for pk in Image.objects.order_by("pk").values_list("pk", flat=True))
    assert answer.json() == {"location": f"{reverse('admin:articles_image_describe')}?ids={ids}"}
    page = client.get(answer.json()["location"]).content.decode()
    assert "2 picture(s) added to the library." in page


def test_a_refused_file_comes_back_as_the_page_with_its_reason(client_for, writer):
    client = client_for(writer)
    files = [upload("quay.jpg", (10, 20, 30)), SimpleUploadedFile("notes.jpg", b"not a picture")]
    answer = client.post(reverse("admin:articles_image_upload"), {"files": files}, headers={"X-Upload-Progress": "1"})
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/html")
    page = answer.content.decode()
    assert "Not added: notes.jpg" in page and "1 picture(s) added to the library." in page


def test_without_the_script_the_upload_still_redirects(client_for, writer):
    answer = client_for(writer).post(reverse("admin:articles_image_upload"), {"files": [upload("quay.jpg", (1, 2, 3))]})
    assert answer.status_code == 302 and answer["Location"].startswith(reverse("admin:articles_image_describe"))
