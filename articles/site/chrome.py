"""What every reader page shows around its content besides the site's settings (``SiteSettings.current()``):
its sections, the banner, and the state of the library pictures bodies show.

Each is read from the database once per process and generation of the page cache (``pagecache.memo.per_process``):
any edit readers could see (a section, a banner, the settings) starts a new generation, and a banner's
start or end is one of the moments no page outlives, so none of them needs a job or an invalidation of
its own.
"""

from django.db import DatabaseError
from django.db.models import Count, Max, Q

from articles.models import Article, Banner, Image, Section, SiteSettings, site_today
from pagecache.memo import per_process


def _read(name, compute, fallback):
    """``compute()`` per process and generation; ``fallback()`` while the database does not answer (the
    page around cached content, a health check, an error page still render)."""
    try:
        return per_process(name, compute)
    except DatabaseError:
        return fallback()


def library_version():
    """What identifies the state of the library pictures shown in article bodies: the newest save among them,
    how many there are, and the latest day whose start ended a picture's rights. Fragments that show bodies
    are keyed on it, so an edit of a picture in use (or its rights running out, a moment no page outlives)
    renders them again; no page has to ask each time which pictures its body shows."""

    def compute():
        found = Image.objects.filter(uses__isnull=False).aggregate(
            changed=Max("modified_at"),
            pictures=Count("pk", distinct=True),
            ended=Max("rights_expire_on", filter=Q(rights_expire_on__lte=site_today())),
        )
        return (found["changed"], found["pictures"], found["ended"])

    return _read("library-version", compute, lambda: (None, 0, None))


def navigation():
    """The sections in the header, in the editors' order: only those with something published."""
    return _read(
        "navigation", lambda: list(Article.objects.published().sections(Section.objects.in_navigation())), list
    )


def banner():
    """The breaking-news banner in force now whose link readers may follow (``Banner.withheld``), or None."""
    return _read("banner", lambda: Banner.objects.shown(SiteSettings.current().public_url), lambda: None)
