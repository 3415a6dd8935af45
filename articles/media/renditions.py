"""Uploaded pictures: validation, privacy (no EXIF, upright), and responsive renditions, all with Pillow.

An upload is checked by decoding it, never by its name. What is stored is re-encoded from the pixels, so
no metadata survives (EXIF and GPS above all, XMP, IPTC, comments, text chunks, colour profiles: the colours
are converted to sRGB first). Renditions are made once when the image is saved, through Django's
storage API, and described in a small dict on the model so pages need no storage calls to show them.

The renditions (and the crops) are the picture as readers get it, so they carry its rights: an XMP packet
(``articles.media.rights``) with its creator, credit line, copyright notice and licence, written into each AVIF,
WebP and JPEG file, and nothing else.
"""

import hashlib
import io
import logging
import struct
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from articles.media import rights

logger = logging.getLogger(__name__)

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 50_000_000  # about 8660 x 5770; more is refused before decoding (decompression bombs)
MASTER_MAX = 2400  # the stored original's longest side: enough for every rendition and retina screens
WIDTHS = (480, 960, 1600)
SOCIAL_CARD = (1200, 630)
SQUARE = 800  # the square crop: square social slots, large avatars
THUMB = 200  # the small square: author photos (96 CSS pixels, twice over for sharp screens), thumbnails
JPEG_QUALITY, WEBP_QUALITY = 85, 80
# Measured (bench/image_bench.py, and a real photo's PSNR against its source): AVIF at quality 65 came within 0.3 dB
# of JPEG at 85 in 57% of its bytes; libaom's speed 8 (of 0-10) made files within 3% of speed 6's in a third to a
# half of the time and with less memory, speed 9 files 8% larger and 0.5 dB worse.
AVIF_QUALITY, AVIF_SPEED = 65, 8
FORMATS = (("AVIF", "avif"), ("WEBP", "webp"), ("JPEG", "jpg"))  # <picture> offers them in this order
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _open_checked(file):
    """Open ``file`` as an image of an allowed kind and size, or raise ValidationError naming the problem."""
    size = getattr(file, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            f"The file is {filesizeformat(size)}; images may be at most {filesizeformat(MAX_UPLOAD_BYTES)}.",
            code="too_large",
        )
    file.seek(0)
    try:
        image = Image.open(file)
    except Image.DecompressionBombError:
        raise ValidationError("The image has too many pixels to process safely.", code="too_many_pixels") from None
    except (UnidentifiedImageError, OSError):
        raise ValidationError(
            "This file is not an image Pillow can read (JPEG, PNG, WebP or GIF).", code="not_image"
        ) from None
    except (ValueError, SyntaxError, EOFError, struct.error) as error:
        # Pillow refuses, for example, a PNG text or colour-profile chunk that inflates past its limit.
        raise ValidationError(
            f"The image's data is damaged or oversized and cannot be read safely ({error}).", code="corrupt"
        ) from None
    if image.format not in ALLOWED_FORMATS:
        raise ValidationError(f"{image.format} images are not accepted; use JPEG, PNG, WebP or GIF.", code="format")
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise ValidationError(
            f"The image is {width}×{height} pixels; the limit is {MAX_PIXELS // 1_000_000} megapixels.",
            code="too_many_pixels",
        )
    return image


def validate_image(file):
    """Model-field validator: the upload decodes completely as an allowed image within the caps.

    A file already in storage was checked, and cleaned, when it arrived: ``full_clean`` runs this on every
    save of its row, and reading the stored file again would cost a decode each time and fail on a file an
    earlier step has read and closed (an ImageField measuring its dimensions does) or one that has gone.
    """
    if getattr(file, "_committed", False):
        return
    try:
        image = _open_checked(file)
        if image.format == "JPEG":
            image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))  # decode all, cheaply
        image.load()
    except (OSError, SyntaxError, ValueError, EOFError, struct.error) as error:
        raise ValidationError(f"The image is damaged or incomplete ({error}).", code="corrupt") from None
    finally:
        file.seek(0)  # the image is not closed: Pillow would close the upload, which later steps read, with it


