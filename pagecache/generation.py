"""Whole pages for anonymous readers, from the shared cache, never staler than the last edit.

Every cached page's key holds the current *generation*, a random token kept in the same cache (Redis in
production, so every app server sees the same one). Any change readers could see (an article, a byline,
a correction, an author, a tag, a section, a pin, the banner, the site settings) replaces the token once
its transaction commits: every page cached before becomes unreachable at once, on every server. A page is
also never kept past the next moment something changes by itself (a scheduled article goes live, an
article or a pin expires, a banner starts or ends), so schedules need no invalidation at all.
"""

import functools
import hashlib
import math
import os
import secrets
import time
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.db.models import Max, Min, Q
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers, set_response_etag
from django.utils.http import http_date, parse_http_date_safe
from django.views.decorators.csrf import csrf_exempt

from articles.models import Article, Banner, Image, Pin, SiteSettings, day_start, site_today, states
from newsroom.cachebackend import ResilientRedisCache
from pagecache import deadlines

GENERATION_KEY = "newsroom:generation:v2"
KEPT_PARAMETERS = ("page", "q")  # the only query parameters reader pages read; others do not split the cache
READER_METHODS = ("GET", "HEAD")
RENDER_LOCK_SECONDS = 10  # a render still going after this long no longer holds the others back
RENDER_POLL_SECONDS = 0.01
DEGRADED_SECONDS = 5  # while the shared cache is down, how long this process trusts what it read from the database
_HELD = {}  # name: (generation or None, until, value), see ``per_process``


