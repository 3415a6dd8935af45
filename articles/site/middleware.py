from django.utils import timezone

from articles.models import SiteSettings


class SiteTimeZoneMiddleware:
    """Every page rendered here shows and reads times in the site's display time zone (its settings): reader
    pages, previews, the admin (the workflow log, the desk, messages, the date fields an editor types into)
    and its sign-in and lockout pages. Cached pages are answered before it (``ReaderCacheMiddleware``) and
    render nothing; the zone itself is held in this process's memory, so it costs no query once known."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with timezone.override(SiteSettings.current().zone):
            return self.get_response(request)
