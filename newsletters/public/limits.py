"""How often one client (its address, or its IPv6 /64 network, as ``newsroom.middleware.counted_client`` finds
it behind the proxies) may use the forms that send e-mail: ``NEWSROOM_NEWSLETTER_SIGNUPS_PER_HOUR``, counted in the
shared cache so that every worker and server counts together (``articles.admin.throttle``)."""

from django.conf import settings
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from articles.admin.throttle import retry_after
from newsroom.middleware import counted_client

HOUR = 3600


def refused(request):
    """Count one use by the request's client: None when allowed, else the 429 page saying when to try again."""
    seconds = retry_after("newsletter-signup", counted_client(request),
                          limit=settings.NEWSROOM_NEWSLETTER_SIGNUPS_PER_HOUR, period=HOUR)  # fmt: skip
    if seconds is None:
        return None
    minutes = max(1, round(seconds / 60))
    response = render(request, "newsletters/too_many.html", {"minutes": minutes, "noindex": True}, status=429)
    response["Retry-After"] = str(seconds)
    add_never_cache_headers(response)
    return response
