"""The pictures an import brings into the library: a page bundle's files beside the Markdown, and (with
``--fetch-images``) the pictures its addresses point at, downloaded safely (``newsroom.outbound``)."""

from pathlib import PurePosixPath
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File

from articles.media import renditions
from articles.models import Image
from interchange import frontmatter_types
from interchange.bundles import MAX_PICTURES
from newsroom import outbound


def remote_addresses(data):
    """The http(s) addresses of a file's lead image and body pictures, each once, in order."""
    lead = data.fields["lead_image_url"]
    return [url for url in dict.fromkeys([lead, *data.remote]) if url and urlsplit(url).scheme in ("http", "https")]


def download(urls, *, dry_run, notes):
    """{address: file} of the pictures at ``urls``, downloaded and checked to be pictures; a picture the
    library already took from the same address is not downloaded again. What fails is noted in ``notes``."""
    known = set(Image.objects.filter(source__in=urls).values_list("source", flat=True))
    downloads = {}
    for url in urls[:MAX_PICTURES]:
        if url in known:
            continue
        try:
            content = outbound.fetch(
                url, max_bytes=settings.NEWSROOM_FETCH_MAX_BYTES, timeout=settings.NEWSROOM_FETCH_TIMEOUT_SECONDS
            )
            renditions.validate_image(ContentFile(content, name="download"))
        except (outbound.FetchError, ValidationError) as error:
            message = error.messages[0] if isinstance(error, ValidationError) else str(error)
            notes.append(f"image not fetched, the address is kept: {message}")
            continue
        if dry_run:
            notes.append(f"would fetch the image {url[:200]} ({len(content):,} bytes)")
            continue
        stem = PurePosixPath(urlsplit(url).path).stem[:60] or "image"
        downloads[url] = ContentFile(content, name=f"{stem}.img")
    return downloads


def add_to_library(data, downloads, *, fetch_images, dry_run, notes, written):
    """{address: library picture} for the file's local pictures and its downloads, each added to the
    library (cleaned, with renditions) unless the library has the same file already. The files stored are
    listed in ``written``, so a transaction that does not commit can remove them."""
    found = {}
    for address, path in data.pictures.items():
        fields = frontmatter_types.picture_fields(data.resources.get(address, {}))
        if dry_run:
            notes.append(f"would add the picture {address} to the library")
            continue
        try:
            with path.open("rb") as handle:
                image, created = Image.objects.add(File(handle, name=path.name), **fields)
        except (OSError, ValidationError) as error:
            message = error.messages[0] if isinstance(error, ValidationError) else str(error)
            notes.append(f"picture {address} not imported, the address is kept: {message}")
            continue
        if created:
            written += image.files()
        found[address] = image
    for url in dict.fromkeys([data.fields["lead_image_url"], *data.remote]) if fetch_images else []:
        if url in downloads:
            image, created = Image.objects.add(downloads[url], source=url[:500])
            if created:
                written += image.files()
            found[url] = image
        elif url and (image := Image.objects.filter(source=url[:500]).order_by("pk").first()) is not None:
            found[url] = image
    return found