def _load_upright(file, longest):
    """Decode at no more than ``longest`` pixels on the long side, EXIF orientation applied; a file that
    cannot be decoded to the end is a ValidationError naming the problem, like any other refused upload."""
    image = _open_checked(file)
    if image.format == "JPEG":
        # Let libjpeg decode at 1/2, 1/4 or 1/8 scale: memory stays bounded for huge photos.
        scale = max(image.width, image.height) / longest
        if scale > 1:
            image.draft("RGB", (int(image.width / scale), int(image.height / scale)))
    try:
        image = ImageOps.exif_transpose(image)  # applies the orientation
        if image.mode not in ("RGB", "RGBA", "CMYK"):
            image = image.convert("RGBA" if "transparency" in image.info or image.mode in ("LA", "PA") else "RGB")
        image = _in_srgb(image)
        if image.mode == "CMYK":
            image = image.convert("RGB")
        # Nothing but pixels from here on: Pillow's encoders write some of what ``info`` holds into the files
        # they make (a JPEG's or a GIF's comment into every JPEG, a colour profile into every PNG), and every
        # rendition and crop is made from this picture.
        image.info = {}
        if max(image.size) > longest:
            image.thumbnail((longest, longest), Image.Resampling.LANCZOS)
        image.load()
    except (OSError, SyntaxError, ValueError, EOFError, struct.error) as error:
        raise ValidationError(f"The image is damaged or incomplete ({error}).", code="corrupt") from None
    return image


def _in_srgb(image):
    """``image``'s colours converted from the profile the file carries to sRGB, which is what browsers assume of
    a picture that carries none; a profile that cannot be read or does not fit the pixels is left out."""
    profile = image.info.get("icc_profile")
    if not profile:
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        return ImageCms.profileToProfile(image, source, SRGB, outputMode="RGBA" if image.mode == "RGBA" else "RGB")
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError) as error:
        logger.info("colour profile ignored (%s)", error)
        return image


def _encode(image, fmt, xmp=b""):
    """``image`` encoded as ``fmt``, with the XMP packet ``xmp`` (the rights, see ``articles.media.rights``) in
    a rendition; no exif= or icc_profile= here, and the picture's info is empty."""
    buffer = io.BytesIO()
    extra = {"xmp": xmp} if xmp else {}
    if fmt == "JPEG":
        image.convert("RGB").save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True, **extra)
    elif fmt == "WEBP":
        image.save(buffer, "WEBP", quality=WEBP_QUALITY, method=4, **extra)
    elif fmt == "AVIF":
        image.save(buffer, "AVIF", quality=AVIF_QUALITY, speed=AVIF_SPEED, **extra)
    else:
        image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def clean_upload(file, *, longest=MASTER_MAX):
    """Re-encode an upload from its pixels: upright, metadata-free, at most ``longest`` pixels wide or high.

    Returns the file to store and the decoded picture, from which renditions can be made without decoding
    the stored file again.
    """
    image = _load_upright(file, longest)
    fmt = "PNG" if image.mode == "RGBA" else "JPEG"
    stem = PurePosixPath(getattr(file, "name", "") or "image").stem[:60] or "image"
    return ContentFile(_encode(image, fmt), name=f"{stem}.{'png' if fmt == 'PNG' else 'jpg'}"), image


def _rendition_stem(name):
    """``renditions/<folder>/<stem>-<key>``: beside nothing else, named after the file they are made from."""
    key = hashlib.blake2b(name.encode(), digest_size=4).hexdigest()
    return f"renditions/{PurePosixPath(name).parent.as_posix()}/{PurePosixPath(name).stem}-{key}"


def rendition_widths(width):
    """The widths of a picture ``width`` pixels wide: those of WIDTHS it is wider than, and its own width up to
    the largest (never upscaled: a 1300-pixel picture gets 480, 960 and 1300)."""
    return sorted({w for w in WIDTHS if w < width} | {min(width, WIDTHS[-1])})


