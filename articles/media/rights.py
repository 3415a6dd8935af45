"""The rights a picture's renditions carry in the file: an XMP packet with the fields of the IPTC Photo Metadata
standard that say who made a picture and on what terms it may be used, and nothing else.

    Creator                   dc:creator (a sequence of names)
    Credit Line               photoshop:Credit
    Copyright Notice          dc:rights (a language alternative, x-default)
    Web Statement of Rights   xmpRights:WebStatement (the licence's address)
    Licensor URL              plus:Licensor / plus:LicensorURL (where to license it)

Search engines read these from the file (Google's image search shows a picture with them as licensable), and a
copy saved from a page keeps them. The packet is written with ElementTree, so any text (a credit with ``<&"``)
is escaped as XML requires; characters XML cannot hold at all (control characters) are left out.
"""

import hashlib
import re
import xml.etree.ElementTree as ET
from typing import NamedTuple

NAMESPACES = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
    "xmpRights": "http://ns.adobe.com/xap/1.0/rights/",
    "plus": "http://ns.useplus.org/ldf/xmp/1.0/",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Bump when what the renditions hold changes (a new format, new fields): every picture is then out of date and
# ``manage.py rewrite_renditions`` makes its renditions again.
RENDITIONS_FORMAT = 2

for _prefix, _uri in NAMESPACES.items():
    ET.register_namespace(_prefix, _uri)


def _tag(qualified):
    prefix, name = qualified.split(":")
    return f"{{{NAMESPACES[prefix]}}}{name}"


class Rights(NamedTuple):
    """What a picture's files say about its rights (``Image.rights``); empty text: not said."""

    creator: str = ""
    credit: str = ""
    copyright_notice: str = ""
    licence_url: str = ""
    licence_page_url: str = ""


def _clean(text):
    return _NOT_XML.sub("", text or "").strip()


def xmp_packet(rights):
    """The XMP packet (UTF-8 bytes) that states ``rights``; empty bytes when there is nothing to state."""
    rights = Rights(*(_clean(value) for value in rights))
    if not any(rights):
        return b""
    meta = ET.Element(_tag("x:xmpmeta"))
    description = ET.SubElement(ET.SubElement(meta, _tag("rdf:RDF")), _tag("rdf:Description"), {_tag("rdf:about"): ""})

    def container(name, kind, *, lang=False):
        items = ET.SubElement(ET.SubElement(description, _tag(name)), _tag(kind))
        return ET.SubElement(items, _tag("rdf:li"), {XML_LANG: "x-default"} if lang else {})

    if rights.creator:
        container("dc:creator", "rdf:Seq").text = rights.creator
    if rights.copyright_notice:
        container("dc:rights", "rdf:Alt", lang=True).text = rights.copyright_notice
    if rights.credit:
        ET.SubElement(description, _tag("photoshop:Credit")).text = rights.credit
    if rights.licence_url:
        ET.SubElement(description, _tag("xmpRights:WebStatement")).text = rights.licence_url
    if rights.licence_page_url:
        licensor = container("plus:Licensor", "rdf:Seq")
        licensor.set(_tag("rdf:parseType"), "Resource")
        ET.SubElement(licensor, _tag("plus:LicensorURL")).text = rights.licence_page_url
    body = ET.tostring(meta, encoding="unicode")
    return f'<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>{body}<?xpacket end="r"?>'.encode()


def signature(packet):
    """What identifies the renditions made with ``packet``: it changes with the rights and with
    ``RENDITIONS_FORMAT``, so renditions whose signature differs are out of date."""
    return f"{RENDITIONS_FORMAT}-{hashlib.blake2b(packet, digest_size=8).hexdigest()}"
