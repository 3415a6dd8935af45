"""The newsroom's pages as the rest of the site links to them (``articles.site.newsroom_pages``): the provider
registered from ``AboutConfig.ready()``, and the surrogate keys of the pages that show them.

The links are read once per process and generation of the page cache (``pagecache.memo.per_process``): a save
of a page retires the generation, so no invalidation of their own is needed. Every page that asks for them (each
page's footer, the publisher's JSON-LD, author pages) is tagged ``PAGES``, which a change to the list purges at
the edge (``about.edgekeys``).
"""

from django.db import DatabaseError

from about.models import NewsroomPage
from articles.site.newsroom_pages import PageLink
from pagecache.keys import tag
from pagecache.memo import per_process

PAGES = "pages"  # which of the newsroom's pages readers see, their titles, addresses, roles and order


def page(pk):
    """One of the newsroom's pages, as its own address and the index show it."""
    return f"pg{pk}"


def _read_links():
    rows = NewsroomPage.objects.public().only("title", "slug", "role", "in_footer")
    return [
        PageLink(page.title, page.get_absolute_url(), page.role, page.schema_property, page.in_footer) for page in rows
    ]


def page_links():
    """The published pages, in the editors' order (none while the database does not answer: the page around
    them still renders)."""
    tag(PAGES)
    try:
        return per_process("about:page-links", _read_links)
    except DatabaseError:
        return []
