"""Per-user rate limits kept in the shared cache, so that every worker and server counts together."""

import time

from django.core.cache import cache
from django.http import JsonResponse


def retry_after(scope, ident, *, limit, period, cost=1):
    """Count one use of `scope` by `ident` (weighing `cost`); None when allowed, else the seconds until the
    next is.

    A fixed window per `period` seconds. When the cache cannot count (it is down), the use is allowed: the
    limit protects capacity, and refusing every preview while Redis restarts would protect nothing.
    """
    now = time.time()
    window = int(now // period)
    key = f"throttle:{scope}:{ident}:{window}"
    if hasattr(cache, "count"):  # the project's Redis backend: one round trip
        count = cache.count(key, cost, timeout=period + 1)
    else:
        cache.add(key, 0, timeout=period + 1)
        try:
            count = cache.incr(key, cost)
        except ValueError:  # the key is gone (evicted)
            count = None
    if count is None:  # the cache is unavailable
        return None
    if count <= limit:
        return None
    return max(1, int((window + 1) * period - now + 0.999))


def retry_later(message, seconds):
    response = JsonResponse({"error": message}, status=429)
    response["Retry-After"] = str(seconds)
    return response
