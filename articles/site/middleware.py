from django.utils import timezone

from articles.models import SiteSettings


def shows_no_times(view):
    """Mark ``view`` as one that shows no date or time (a load balancer's probe): ``SiteTimeZoneMiddleware``
    then reads nothing for it, not even the site's settings."""
    view.shows_no_times = True
    return view


class SiteTimeZoneMiddleware:
    """Every page rendered here shows and reads times in the site's display time zone (its settings): reader
    pages, previews, the admin (the workflow log, the desk, messages, the date fields an editor types into)
    and its sign-in and lockout pages.

    The zone is set once the view is known (``process_view``) and stays set while the response renders.
    Cached pages are answered before it (``ReaderCacheMiddleware``) and render nothing; the zone itself is
    held in this process's memory, so it costs no query once known."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        finally:
            zone = request.__dict__.pop("_site_time_zone", None)
            if zone is not None:
                zone.__exit__(None, None, None)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "shows_no_times", False) or hasattr(request, "_site_time_zone"):
            return None
        request._site_time_zone = timezone.override(SiteSettings.current().zone)
        request._site_time_zone.__enter__()
        return None
