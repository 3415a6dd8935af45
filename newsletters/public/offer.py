"""The sign-up form where readers meet it: on ``/newsletters/``, under an article's body (a part of
``articles.public.parts``) and under a section's articles (``articles.public.sectionparts``), registered from
``NewslettersConfig.ready()``.

Those pages are cached for readers (the page cache and the edge), so the form carries nothing of the visitor:
no CSRF token (the subscribe endpoint needs none: double opt-in is its protection), only the page's own path as
the consent's source. The open lists are read once per generation of the page cache and tagged with
``SIGNUP_KEY``; a change to a list (its name, its being open) retires the cached pages, and purges that key at
the edge (``register``).
"""

import contextlib
from typing import NamedTuple

from django.db import DatabaseError

import edge
from newsletters.models import Newsletter
from pagecache import registry
from pagecache.keys import tag
from pagecache.memo import per_process

SIGNUP_KEY = "nl"  # the surrogate key of every page showing the sign-up form: which lists are open, and their names


class OpenList(NamedTuple):
    """A list as the form offers it."""

    pk: int
    name: str
    description: str
    cadence: str


def _read_open_lists():
    rows = Newsletter.objects.open().values_list("pk", "name", "description", "cadence")
    return [OpenList(*row) for row in rows]


def open_lists():
    """The lists readers may sign up for, in the editors' order, read once per process and generation of the page
    cache (none while the database does not answer: the page shows no form rather than failing). The page that
    shows them is tagged ``SIGNUP_KEY``."""
    tag(SIGNUP_KEY)
    try:
        return per_process("newsletters:open-lists", _read_open_lists)
    except DatabaseError:
        return []


def site_state(request):
    """A context processor: the open lists are read with what every page reads around its content (the site's
    settings, its sections, the banner), so that a page showing the form asks nothing more of the database than
    before once the generation's site state is known. Pages that do not show the form are not tagged with it."""
    with contextlib.suppress(DatabaseError):
        per_process("newsletters:open-lists", _read_open_lists)
    return {}


def signup_part(request, source=None):
    """The form's slot (``template`` and its context) for the page at ``request.path``; None when no list is open."""
    lists = open_lists()
    if not lists:
        return None
    return {"template": "newsletters/_signup_part.html", "lists": lists, "source": source or request.path}


def article_part(request, article):
    found = signup_part(request)
    return {"after_body": [found]} if found else None


def section_part(request, section):
    found = signup_part(request)
    return {"after_list": [found]} if found else None


def _keys_of(newsletter, before, deleted):
    """A list renamed or reopened refreshes the pages with the form (soft); one closed or deleted stops being
    offered, so those pages are dropped at once (hard)."""
    keys = {SIGNUP_KEY}
    return edge.hard(keys) if deleted or not newsletter.is_open else keys


def register():
    """Tell the page cache and the edge that readers see the lists (their names, which are open)."""
    registry.register_model(Newsletter)
    edge.register(Newsletter, _keys_of, bulk_keys=edge.hard({SIGNUP_KEY}))
