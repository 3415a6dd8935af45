"""Whole pages for anonymous readers, from the shared cache, never staler than the last edit.

Every cached page's key holds the current *generation*, a random token kept in the same cache (Redis in
production, so every app server sees the same one). Any change readers could see (an article, a byline,
a correction, an author, a tag) replaces the token once its transaction commits: every page cached
before becomes unreachable at once, on every server. A page is also never kept past the next moment a
scheduled article goes live or an article expires, so schedules need no invalidation at all.
"""

import hashlib
import math
import secrets
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.db.models import Min, Q
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers, set_response_etag
from django.utils.http import parse_http_date_safe

from .models import Article

GENERATION_KEY = "newsroom:generation"
KEPT_PARAMETERS = ("page", "q")  # the only query parameters reader pages read; others do not split the cache


def _token():
    return secrets.randbits(62)


def generation():
    return cache.get_or_set(GENERATION_KEY, _token, timeout=None)


def _new_generation():
    cache.set(GENERATION_KEY, _token(), timeout=None)


def invalidate():
    """Retire every cached page now, and again once the current transaction commits.

    Now, so that the editor's own next request sees the change; after the commit too, because a reader
    served between the edit and its commit would have cached the old page under the new generation.
    """
    _new_generation()
    transaction.on_commit(_new_generation)


def content_changed(sender, **kwargs):
    """Signal receiver for every model whose rows readers can see (connected in ArticlesConfig.ready)."""
    invalidate()


def next_change(token):
    """The Unix time at which what readers may see changes by itself (a schedule or an expiry), or inf."""
    key = f"newsroom:next-change:{token}"
    moment = cache.get(key)
    if moment is None:
        now = timezone.now()
        upcoming = Article.objects.filter(status=Article.Status.PUBLISHED).aggregate(
            publish=Min("published_at", filter=Q(published_at__gt=now)),
            expire=Min("expires_at", filter=Q(expires_at__gt=now)),
        )
        times = [value.timestamp() for value in upcoming.values() if value is not None]
        moment = min(times, default=math.inf)
        cache.set(key, moment, timeout=None if moment == math.inf else max(1, math.ceil(moment - time.time())))
    return moment


def remember(name, compute, *, longest=3600):
    """``compute()``, kept in the shared cache for the current generation (so any edit recomputes it) and
    never past the next scheduled change."""
    token = generation()
    timeout = int(max(1, min(longest, next_change(token) - time.time())))
    return cache.get_or_set(f"newsroom:{name}:{token}", compute, timeout=timeout)


def _digest(request):
    kept = "&".join(f"{name}={value}" for name in KEPT_PARAMETERS for value in request.GET.getlist(name))
    return hashlib.blake2b(f"{request.get_host()}|{request.path}?{kept}".encode(), digest_size=16).hexdigest()


def page_key(request, token):
    return f"newsroom:page:{token}:{_digest(request)}"


def _recent():
    """This process's copies of the pages it served lately (a local-memory cache, ``CACHES["recent"]``).

    Keyed like the shared cache, generation included, and the generation is read from the shared cache on
    every request: a copy here is never staler than the shared one, and saves moving the page itself.
    """
    return caches["recent"]


def _fetch(request):
    """(generation, page key, cached copy or None) for this request."""
    token = generation()
    key = page_key(request, token)
    frozen = _recent().get(key)
    if frozen is None:
        frozen = cache.get(key)
        if frozen is not None:
            _keep_recent(key, frozen)
    return token, key, frozen


def _keep_recent(key, frozen):
    timeout = min(settings.NEWSROOM_PAGE_CACHE_SECONDS, frozen[3] - time.time())
    if timeout >= 1:
        _recent().set(key, frozen, timeout=int(timeout))


def _signed_in(request):
    return settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated


def _freeze(response, ahead):
    headers = {name: value for name, value in response.items() if name.lower() not in ("set-cookie", "vary")}
    return response.status_code, response.content, headers, ahead


def _thaw(frozen):
    status, content, headers, ahead = frozen
    response = HttpResponse(content, status=status)
    for name, value in headers.items():
        response[name] = value
    return response, ahead


def _cacheable(path):
    """Whether the view at ``path`` is one that ``cache_for_readers`` wraps (health checks, the admin and
    search are not, and cost no cache lookup)."""
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return getattr(match.func, "reader_cacheable", False)


def _lookup(request):
    """(generation, key, cached copy or None) for an anonymous GET or HEAD; None when the cache does not apply."""
    if settings.NEWSROOM_PAGE_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
        return None
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return None  # possibly staff: rendered fresh, and never stored
    if not _cacheable(request.path_info):
        return None
    if not hasattr(request, "_reader_cache"):
        request._reader_cache = _fetch(request)
    return request._reader_cache


class ReaderCacheMiddleware:
    """Answer a cached page before sessions, authentication and URL routing run.

    Pages get into the cache through the ``cache_for_readers`` view decorator, which decides what may
    be cached; this only serves them, near the top of the middleware list, and answers 304 itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        found = _lookup(request)
        if found is None or found[2] is None:
            return self.get_response(request)
        response, ahead = _thaw(found[2])
        response["X-Cache"] = "hit"
        _public(response, ahead)
        return get_conditional_response(
            request,
            etag=response.get("ETag"),
            last_modified=parse_http_date_safe(response["Last-Modified"]) if "Last-Modified" in response else None,
            response=response,
        )


def cache_for_readers(view):
    """Store anonymous GET and HEAD responses of ``view`` in the shared cache; staff always bypass it."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or _signed_in(request):
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            patch_vary_headers(response, ["Cookie"])
            return response
        found = _lookup(request)  # a hit was answered by ReaderCacheMiddleware: here it is a miss, or no cache
        if found is None:
            ahead = next_change(generation()) if settings.NEWSROOM_PAGE_CACHE_SECONDS > 0 else math.inf
            return _public(view(request, *args, **kwargs), ahead)
        token, key, _ = found
        response = view(request, *args, **kwargs)
        if hasattr(response, "render"):
            response.render()
        ahead = next_change(token)
        timeout = min(settings.NEWSROOM_PAGE_CACHE_SECONDS, ahead - time.time())
        if response.status_code == 200 and timeout >= 1 and not response.cookies:
            if not response.has_header("ETag"):
                set_response_etag(response)
            frozen = _freeze(response, ahead)
            cache.set(key, frozen, timeout=int(timeout))
            _keep_recent(key, frozen)
        response["X-Cache"] = "miss"
        return _public(response, ahead)

    wrapped.reader_cacheable = True
    return wrapped


def _public(response, ahead):
    """Headers for shared caches in front (a CDN): revalidate with ETag, keep at most a short while."""
    patch_vary_headers(response, ["Cookie"])
    if response.status_code in (200, 304) and not response.has_header("Cache-Control"):
        shared = int(max(0, min(settings.NEWSROOM_CDN_SECONDS, ahead - time.time())))
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True, s_maxage=shared)
    return response
