"""How often the content API may be called: ``NEWSROOM_API_KEY_PER_MINUTE`` by each key,
``NEWSROOM_API_ANONYMOUS_PER_MINUTE`` by each address without one (an IPv6 /64 counted as one address,
``newsroom.middleware.counted_client``). Counted in the shared cache, so that every worker and server counts
together (``articles.admin.throttle``); while the cache is down nothing is counted and every call is answered:
the cache backend logs the outage."""

from django.conf import settings

from articles.admin.throttle import retry_after
from newsroom.middleware import counted_client

MINUTE = 60


def wait_for(request, key=None):
    """Count the call: None when it may be answered, else the seconds until the caller may call again."""
    if key is not None:
        limit, scope, ident = settings.NEWSROOM_API_KEY_PER_MINUTE, "api-key", key.prefix
    else:
        limit, scope, ident = settings.NEWSROOM_API_ANONYMOUS_PER_MINUTE, "api-address", counted_client(request)
    if limit <= 0:
        return None
    return retry_after(scope, ident, limit=limit, period=MINUTE)
