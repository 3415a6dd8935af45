"""Cached reader pages answered before sessions, authentication and URL routing run."""

import hashlib
import time
from importlib import import_module
from typing import NamedTuple
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import caches
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import parse_http_date_safe

from pagecache import deadlines, keys
from pagecache.generation import generation, release
from pagecache.schedule import next_change

KEPT_PARAMETERS = ("page", "q")  # the only query parameters reader pages read; others do not split the cache
ALL_PARAMETERS = "*"  # a view's ``reader_parameters`` when every query parameter makes another answer (an API)
READER_METHODS = ("GET", "HEAD")


class FrozenPage(NamedTuple):
    """A response as the cache keeps it: no cookies, no Vary (added again when served)."""

    status: int
    content: bytes
    headers: dict

    @classmethod
    def of(cls, response):
        headers = {name: value for name, value in response.items() if name.lower() not in ("set-cookie", "vary")}
        return cls(response.status_code, response.content, headers)

    def thaw(self):
        response = HttpResponse(self.content, status=self.status)
        for name, value in self.headers.items():
            response[name] = value
        return response


class PageLookup(NamedTuple):
    """Where a request's page lives in the cache: the generation, the page's key, the copy found there
    (``deadlines.Kept``, a ``FrozenPage`` and its deadline) or None, and the page's variant (``variant_of``)."""

    generation: str
    key: str
    stored: deadlines.Kept | None
    variant: str = ""


def _digest(request):
    match = _resolved(request)
    names = getattr(match.func, "reader_parameters", KEPT_PARAMETERS) if match else KEPT_PARAMETERS
    if names == ALL_PARAMETERS:
        names = sorted(request.GET)
    # encoded as sent, so that a value holding "&" or "=" cannot read as another request's parameters
    kept = urlencode([(name, value) for name in names for value in request.GET.getlist(name)])
    return hashlib.blake2b(f"{request.get_host()}|{request.path}?{kept}".encode(), digest_size=16).hexdigest()


def page_key(request, token, variant=""):
    return f"newsroom:page:{release()}:{token}:{variant}:{_digest(request)}"


def _resolved(request):
    """The URL match of the request's path (once per request), or None."""
    if not hasattr(request, "_reader_match"):
        try:
            request._reader_match = resolve(request.path_info)
        except Resolver404:
            request._reader_match = None
    return request._reader_match


def variant_of(request):
    """The part of a page's key its view adds (``cache_for_readers(view, variant=...)``: called with the URL's
    keyword arguments), for a page that changes more often than the content at large (a live page's stream)
    and is retired by a token of its own rather than by retiring every page; "" for every other page."""
    match = _resolved(request)
    variant = getattr(match.func, "reader_variant", None) if match else None
    return variant(**match.kwargs) or "" if variant else ""


def recent_pages():
    """This process's copies of the pages it served lately (a local-memory cache, ``CACHES["recent"]``).

    Keyed like the shared cache, generation included, and the generation is read from the shared cache on
    every request: a copy here is never staler than the shared one, and saves moving the page itself.
    """
    return caches["recent"]


def keep_recent(key, kept):
    deadlines.keep(key, kept.value, kept.deadline, recent_pages())


def _fetch(request):
    """The ``PageLookup`` for this request; None while the shared cache is down."""
    token = generation()
    if token is None:
        return None
    variant = variant_of(request)
    key = page_key(request, token, variant)
    stored = deadlines.look_up(key, recent_pages())
    if stored is None:
        stored = deadlines.look_up(key)
        if stored is not None:
            keep_recent(key, stored)
    return PageLookup(token, key, stored, variant)


def _cacheable(request):
    """Whether the view at the request's path is one that ``cache_for_readers`` wraps (health checks, the
    admin and search are not, and cost no cache lookup)."""
    match = _resolved(request)
    return getattr(match.func, "reader_cacheable", False) if match else False


def _checks_first(request):
    """Whether the view asks something of every request before any answer, a stored one included (an API's
    access check and rate limit: ``reader_checks_first``); its stored pages are then served by the view."""
    match = _resolved(request)
    return getattr(match.func, "reader_checks_first", False) if match else False


