import functools

from django.conf import settings
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse

LINKS = ("home", "tags", "archive", "search", "feed_rss", "feed_atom", "feed_json")


def site(request):
    return {
        "site_name": settings.NEWSROOM_SITE_NAME,
        "site_url": settings.NEWSROOM_SITE_URL,
        "site_description": settings.NEWSROOM_SITE_DESCRIPTION,
        "links": links(get_script_prefix(), settings.STATIC_URL),
    }


@functools.lru_cache(maxsize=8)
def links(prefix, static_url):
    """The addresses every page links to (navigation, feeds, the style sheet), worked out once per process."""
    found = {name: reverse(f"articles:{name}") for name in LINKS}
    return found | {"stylesheet": static("css/site.css"), "favicon": static("favicon.svg")}
