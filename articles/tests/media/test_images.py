import io
import re
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

from articles.media import renditions
from articles.models import Article, Author
from articles.models import Image as LibraryImage
from articles.tests.factories import change_url, draft_by, form_data, make_article, post_image, refresh, upload

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def photo_bytes(size=(3000, 2000), fmt="JPEG", *, rotated=False, gps=False, color=(200, 30, 30)):
    """A photo as a phone makes it: optionally stored sideways with an EXIF orientation, and geotagged."""
    image = Image.new("RGB", size, color)
    image.paste((20, 20, 220), (0, 0, size[0] // 4, size[1] // 4))  # a blue corner to tell orientation by
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    if rotated:
        exif[ORIENTATION] = 6  # "rotate 90° clockwise to view"
    if gps:
        exif[GPS_IFD] = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}
    buffer = io.BytesIO()
    image.save(buffer, fmt, exif=exif.tobytes()) if fmt in ("JPEG", "WEBP", "PNG") else image.save(buffer, fmt)
    return buffer.getvalue()


def stored(name):
    return Path(default_storage.path(name))


class TestUploadThroughTheAdmin:
    def test_phone_photo_comes_out_upright_with_no_metadata(self, editor, client_for):
        """A geotagged photo stored sideways is saved upright, with no EXIF in the original or any rendition."""
        article = draft_by(editor)
        response = post_image(client_for(editor), article, upload(photo_bytes(rotated=True, gps=True)))
        assert response.status_code == 302, response.content.decode()[:2000]
        article = refresh(article)
        files = [name for name in article.lead_image.files() if name]
        assert len(files) == 1 + 3 * 3 + 3  # the original, three widths in three formats, the card, two squares
        for name in files:
            with Image.open(stored(name)) as image:
                assert not image.getexif(), name
                assert "exif" not in image.info and "GPS" not in repr(image.info), name
                assert stored(name).read_bytes().find(b"PhoneMaker") == -1
        with Image.open(stored(article.lead_image.file.name)) as original:
            assert original.size == (1600, 2400)  # turned upright, then fitted within 2400 pixels
            corner = original.convert("RGB").getpixel((original.width - 10, 10))
            assert corner[2] > 150 and corner[0] < 100  # the blue corner moved to the top right: rotated clockwise

    def test_renditions_have_the_right_sizes_and_formats(self, editor, client_for):
        """480, 960 and 1600 wide, AVIF, WebP and JPEG, plus a 1200×630 JPEG card."""
        article = draft_by(editor)
        post_image(client_for(editor), article, upload(photo_bytes((3000, 2000))))
        renditions = refresh(article).lead_image_renditions
        assert [(s["width"], s["height"]) for s in renditions["sources"]] == [(480, 320), (960, 640), (1600, 1067)]
        for source in renditions["sources"]:
            for ext, fmt in (("avif", "AVIF"), ("webp", "WEBP"), ("jpg", "JPEG")):
                with Image.open(stored(source[ext])) as image:
                    assert (image.format, image.size) == (fmt, (source["width"], source["height"]))
        with Image.open(stored(renditions["social"])) as card:
            assert (card.format, card.size) == ("JPEG", (1200, 630))

    def test_small_images_are_never_upscaled(self, editor, client_for):
        """A 700-pixel picture gets a 480 rendition and one at its own width, nothing larger."""
        article = draft_by(editor)
        post_image(client_for(editor), article, upload(photo_bytes((700, 500), "PNG"), "small.png", "image/png"))
        renditions = refresh(article).lead_image_renditions
        assert [s["width"] for s in renditions["sources"]] == [480, 700]

    @pytest.mark.parametrize(
        ("data", "name", "message"),
        [
            (b"This is a text file, not a photo.\n" * 20, "notes.jpg", "not an image Pillow can read"),
            (photo_bytes((1200, 800))[:5000], "cut.jpg", "damaged or incomplete"),
            (photo_bytes((200, 200), "BMP"), "old.jpg", "BMP images are not accepted"),
        ],
        ids=["text-renamed-jpg", "truncated-jpeg", "bmp"],
    )
    def test_bad_files_are_refused_with_a_clear_message(self, editor, client_for, data, name, message):
        """The form says what was wrong, and nothing is stored."""
        article = draft_by(editor)
        response = post_image(client_for(editor), article, upload(data, name))
        assert response.status_code == 200
        assert message in response.content.decode()
        assert not refresh(article).lead_image
        assert not list(Path(default_storage.location).rglob("*.*"))

    def test_a_decompression_bomb_is_refused_before_decoding(self, editor, client_for):
        """A tiny PNG that claims 20,000 × 20,000 pixels never reaches the decoder."""
        buffer = io.BytesIO()
        Image.new("1", (20000, 20000)).save(buffer, "PNG", optimize=True)
        assert len(buffer.getvalue()) < 200_000
        article = draft_by(editor)
        response = post_image(client_for(editor), article, upload(buffer.getvalue(), "bomb.png", "image/png"))
        page = response.content.decode()
        assert response.status_code == 200
        assert "too many pixels" in page or "megapixels" in page
        assert not refresh(article).lead_image

    def test_an_oversized_file_is_refused(self, editor, client_for, monkeypatch):
        """More bytes than the cap: refused by size, with the limit named."""
        monkeypatch.setattr(renditions, "MAX_UPLOAD_BYTES", 50_000)
        article = draft_by(editor)
        response = post_image(client_for(editor), article, upload(photo_bytes((1600, 1200), color=(1, 2, 3))
                                                                  + b"\0" * 60_000))  # fmt: skip
        assert response.status_code == 200
        assert "images may be at most 48.8 KB" in response.content.decode()
        assert not refresh(article).lead_image

    def test_publishing_needs_alt_text(self, editor, client_for):
        """An image with no description blocks publication, with the reason on the page."""
        article = draft_by(editor, dek="A dek.")
        client = client_for(editor)
        data = form_data(refresh(article), lead_image_upload=upload(photo_bytes((800, 600))), _transition="publish")
        response = client.post(change_url(article), data, follow=True)
        assert "alt text for the lead image" in response.content.decode()
        assert refresh(article).status == Article.Status.DRAFT


class TestLifecycle:
    """A lead image is a library picture: replacing it keeps the old one in the library; deleting an unused
    picture removes every file of it once the transaction commits."""

    def test_replacing_a_lead_image_keeps_the_old_picture_in_the_library(self, editor, client_for):
        article = draft_by(editor)
        client = client_for(editor)
        post_image(client, article, upload(photo_bytes((1200, 800)), "first.jpg"))
        first = refresh(article).lead_image
        post_image(client, article, upload(photo_bytes((1000, 800), color=(0, 120, 0)), "second.jpg"))
        second = refresh(article).lead_image
        assert first.pk != second.pk and not set(first.files()) & set(second.files())
        assert all(default_storage.exists(name) for name in first.files() + second.files())
        assert LibraryImage.objects.used(False).get() == first

    def test_deleting_an_unused_picture_leaves_nothing_behind(
        self, editor, client_for, admin_client, django_capture_on_commit_callbacks
    ):
        article = draft_by(editor)
        client = client_for(editor)
        post_image(client, article, upload(photo_bytes((1200, 800))))
        picture = refresh(article).lead_image
        files = picture.files()
        client.post(change_url(article), form_data(refresh(article), lead_image=""))
        assert refresh(article).lead_image is None and refresh(article).lead_image_renditions == {}
        with django_capture_on_commit_callbacks(execute=True):
            response = admin_client.post(reverse("admin:articles_image_delete", args=[picture.pk]), {"post": "yes"})
        assert response.status_code == 302
        assert all(files) and not any(default_storage.exists(name) for name in files)
        assert not list(Path(default_storage.location).rglob("*.*"))

    def test_a_stale_form_stores_no_picture(self, editor, client_for):
        """When a newer version exists, the stale form is refused before its upload is stored."""
        article = draft_by(editor)
        data = form_data(refresh(article), lead_image_upload=upload(photo_bytes((900, 600))), lead_image_alt="x")
        Article.objects.filter(pk=article.pk).update(version=article.version + 1)
        response = client_for(editor).post(change_url(article), data)
        assert response.status_code == 200 and "Nothing was saved" in response.content.decode()
        assert not LibraryImage.objects.exists()
        assert not list(Path(default_storage.location).rglob("*.*"))

    def test_author_photo_is_a_square_crop_and_clean(self, admin_client):
        """An author's portrait goes into the library, clean; the author page shows its square crop; a bad
        file is refused by name."""
        data = {"name": "Rita Photo", "slug": "rita-photo", "bio": "", "email": "", "website": ""}
        photo = upload(photo_bytes((1200, 900), gps=True))
        response = admin_client.post(reverse("admin:articles_author_add"), data | {"photo_upload": photo})
        assert response.status_code == 302
        author = Author.objects.get(slug="rita-photo")
        for crop, side in (("square", 800), ("thumb", 200)):
            with Image.open(stored(author.photo.renditions[crop])) as image:
                assert image.size == (side, side) and not image.getexif()
        assert author.photo_url.endswith(author.photo.renditions["thumb"]) and author.photo.alt == "Rita Photo"

        bad = upload(b"GIF89a but not really", "face.gif", "image/gif")
        response = admin_client.post(reverse("admin:articles_author_add"), data | {"slug": "x", "photo_upload": bad})
        assert "not an image Pillow can read" in response.content.decode()


class TestReaderPages:
    def test_article_page_has_a_valid_srcset(self, editor, client_for, client):
        """<picture> with AVIF (first), WebP and JPEG candidates whose widths match the files, and width/height on
        <img>."""
        article = draft_by(editor)
        post_image(client_for(editor), article, upload(photo_bytes((2000, 1500))))
        article = refresh(article)
        Article.objects.filter(pk=article.pk).update(status="published", published_at=article.created_at)
        client.logout()
        page = client.get(article.get_absolute_url()).content.decode()
        picture = re.search(r"<picture>(.*?)</picture>", page, re.S).group(1)
        srcsets = re.findall(r'srcset="([^"]+)"', picture)
        assert len(srcsets) == 3
        for srcset, ext in zip(srcsets, ("avif", "webp", "jpg"), strict=True):
            candidates = [candidate.split() for candidate in srcset.split(", ")]
            assert [int(w[:-1]) for _, w in candidates] == [480, 960, 1600]
            for url, width in candidates:
                assert url.endswith(f"-{width[:-1]}.{ext}") and width.endswith("w")
                assert stored(url.removeprefix("/media/")).exists()
        img = re.search(r"<img [^>]*>", picture).group(0)
        assert 'width="960"' in img and 'height="720"' in img and 'alt="Harbour at dawn"' in img
        assert re.findall(r'<source type="([^"]+)"', picture) == ["image/avif", "image/webp"]
        assert 'sizes="' in picture
        assert re.search(r'<meta property="og:image" content="[^"]+-social\.jpg"', page)

    def test_external_lead_image_is_shown_lazily(self, client):
        article = make_article(lead_image_url="https://images.example.org/harbour.jpg", lead_image_alt="Harbour")
        page = client.get(article.get_absolute_url()).content.decode()
        assert re.search(r'<img src="https://images.example.org/harbour.jpg" alt="Harbour" loading="lazy"', page)