def lookup(request):
    """The ``PageLookup`` for an anonymous GET or HEAD of a cached view; None when the cache does not apply."""
    if settings.NEWSROOM_PAGE_CACHE_SECONDS <= 0 or request.method not in READER_METHODS:
        return None
    if not _cacheable(request):
        return None
    if signed_in(request):
        return None  # staff: rendered fresh, and never stored
    if not hasattr(request, "_reader_cache"):
        request._reader_cache = _fetch(request)
    return request._reader_cache


def signed_in(request):
    """Whether the request's session cookie names a session someone signed in to (read from the session store,
    before the sessions and authentication middleware run). A cookie that names none (expired, made up) is
    a reader's: answered from the cache, so that a made-up cookie cannot make every request a render."""
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not key:
        return False
    try:
        return import_module(settings.SESSION_ENGINE).SessionStore(key).get(SESSION_KEY) is not None
    except Exception:  # noqa: BLE001 - a store that cannot say: rendered fresh, as for staff
        return True


class ReaderCacheMiddleware:
    """Answer a cached page before sessions, authentication and URL routing run.

    Pages get into the cache through the ``cache_for_readers`` view decorator, which decides what may
    be cached; this only serves them, near the top of the middleware list, and answers 304 itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        found = lookup(request)
        if found is None or found.stored is None or _checks_first(request):
            return self.get_response(request)
        return serve(request, found.stored, "hit")


def serve(request, stored, label):
    """A stored page (``deadlines.Kept``) as the answer to ``request`` (a 304 when the reader's copy is current)."""
    response = stored.value.thaw()
    response["X-Cache"] = label
    public_headers(response, stored.deadline)
    answer = get_conditional_response(
        request,
        etag=response.get("ETag"),
        last_modified=parse_http_date_safe(response["Last-Modified"]) if "Last-Modified" in response else None,
        response=response,
    )
    if answer.status_code == 304 and "Link" in response:
        # Django's 304 keeps only the caching headers; a Link (a feed's WebSub hubs and own address, for one)
        # names where the resource is and is the same on a 304 as on the 200 it stands for.
        answer["Link"] = response["Link"]
    return answer


CURRENT = object()  # ``public_headers``' default: the response was rendered under the current generation
OVERTAKEN = object()  # what it showed changed while it was rendered (its variant's token moved): kept nowhere


def public_headers(response, next_change_at, rendered_under=CURRENT):
    """Headers for shared caches in front (a CDN): revalidate with ETag, keep at most a short while, and
    never past the next scheduled change (a 404 for an article about to go live included).

    With edges that are purged on every change (``NEWSROOM_EDGE_PURGE_URLS``), ``Surrogate-Control`` tells them
    how long to keep the page (``edge_seconds``); the edge removes the header before the page reaches readers.
    A page without surrogate keys gets none: nothing could purge it."""
    patch_vary_headers(response, ["Cookie"])
    if response.status_code in (200, 301, 302, 304, 404, 410) and not response.has_header("Cache-Control"):
        now = time.time()
        shared = int(max(0, min(settings.NEWSROOM_CDN_SECONDS, next_change_at - now)))
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True, s_maxage=shared)
        if settings.NEWSROOM_EDGE_PURGE_URLS and response.has_header(keys.HEADER):
            response["Surrogate-Control"] = f"max-age={edge_seconds(rendered_under)}"
    return response


def edge_seconds(rendered_under=CURRENT):
    """How long an edge may keep a page: up to ``NEWSROOM_EDGE_SECONDS``, never past the next scheduled moment
    (no purge is sent when the clock passes one).

    Not at all when an edit committed while the page was being rendered (the generation it was rendered under,
    ``rendered_under``, is no longer current, or its variant's token moved: ``OVERTAKEN``): its purge may reach
    the edge before the page does, and would then leave the page from before the edit there. Only
    ``NEWSROOM_CDN_SECONDS`` while the shared cache does not answer: it is the job queue's broker too, so
    purges wait until it is back."""
    if rendered_under is OVERTAKEN:
        return 0
    token = generation()
    if token is None:
        longest = settings.NEWSROOM_CDN_SECONDS
    elif rendered_under is not CURRENT and rendered_under != token:
        return 0
    else:
        longest = settings.NEWSROOM_EDGE_SECONDS
    return int(max(0, min(longest, next_change(token) - time.time())))