def build_renditions(name, image, storage=default_storage, *, focal=(0.5, 0.5), xmp=b""):
    """Write the renditions of ``image`` (the picture ``clean_upload`` decoded, stored as ``name``) and
    describe them; never larger than the image itself. The crops (``build_crops``) keep the ``focal`` point
    ((x, y), fractions of the width and height) in frame; every file carries ``xmp`` (``rights.xmp_packet``),
    and the description its ``signature``. One size is resized and encoded at a time, so memory stays that of
    the picture and one rendition."""
    stem = _rendition_stem(name)
    sources = []
    for width in rendition_widths(image.width):
        height = max(1, round(image.height * width / image.width))  # a 60000×1 strip stays one pixel high
        resized = image.resize((width, height), Image.Resampling.LANCZOS) if width != image.width else image
        entry = {"width": width, "height": height}
        for fmt, ext in FORMATS:
            entry[ext] = storage.save(f"{stem}-{width}.{ext}", ContentFile(_encode(resized, fmt, xmp)))
        sources.append(entry)
        del resized
    return {
        "width": image.width,
        "height": image.height,
        "sources": sources,
        "signature": rights.signature(xmp),
        **build_crops(name, image, focal, storage, xmp=xmp),
    }


CROPS = ("social", "square", "thumb")  # the renditions made around the focal point


def build_crops(name, image, focal, storage=default_storage, *, xmp=b""):
    """The crops of ``image`` around its ``focal`` point: the 1200×630 social card, the square and its small
    version, each carrying ``xmp``."""
    centering = (min(1.0, max(0.0, focal[0])), min(1.0, max(0.0, focal[1])))
    card = ImageOps.fit(image, SOCIAL_CARD, Image.Resampling.LANCZOS, centering=centering)
    side = min(SQUARE, image.width, image.height)
    square = ImageOps.fit(image, (side, side), Image.Resampling.LANCZOS, centering=centering)
    thumb = square.resize((min(THUMB, side), min(THUMB, side)), Image.Resampling.LANCZOS)
    stem = _rendition_stem(name)
    return {
        "social": storage.save(f"{stem}-social.jpg", ContentFile(_encode(card, "JPEG", xmp))),
        "square": storage.save(f"{stem}-square.jpg", ContentFile(_encode(square, "JPEG", xmp))),
        "thumb": storage.save(f"{stem}-thumb.jpg", ContentFile(_encode(thumb, "JPEG", xmp))),
    }


def open_stored(name, storage=default_storage, longest=MASTER_MAX):
    """The stored picture ``name``, decoded upright (to make crops again without a new upload)."""
    with storage.open(name, "rb") as handle:
        return _load_upright(handle, longest)


def sha256(file):
    """The SHA-256 of a file's bytes, read in chunks (the upload's position is put back)."""
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(1024 * 1024), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def rendition_files(renditions):
    """Every stored file a renditions dict names."""
    names = [entry[ext] for entry in renditions.get("sources", []) for _, ext in FORMATS if entry.get(ext)]
    return names + [renditions[crop] for crop in CROPS if renditions.get(crop)]


def rendition_readable(name, storage=default_storage):
    """Whether the stored rendition ``name`` is there and decodes whole (a file cut short does not)."""
    try:
        with storage.open(name, "rb") as handle, Image.open(handle) as picture:
            picture.load()
    except (OSError, ValueError, Image.DecompressionBombError):
        return False
    return True


def delete_files(names, storage=default_storage):
    for name in names:
        if name:
            storage.delete(name)


def clean_card(file):
    """An upload cleaned (as ``clean_upload``) and cropped to the 1200×630 card social sites show."""
    _, image = clean_upload(file)
    card = ImageOps.fit(image.convert("RGB"), SOCIAL_CARD, Image.Resampling.LANCZOS)
    stem = PurePosixPath(getattr(file, "name", "") or "image").stem[:60] or "image"
    return ContentFile(_encode(card, "JPEG"), name=f"{stem}.jpg")