@functools.cache
def release():
    """What this code base is: ``NEWSROOM_RELEASE`` when the deployment names it, else a digest of the code,
    templates and static files. Cache keys carry it, so pages rendered by an earlier release are not served
    after a deploy, and two releases side by side (a rolling deploy) never share pages."""
    if settings.NEWSROOM_RELEASE:
        return settings.NEWSROOM_RELEASE
    base = Path(settings.BASE_DIR)
    digest = hashlib.blake2b(digest_size=8)
    for folder, pattern in (
        ("pagecache", "*.py"),
        ("articles", "*.py"),
        ("interchange", "*.py"),
        ("newsroom", "*.py"),
        ("templates", "*"),
        ("static", "*"),
    ):
        for path in sorted((base / folder).rglob(pattern)):
            if path.is_file() and "tests" not in path.parts and "__pycache__" not in path.parts:
                digest.update(path.relative_to(base).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def _token():
    """A new generation: the time it began (milliseconds, hex) and a random part."""
    return f"{time.time_ns() // 1_000_000:x}-{secrets.token_hex(6)}"


def generation_time(token):
    """When generation ``token`` began, as a Unix time."""
    return int(token.split("-", 1)[0], 16) / 1000


def _cache_answers():
    """False while the shared cache is known to be down (see newsroom.cachebackend); other backends always answer."""
    return getattr(cache, "available", True)


def generation():
    """The current generation, or None while the shared cache does not answer (pages are then not cached).

    On Redis it is read from this process's mirror of the key, which Redis keeps exact by telling every
    process the moment the key changes (``ResilientRedisCache.get_mirrored``): a cached page costs no round
    trip, and an edit on any server still retires it at once everywhere.
    """
    if not _cache_answers():
        return None
    token = cache.get_mirrored(GENERATION_KEY) if hasattr(cache, "get_mirrored") else None
    if token is None:
        token = cache.get_or_set(GENERATION_KEY, _token, timeout=None)
    return token if _cache_answers() else None


def _new_generation():
    _HELD.clear()  # this process's copies of what every page reads, the degraded ones included
    cache.set(GENERATION_KEY, _token(), timeout=None)
    if hasattr(cache, "forget_mirrored"):
        cache.forget_mirrored(GENERATION_KEY)  # this process sees its own edit without waiting for Redis's word


# When Redis answers again after an outage, retire what was cached before it (and any invalidation it missed).
if _new_generation not in ResilientRedisCache.on_recovery:
    ResilientRedisCache.on_recovery.append(_new_generation)


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


AHEAD = ("publish", "expire", "embargo_ends", "banner_starts", "banner_ends", "pin_ends", "rights_ends")
BEHIND = ("published", "expired", "embargo_ended", "banner_started", "banner_ended", "pin_ended", "rights_ended")


def _moments():
    """(next, last): the Unix times at which what readers may see next changes by itself (a scheduled
    publication, an article's expiry or embargo ending, a banner starting or ending, a pin expiring, a picture's rights
    running out; inf when none is ahead), and last did so (0 when never)."""
    now = timezone.now()
    # Only approved articles change by the clock alone (``states``: scheduled, embargoed, published, expired).
    found = Article.objects.filter(states.approved()).aggregate(
        publish=Min("published_at", filter=Q(published_at__gt=now)),
        expire=Min("expires_at", filter=Q(expires_at__gt=now)),
        published=Max("published_at", filter=Q(published_at__lte=now)),
        expired=Max("expires_at", filter=Q(expires_at__lte=now)),
        embargo_ends=Min("embargo_until", filter=Q(embargo_until__gt=now)),
        embargo_ended=Max("embargo_until", filter=Q(embargo_until__lte=now)),
    )
    found |= Banner.objects.aggregate(
        banner_starts=Min("starts_at", filter=Q(starts_at__gt=now)),
        banner_ends=Min("expires_at", filter=Q(expires_at__gt=now)),
        banner_started=Max("starts_at", filter=Q(starts_at__lte=now)),
        banner_ended=Max("expires_at", filter=Q(expires_at__lte=now)),
    )
    found |= Pin.objects.aggregate(
        pin_ends=Min("expires_at", filter=Q(expires_at__gt=now)),
        pin_ended=Max("expires_at", filter=Q(expires_at__lte=now)),
    )
    zone = SiteSettings.stored_zone()  # not current(), which itself asks for the next change
    today = site_today(zone)
    rights = Image.objects.aggregate(
        ends=Min("rights_expire_on", filter=Q(rights_expire_on__gt=today)),
        ended=Max("rights_expire_on", filter=Q(rights_expire_on__lte=today)),
    )  # a picture's rights end at the start of that day, in the site's time zone
    found |= {f"rights_{name}": day_start(day, zone) for name, day in rights.items() if day is not None}
    found.setdefault("rights_ends", None)
    found.setdefault("rights_ended", None)
    ahead = [found[name].timestamp() for name in AHEAD if found[name] is not None]
    behind = [found[name].timestamp() for name in BEHIND if found[name] is not None]
    return min(ahead, default=math.inf), max(behind, default=0.0)


def _moments_for(token):
    if token is None:  # the shared cache is down: kept briefly here, never past the moment it names
        held = _HELD.get("moments")
        if held is not None and held[0] is None and time.time() < held[1]:
            return held[2]
        moments = _moments()
        _HELD["moments"] = (None, min(time.time() + DEGRADED_SECONDS, moments[0]), moments)
        return moments
    key = f"newsroom:moments-until:{token}"
    found = deadlines.look_up(key)
    if found is not None:
        return found[0]
    moments = _moments()
    deadlines.keep(key, moments, moments[0])  # true until the next change they name, not a moment longer
    return moments


def next_change(token):
    """The Unix time at which what readers may see changes by itself (a schedule or an expiry), or inf."""
    return _moments_for(token)[0]


def changed_at(token):
    """The Unix time of the last change readers could see: an edit (the generation's start) or a scheduled
    publication or expiry taking effect. No page can have changed since; Last-Modified is never older."""
    last = _moments_for(token)[1]
    if token is None:
        return max(last, time.time())  # unknown while the cache is down: say "now", never a stale 304
    return max(last, generation_time(token))


def remember(name, compute, *, longest=3600):
    """``compute()``, kept in the shared cache for the current generation (so any edit recomputes it) and
    never past the next scheduled change."""
    token = generation()
    if token is None:
        return compute()
    return _remember(name, compute, token, longest)[0]


def _remember(name, compute, token, longest=3600):
    """(value, deadline): ``remember`` for generation ``token``, with the moment the value stops being true.

    The deadline is the next change as known before ``compute()`` runs: a value worked out just before a
    scheduled moment is true until that moment and is never read after it, and one whose work spans the
    moment is not stored at all (its deadline has passed by then).
    """
    key = f"newsroom:until:{name}:{token}"
    found = deadlines.look_up(key)
    if found is not None:
        return found
    deadline = min(time.time() + longest, next_change(token))
    value = compute()
    deadlines.keep(key, value, deadline)
    return value, deadline


def per_process(name, compute):
    """``compute()``, kept in this process's memory for the current generation and never past the next
    scheduled change: for what every page reads (the site's settings, its sections, the banner), at no
    round trip once known. The generation is read from the shared cache, so an edit on any server retires
    it here too; the value itself is shared (``remember``), so after an edit one process works it out.

    While the shared cache is down there is no generation to tell of edits: the value is then kept for
    ``DEGRADED_SECONDS`` (an edit made here clears it at once, and never past the next scheduled change),
    not read again on every use.
    """
    token = generation()
    held = _HELD.get(name)
    if held is not None and held[0] == token and time.time() < held[1]:
        return held[2]
    if token is None:
        until = min(time.time() + DEGRADED_SECONDS, next_change(None))
        value = compute()
        _HELD[name] = (None, until, value)
        return value
    # After an edit, one process reads the database; the others, its answer, until the same deadline.
    value, until = _remember(name, compute, token)
    _HELD[name] = (token, until, value)
    return value


def held(name):
    """What ``per_process`` last kept under ``name`` in this process, with no query or cache call; or None."""
    found = _HELD.get(name)
    return found[2] if found else None


def last_modified(stated, token):
    """The Last-Modified to send (Unix seconds) for a page dated ``stated`` by its view, or None.

    Never older than the last change readers could see: a renamed author or tag, or a withdrawn or expired
    entry, changes a page's bytes without touching the rows the view dated it by. None while that change is
    under a second old: HTTP dates count whole seconds, so a second change in the same second would carry
    the same date and earn a stale 304; the ETag validates meanwhile.
    """
    changed = max(stated, changed_at(token))
    if time.time() - changed < 1:
        return None
    return math.ceil(changed)


def fresh_validators(response, token):
    """Make the response's Last-Modified honest (see ``last_modified``)."""
    if response.has_header("Last-Modified"):
        when = last_modified(parse_http_date_safe(response["Last-Modified"]) or 0, token)
        if when is None:
            del response["Last-Modified"]
        else:
            response["Last-Modified"] = http_date(when)
    return response


def _digest(request):
    kept = "&".join(f"{name}={value}" for name in KEPT_PARAMETERS for value in request.GET.getlist(name))
    return hashlib.blake2b(f"{request.get_host()}|{request.path}?{kept}".encode(), digest_size=16).hexdigest()


def page_key(request, token):
    return f"newsroom:page:{release()}:{token}:{_digest(request)}"


def _recent():
    """This process's copies of the pages it served lately (a local-memory cache, ``CACHES["recent"]``).

    Keyed like the shared cache, generation included, and the generation is read from the shared cache on
    every request: a copy here is never staler than the shared one, and saves moving the page itself.
    """
    return caches["recent"]


def _fetch(request):
    """(generation, page key, cached copy or None) for this request; None while the shared cache is down."""
    token = generation()
    if token is None:
        return None
    key = page_key(request, token)
    stored = deadlines.look_up(key, _recent())
    if stored is None:
        stored = deadlines.look_up(key)
        if stored is not None:
            _keep_recent(key, *stored)
    return token, key, stored


def _keep_recent(key, frozen, deadline):
    deadlines.keep(key, frozen, deadline, _recent())


def _signed_in(request):
    return settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated


def _freeze(response):
    headers = {name: value for name, value in response.items() if name.lower() not in ("set-cookie", "vary")}
    return response.status_code, response.content, headers


def _thaw(frozen):
    status, content, headers = frozen
    response = HttpResponse(content, status=status)
    for name, value in headers.items():
        response[name] = value
    return response


def _cacheable(path):
    """Whether the view at ``path`` is one that ``cache_for_readers`` wraps (health checks, the admin and
    search are not, and cost no cache lookup)."""
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return getattr(match.func, "reader_cacheable", False)


def _lookup(request):
    """(generation, key, (cached copy, its deadline) or None) for an anonymous GET or HEAD; None when the cache
    does not apply."""
    if settings.NEWSROOM_PAGE_CACHE_SECONDS <= 0 or request.method not in READER_METHODS:
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
        return _serve(request, found[2], "hit")


def _serve(request, stored, label):
    """A stored page, (copy, deadline), as the answer to ``request`` (a 304 when the reader's copy is current)."""
    frozen, deadline = stored
    response = _thaw(frozen)
    response["X-Cache"] = label
    _public(response, deadline)
    return get_conditional_response(
        request,
        etag=response.get("ETag"),
        last_modified=parse_http_date_safe(response["Last-Modified"]) if "Last-Modified" in response else None,
        response=response,
    )


def _await_render(key, lock):
    """The page another process is rendering right now, once it is stored; None when that render is over
    without storing it (an error, a 404) or takes longer than NEWSROOM_RENDER_WAIT_SECONDS."""
    deadline = time.monotonic() + settings.NEWSROOM_RENDER_WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(RENDER_POLL_SECONDS)
        stored = deadlines.look_up(key)
        if stored is not None:
            _keep_recent(key, *stored)
            return stored
        if cache.get(lock) is None:
            return None
    return None


def reader_view(view):
    """A page readers only read: GET and HEAD, anything else is a 405 naming them. No CSRF check is needed
    (nothing is written), so PUT or DELETE get the 405, not a CSRF refusal. Dates are shown in the site's
    display time zone (its settings)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in READER_METHODS:
            response = render(request, "405.html", {"allowed": " or ".join(READER_METHODS)}, status=405)
            response["Allow"] = ", ".join(READER_METHODS)
            return response
        with timezone.override(SiteSettings.current().zone):  # dates as the site's settings show them, rendered here
            response = view(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
        return response

    return csrf_exempt(wrapped)


def validated(view):
    """A reader page that is not stored here but answers conditional requests: its Last-Modified is kept
    honest (``fresh_validators``), and methods other than GET and HEAD get a 405."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return fresh_validators(view(request, *args, **kwargs), generation())

    return reader_view(wrapped)


def cache_for_readers(view):
    """Store anonymous GET and HEAD responses of ``view`` in the shared cache; staff always bypass it."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if _signed_in(request):
            response = fresh_validators(view(request, *args, **kwargs), generation())
            patch_cache_control(response, private=True, no_cache=True)
            patch_vary_headers(response, ["Cookie"])
            return response
        found = _lookup(request)  # a hit was answered by ReaderCacheMiddleware: here it is a miss, or no cache
        if found is None:
            token = generation()
            ahead = next_change(token)  # a CDN in front keeps the page no longer than what it shows is true
            return _public(fresh_validators(view(request, *args, **kwargs), token), ahead)
        token, key, _ = found
        # One render per page, not one per worker: the first request to miss renders it, the others wait
        # briefly for its result instead of all rendering the same page at once.
        lock = f"{key}:rendering"
        rendering = cache.add(lock, os.getpid(), timeout=RENDER_LOCK_SECONDS)
        if not rendering:
            stored = _await_render(key, lock)
            if stored is not None:
                return _serve(request, stored, "hit, waited")
        try:
            # What the render shows is true until the next change known before it began; a render that
            # ends past that moment is not stored (its deadline has passed).
            deadline = min(time.time() + settings.NEWSROOM_PAGE_CACHE_SECONDS, next_change(token))
            response = view(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
            fresh_validators(response, token)
            if response.status_code == 200 and not response.cookies:
                if not response.has_header("ETag"):
                    set_response_etag(response)
                frozen = _freeze(response)
                deadlines.keep(key, frozen, deadline)
                _keep_recent(key, frozen, deadline)
        finally:
            if rendering:
                cache.delete(lock)
        response["X-Cache"] = "miss"
        return _public(response, deadline)

    wrapped.reader_cacheable = True
    return reader_view(wrapped)


def _public(response, ahead):
    """Headers for shared caches in front (a CDN): revalidate with ETag, keep at most a short while, and
    never past the next scheduled change (a 404 for an article about to go live included)."""
    patch_vary_headers(response, ["Cookie"])
    if response.status_code in (200, 301, 304, 404, 410) and not response.has_header("Cache-Control"):
        shared = int(max(0, min(settings.NEWSROOM_CDN_SECONDS, ahead - time.time())))
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True, s_maxage=shared)
    return response
