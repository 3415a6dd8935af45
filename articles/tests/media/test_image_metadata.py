"""Nothing but pixels survives cleaning: a text planted in every place each accepted format can carry metadata
(comments, EXIF, XMP, IPTC, text chunks, colour profiles) is found in no stored file, master or rendition."""

import io
import struct
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, ImageCms, PngImagePlugin

from articles.models import Image as LibraryImage
from articles.models import SiteSettings

pytestmark = pytest.mark.django_db

PLANTED = "Shot at 48.8584N 2.2945E, source: planted-7Q"
MARKERS = [text.encode(codec) for text in ("48.8584N", "planted-7Q") for codec in ("utf-8", "utf-16-le", "utf-16-be")]
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def profile(*, swap_red_and_blue=False):
    """An RGB colour profile with the planted text after its tags (where readers of a profile do not look);
    optionally with its red and blue primaries swapped, so that converting to sRGB visibly changes colours."""
    data = bytearray(SRGB)
    count = struct.unpack(">I", data[128:132])[0]
    tags = {bytes(data[at : at + 4]): at for at in range(132, 132 + 12 * count, 12)}
    if swap_red_and_blue:
        red, blue = tags[b"rXYZ"] + 4, tags[b"bXYZ"] + 4
        data[red : red + 8], data[blue : blue + 8] = data[blue : blue + 8], data[red : red + 8]
    return bytes(data) + PLANTED.encode()


def exif():
    tags = Image.Exif()
    tags[0x010E] = PLANTED  # ImageDescription
    tags[0x013B] = PLANTED  # Artist
    tags[0x9C9C] = PLANTED.encode("utf-16-le")  # XPComment, as Windows writes it
    tags[0x8825] = {1: "N", 2: (48.0, 51.0, 30.24), 3: "E", 4: (2.0, 17.0, 40.2)}  # GPS
    return tags.tobytes()


def xmp():
    return f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:description>{PLANTED}</dc:description></x:xmpmeta>'.encode()


def iptc_segment():
    """A JPEG APP13 segment holding an IPTC caption, as Photoshop writes it."""
    text = PLANTED.encode()
    record = b"\x1c\x02\x78" + struct.pack(">H", len(text)) + text  # IPTC 2:120, the caption
    resource = b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(record)) + record + b"\x00" * (len(record) % 2)
    payload = b"Photoshop 3.0\x00" + resource
    return b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload


def png_text():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", PLANTED)  # tEXt
    info.add_text("Description", PLANTED, zip=True)  # zTXt
    info.add_itxt("Title", PLANTED, lang="en", tkey="Title")  # iTXt
    info.add_itxt("Source", PLANTED, zip=True)  # iTXt, compressed
    info.add_itxt("XML:com.adobe.xmp", xmp().decode())  # XMP as PNG carries it
    return info


