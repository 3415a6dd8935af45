"""Per-user rate limits kept in the shared cache, so that every worker and server counts together."""

import time

from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse

from articles.markup import limits


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


def preview_refusal(user_pk, body):
    """The answer to a live preview of ``body`` that is not rendered now, else None: one past the previews a user may
    ask for (NEWSROOM_PREVIEW_LIMIT) or the bytes they may have rendered (NEWSROOM_PREVIEW_BYTES, as rendering time
    follows the size) per NEWSROOM_PREVIEW_PERIOD_SECONDS, or a body over the size limit. Every editor's preview
    (an article's, a newsroom page's) counts against the same budget: previews cost a bounded share of one worker
    whoever sends them."""
    period = settings.NEWSROOM_PREVIEW_PERIOD_SECONDS
    if wait := retry_after("preview", user_pk, limit=settings.NEWSROOM_PREVIEW_LIMIT, period=period):
        return retry_later(f"Too many previews at once; the preview resumes in {wait} s.", wait)
    if message := limits.size_error(body):
        return JsonResponse({"error": f"No preview: {message}"}, status=413)
    size = len(body.encode("utf-8", "surrogatepass"))
    limit = settings.NEWSROOM_PREVIEW_BYTES
    if wait := retry_after("preview-bytes", user_pk, limit=limit, period=period, cost=size):
        return retry_later(f"Previews of long texts are paused for {wait} s.", wait)
    return None
