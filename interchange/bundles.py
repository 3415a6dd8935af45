"""Page bundles on disk, Hugo's way: a Markdown file with its pictures beside it.

On import, the pictures a file shows are found beside it (never outside the import's root) and its body is
pointed at the library's copies; on export, a bundle's ``index.md`` names the files written beside it and
describes each in ``resources`` (Hugo's page resources).
"""

import re
import shutil
from pathlib import Path, PurePosixPath
from typing import NamedTuple
from urllib.parse import unquote

from django.utils.text import slugify

MAX_PICTURES = 100  # pictures one file may bring into the library (local and downloaded)
# A Markdown image's destination: ![alt](destination "title"), with or without <>.
_BODY_IMAGE = re.compile(
    r"(?P<head>!\[(?:[^\]\\]|\\.)*\]\(\s*)(?:<(?P<bracketed>[^<>\n]+)>|(?P<plain>[^\s)<>]+))"
    r"""(?P<tail>(?:\s+(?:"[^"]*"|'[^']*'))?\s*\))"""
)


class FoundPictures(NamedTuple):
    """The pictures a file shows: those beside it ({address: file}), those at http(s) addresses, and what its
    front matter's ``resources`` says of each ({address: params})."""

    local: dict[str, Path]
    remote: list[str]
    resources: dict[str, dict]


def _address(match):
    return match.group("bracketed") or match.group("plain")


def body_pictures(body):
    """The picture addresses a Markdown body shows (``![alt](address)``), in order, each once."""
    return list(dict.fromkeys(_address(match) for match in _BODY_IMAGE.finditer(body or "")))


def is_local_picture(address):
    """A picture beside the file (``photo.jpg``, ``images/photo.jpg``): not an address elsewhere, not the library's."""
    return bool(address) and "://" not in address and not address.startswith(("/", "#", "image:", "data:", "mailto:"))


def find_pictures(meta, body, lead, folder, root):
    """FoundPictures for a file in ``folder`` under the import ``root``: its local pictures
    that exist ({address: path}; never outside the root, whatever ``..`` or links say), its body's http(s)
    pictures, and what its front matter's ``resources`` says of each picture (Hugo's page resources)."""
    local, remote = {}, []
    root = root.resolve()
    for address in [lead, *body_pictures(body)][: MAX_PICTURES * 2]:
        if address.startswith(("http://", "https://")):
            remote.append(address)
        elif is_local_picture(address) and len(local) < MAX_PICTURES:
            try:
                path = (folder / unquote(address)).resolve()
            except (OSError, ValueError):
                continue
            if path.is_relative_to(root) and path.is_file():
                local[address] = path
    resources = {}
    for item in meta.get("resources") or [] if isinstance(meta.get("resources"), list) else []:
        if isinstance(item, dict) and isinstance(item.get("src"), str):
            params = item.get("params") if isinstance(item.get("params"), dict) else {}
            resources[item["src"]] = {"title": str(item.get("title") or ""), **params}
    return FoundPictures(local, list(dict.fromkeys(remote))[:MAX_PICTURES], resources)


def refer_to_library(body, library):
    """``body`` with each picture address in ``library`` ({address: picture number}) replaced by the
    library's reference (``image:123``); alt text and titles are kept."""

    def swap(match):
        number = library.get(_address(match))
        if number is None:
            return match.group(0)
        return f"{match.group('head')}image:{number}{match.group('tail')}"

    return _BODY_IMAGE.sub(swap, body)


def refer_to_files(body, files):
    """The export's way back: ``image:123`` references replaced by the file names in ``files`` ({123: name})."""

    def swap(match):
        src = _address(match)
        if not src.startswith("image:") or not src[6:].isdigit() or int(src[6:]) not in files:
            return match.group(0)
        return f"{match.group('head')}{files[int(src[6:])]}{match.group('tail')}"

    return _BODY_IMAGE.sub(swap, body)


def resource_entry(image, name):
    """What Hugo's ``resources`` front matter says of a picture: its title (the caption) and, as params, the
    rest of what the library knows, so a new site's library gets it all back."""
    params = {"alt": image.alt, "credit": image.credit, "source": image.source, "licence": image.licence,
              "creator": image.creator, "copyrightNotice": image.copyright_notice, "licenceUrl": image.licence_url,
              "licencePageUrl": image.licence_page_url}  # fmt: skip
    if image.rights_expire_on:
        params["rightsExpireOn"] = image.rights_expire_on.isoformat()
    if (image.focal_x, image.focal_y) != (0.5, 0.5):
        params["focalPoint"] = [round(image.focal_x, 3), round(image.focal_y, 3)]
    entry = {"src": name, "title": image.caption} if image.caption else {"src": name}
    params = {key: value for key, value in params.items() if value}
    return {**entry, "params": params} if params else entry


def picture_names(pictures):
    """{picture number: file name} for the pictures of one bundle: readable, unique, never a path."""
    names, used = {}, set()
    for image in pictures:
        suffix = PurePosixPath(image.file.name).suffix.lower() or ".jpg"
        stem = slugify(PurePosixPath(image.original_name).stem)[:60] or "picture"
        name = f"{stem}{suffix}"
        if name in used or name == "index.md":
            name = f"{stem}-{image.pk}{suffix}"
        used.add(name)
        names[image.pk] = name
    return names


def write_pictures(pictures, names, folder):
    """Copy each picture's stored file (the cleaned one the library serves) into the bundle's folder."""
    for image in pictures:
        with image.file.storage.open(image.file.name, "rb") as source, (folder / names[image.pk]).open("wb") as out:
            shutil.copyfileobj(source, out)
