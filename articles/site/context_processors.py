import functools

from django.conf import settings
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse

from articles.models import SiteSettings
from articles.models import surrogates as names
from articles.site import chrome, newsroom_pages
from pagecache.keys import tag

LINKS = ("home", "latest", "tags", "archive", "search", "feed_rss", "feed_atom", "feed_json")


def site(request):
    """The site's settings, sections and banner (each read once per process and generation, see
    ``SiteSettings.current``, ``articles.site.chrome``), the newsroom's pages in the footer (their provider tags
    the page with their key) and the addresses every page links to. The page is tagged as showing the three."""
    tag(names.SITE, names.NAVIGATION, names.BANNER)
    site = SiteSettings.current()
    return {
        "site": site,
        "site_name": site.name,
        "site_url": site.public_url,
        "site_description": site.tagline,
        "navigation": chrome.navigation(),
        "banner": chrome.banner(),
        "footer_pages": [link for link in newsroom_pages.page_links() if link.in_footer],
        "links": links(get_script_prefix(), settings.STATIC_URL),
    }


@functools.lru_cache(maxsize=8)
def links(prefix, static_url):
    """The addresses every page links to (navigation, feeds, the style sheet), worked out once per process."""
    found = {name: reverse(f"articles:{name}") for name in LINKS}
    return found | {"stylesheet": static("css/site.css"), "favicon": static("favicon.svg")}
