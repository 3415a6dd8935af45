"""The things JSON-LD names: the publisher."""

from django.templatetags.static import static

from articles.models import SiteSettings


def publisher():
    """schema.org Organization for the publisher, from the site settings."""
    site = SiteSettings.current()
    logo = site.absolute(site.publisher_logo.url if site.publisher_logo else static("logo.png"))
    data = {"@type": "Organization", "name": site.publisher_name or site.name, "url": site.public_url + "/",
            "logo": {"@type": "ImageObject", "url": logo}}  # fmt: skip
    if site.profiles:
        data["sameAs"] = site.profiles
    return data
