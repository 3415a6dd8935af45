"""The things JSON-LD names: the publisher (a ``NewsMediaOrganization`` with its policies), people (a ``Person``
for a byline or an author page) and pictures (an ``ImageObject`` with the rights the library holds)."""

import html

from django.core.files.storage import default_storage
from django.templatetags.static import static

from articles.markup import reading
from articles.models import SiteSettings
from articles.site import newsroom_pages


def plain(rendered):
    """The text of rendered HTML, entities read as the characters they stand for."""
    return html.unescape(reading.plain_text(rendered))


def publisher():
    """schema.org NewsMediaOrganization for the publisher, from the site settings, with a link to each of the
    newsroom's pages that names a policy (``newsroom_pages``: its ethics policy is its publishing principles
    too)."""
    site = SiteSettings.current()
    logo = site.absolute(site.publisher_logo.url if site.publisher_logo else static("logo.png"))
    data = {"@type": "NewsMediaOrganization", "name": site.publisher_name or site.name, "url": site.public_url + "/",
            "logo": {"@type": "ImageObject", "url": logo, "contentUrl": logo}}  # fmt: skip
    if site.profiles:
        data["sameAs"] = site.profiles
    for link in newsroom_pages.page_links():
        if link.schema_property and link.schema_property not in data:
            data[link.schema_property] = site.absolute(link.path)
    if "ethicsPolicy" in data:
        data["publishingPrinciples"] = data["ethicsPolicy"]
    return data


def byline_person(byline):
    """schema.org Person for a byline (``BylineShown``): its name, author page and role in the newsroom."""
    data = {"@type": "Person", "name": byline.name, "url": SiteSettings.current().absolute(byline.url)}
    if byline.job_title:
        data["jobTitle"] = byline.job_title
    return data


def author_person(author):
    """schema.org Person for an author page: a byline's facts, what they know about, their pages elsewhere, their
    photo (unless its rights have run out), their bio as plain text and their public e-mail."""
    site = SiteSettings.current()
    data = {"@type": "Person", "name": author.name, "url": site.absolute(author.get_absolute_url()),
            "jobTitle": author.job_title, "knowsAbout": author.subjects, "description": plain(author.bio_html),
            "sameAs": author.profile_urls + ([author.website] if author.website else []),
            "email": author.public_email}  # fmt: skip
    if author.photo_id is not None and not author.photo.rights_expired():
        data["image"] = image_object(author.photo)
    return {key: value for key, value in data.items() if value not in ("", [])}


def creator(image):
    """Who made a picture: its creator, a Person; else whoever its credit names, a Person too unless the credit is
    the publisher's own (a staff picture); None when the library knows neither."""
    if image.creator:
        return {"@type": "Person", "name": image.creator}
    if not image.credit:
        return None
    site = SiteSettings.current()
    own = image.credit.casefold() in {(site.publisher_name or site.name).casefold(), site.name.casefold()}
    return {"@type": "Organization" if own else "Person", "name": image.credit}


def pixels(count):
    """A picture's width or height as schema.org takes it (a QuantitativeValue in UN/CEFACT's pixels, E37)."""
    return {"@type": "QuantitativeValue", "value": count, "unitCode": "E37"} if count else None


def image_object(image, *, caption=None, credit=None):
    """schema.org ImageObject for a library picture readers may see: its largest rendition (the stored file for a
    picture without renditions), its caption, credit and creator, and its rights where the library has them.
    ``caption`` and ``credit`` stand for the picture's own (an article's words for its lead picture)."""
    site = SiteSettings.current()
    sources = image.renditions.get("sources") or []
    if sources:
        largest = sources[-1]
        url, width, height = default_storage.url(largest["jpg"]), largest["width"], largest["height"]
    else:
        url, width, height = image.url, image.width, image.height
    url = site.absolute(url)
    data = {"@type": "ImageObject", "url": url, "contentUrl": url, "width": pixels(width), "height": pixels(height),
            "caption": image.caption if caption is None else caption,
            "creditText": image.credit if credit is None else credit, "creator": creator(image),
            "copyrightNotice": image.copyright_notice, "license": image.licence_url,
            "acquireLicensePage": image.licence_page_url}  # fmt: skip
    return {key: value for key, value in data.items() if value not in (None, "")}


def outside_image(url, *, caption="", credit=""):
    """schema.org ImageObject for a picture from outside the library: its address and the article's words."""
    data = {"@type": "ImageObject", "url": url, "contentUrl": url, "caption": caption, "creditText": credit}
    return {key: value for key, value in data.items() if value}