def picture(mode, size=(1200, 800)):
    fill = {"RGB": (40, 90, 160), "RGBA": (40, 90, 160, 128), "CMYK": (200, 100, 0, 0), "P": 3, "L": 90}[mode]
    image = Image.new(mode, size, fill)
    image.paste({"RGBA": (230, 200, 30, 255), "CMYK": (0, 40, 230, 0), "P": 7, "L": 200}.get(mode, (230, 200, 30)),
                (size[0] * 3 // 4, 0, size[0], size[1] // 4))  # fmt: skip
    return image


def encode(image, fmt, **params):
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


UPLOADS = {
    "jpeg": lambda: encode(picture("RGB"), "JPEG", comment=PLANTED, exif=exif(), xmp=xmp(), icc_profile=profile(),
                           extra=iptc_segment()),
    "jpeg-progressive-greyscale": lambda: encode(picture("L"), "JPEG", progressive=True, comment=PLANTED,
                                                 exif=exif(), xmp=xmp(), extra=iptc_segment()),
    "jpeg-cmyk": lambda: encode(picture("CMYK"), "JPEG", comment=PLANTED, exif=exif(), icc_profile=profile()),
    "png": lambda: encode(picture("RGB"), "PNG", pnginfo=png_text(), exif=exif(), icc_profile=profile()),
    "png-transparent": lambda: encode(picture("RGBA"), "PNG", pnginfo=png_text(), exif=exif(), icc_profile=profile()),
    "png-palette": lambda: encode(picture("P"), "PNG", pnginfo=png_text(), transparency=3, icc_profile=profile()),
    "gif": lambda: encode(picture("P"), "GIF", comment=PLANTED),
    "gif-transparent": lambda: encode(picture("P"), "GIF", comment=PLANTED, transparency=3),
    "webp": lambda: encode(picture("RGB"), "WEBP", exif=exif(), xmp=xmp(), icc_profile=profile()),
    "webp-lossless-transparent": lambda: encode(picture("RGBA"), "WEBP", lossless=True, exif=exif(), xmp=xmp(),
                                                icc_profile=profile()),
}  # fmt: skip


def stored_files(media_root):
    return sorted(path for path in Path(media_root).rglob("*") if path.is_file())


def metadata_of(path):
    """Everything Pillow reads from a stored file besides its pixels, as text."""
    with Image.open(path) as image:
        image.load()
        return " ".join([repr(image.info), repr(dict(image.getexif())), repr(image.getexif().get_ifd(0x8825))])


def upload(client, name, data):
    return client.post(reverse("admin:articles_image_upload"), {"files": [SimpleUploadedFile(name, data)]})


@pytest.mark.parametrize("kind", UPLOADS)
def test_no_planted_metadata_reaches_any_stored_file(kind, client_for, writer, media_root):
    """Master, renditions and crops hold neither the planted bytes nor any metadata that names them."""
    data = UPLOADS[kind]()
    assert any(marker in data for marker in MARKERS) and "planted-7Q" in metadata_of(io.BytesIO(data))
    response = upload(client_for(writer), f"planted.{kind.split('-')[0].replace('jpeg', 'jpg')}", data)
    assert response.status_code == 302
    picture = LibraryImage.objects.get()
    files = stored_files(media_root)
    assert len(files) == len(picture.files()) >= 8  # the master, three widths in two formats, three crops
    for path in files:
        content = path.read_bytes()
        assert not [marker for marker in MARKERS if marker in content], path.name
        described = metadata_of(path)
        assert "48.8584" not in described and "planted-7Q" not in described and "GPS" not in described, path.name


def test_the_sites_logos_and_social_image_are_cleaned_the_same_way(client_for, editor, media_root):
    """The site settings' pictures go through the same cleaning: none of their stored files holds the text."""
    site = SiteSettings.load()
    fields = ("name", "tagline", "public_url", "publisher_name", "language", "time_zone", "footer_text",
              "contact_email", "twitter_handle", "social_profiles", "headline_limit", "version")  # fmt: skip
    images = {
        "logo": SimpleUploadedFile("logo.png", UPLOADS["png-transparent"]()),
        "publisher_logo": SimpleUploadedFile("publisher.gif", UPLOADS["gif"]()),
        "social_image": SimpleUploadedFile("social.jpg", UPLOADS["jpeg"]()),
    }
    url = reverse("admin:articles_sitesettings_change", args=[site.pk])
    response = client_for(editor).post(url, {name: getattr(site, name) for name in fields} | images)
    assert response.status_code == 302
    files = stored_files(media_root)
    assert len(files) == 3
    for path in files:
        assert not [marker for marker in MARKERS if marker in path.read_bytes()], path.name
        assert "planted-7Q" not in metadata_of(path) and "icc_profile" not in metadata_of(path), path.name


def test_colours_are_converted_to_srgb_and_the_profile_left_out(client_for, writer, media_root):
    """A picture whose profile swaps red and blue is stored in sRGB: its red pixels come out blue, its alpha
    stays, and no stored file carries a profile."""
    image = Image.new("RGBA", (600, 400), (255, 0, 0, 128))
    response = upload(
        client_for(writer), "swapped.png", encode(image, "PNG", icc_profile=profile(swap_red_and_blue=True))
    )
    assert response.status_code == 302
    master = LibraryImage.objects.get().file
    with Image.open(master.path) as stored:
        red, green, blue, alpha = stored.convert("RGBA").getpixel((10, 10))
    assert blue > 200 and red < 60 and green < 60 and alpha == 128
    assert all("icc_profile" not in Image.open(path).info for path in stored_files(media_root))


def test_a_tiff_is_refused_and_nothing_is_stored(client_for, writer, media_root):
    """TIFF is not an accepted format: its tags never reach storage."""
    data = encode(picture("RGB"), "TIFF", tiffinfo={270: PLANTED, 315: PLANTED})
    response = upload(client_for(writer), "planted.tif", data)
    assert "TIFF images are not accepted" in response.content.decode()
    assert not LibraryImage.objects.exists() and stored_files(media_root) == []
