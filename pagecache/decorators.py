"""View decorators for reader pages: ``reader_view`` (GET and HEAD only), ``validated`` (honest validators)
and ``cache_for_readers`` (stored in the shared cache for anonymous readers, one render per page)."""

import os
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import render
from django.utils.cache import patch_cache_control, patch_vary_headers, set_response_etag
from django.views.decorators.csrf import csrf_exempt

from pagecache import deadlines, keys
from pagecache.generation import generation
from pagecache.middleware import (
    OVERTAKEN,
    READER_METHODS,
    FrozenPage,
    keep_recent,
    lookup,
    public_headers,
    serve,
    variant_of,
)
from pagecache.schedule import next_change
from pagecache.validators import fresh_validators

RENDER_LOCK_SECONDS = 10  # a render still going after this long no longer holds the others back
RENDER_POLL_SECONDS = 0.01


def reader_view(view):
    """A page readers only read: GET and HEAD, anything else is a 405 naming them. No CSRF check is needed
    (nothing is written), so PUT or DELETE get the 405, not a CSRF refusal."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in READER_METHODS:
            response = render(request, "405.html", {"allowed": " or ".join(READER_METHODS)}, status=405)
            response["Allow"] = ", ".join(READER_METHODS)
            return response
        return view(request, *args, **kwargs)

    return csrf_exempt(wrapped)


def validated(view):
    """A reader page that is not stored here but answers conditional requests: its Last-Modified is kept
    honest (``fresh_validators``), and methods other than GET and HEAD get a 405."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return fresh_validators(view(request, *args, **kwargs), generation())

    return reader_view(wrapped)


def _await_render(key, lock):
    """The page another process is rendering right now, once it is stored; None when that render is over
    without storing it (an error, a 404) or takes longer than NEWSROOM_RENDER_WAIT_SECONDS."""
    deadline = time.monotonic() + settings.NEWSROOM_RENDER_WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(RENDER_POLL_SECONDS)
        stored = deadlines.look_up(key)
        if stored is not None:
            keep_recent(key, stored)
            return stored
        if cache.get(lock) is None:
            return None
    return None


def _signed_in(request):
    return settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated


def _labelled(view, token, request, *args, **kwargs):
    """``view``'s response, rendered, with the surrogate keys of what it shows (``pagecache.keys``: a template
    response tags as it renders); when it raises Http404, the keys it tagged so far are left for the error
    page."""
    with keys.collect() as found:
        try:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
        except Http404:
            keys.leave_for_error_page(request, found, token)
            raise
    return keys.label(response, found)


def cache_for_readers(view, variant=None):
    """Store anonymous GET and HEAD responses of ``view`` in the shared cache; staff always bypass it.
    Readers' responses carry the surrogate keys of what they show, stored with the page so that a hit
    says the same.

    ``variant(**url_kwargs)``, when given, is a token made part of the page's key (``middleware.variant_of``):
    a page whose part changes often (a live page's stream) is retired by changing its token, not every page.
    A page whose token changed while it was rendered is neither stored nor kept by an edge."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if _signed_in(request):
            response = fresh_validators(view(request, *args, **kwargs), generation())
            patch_cache_control(response, private=True, no_cache=True)
            patch_vary_headers(response, ["Cookie"])
            return response
        found = lookup(request)  # a hit was answered by ReaderCacheMiddleware, unless the view checks first
        if found is not None and found.stored is not None:
            return serve(request, found.stored, "hit")
        if found is None:
            token, variant_before = generation(), variant_of(request)
            next_change_at = next_change(token)  # a CDN in front keeps the page no longer than it is true
            response = _labelled(view, token, request, *args, **kwargs)
            overtaken = variant_before != variant_of(request)
            return public_headers(fresh_validators(response, token), next_change_at,
                                  rendered_under=OVERTAKEN if overtaken else token)  # fmt: skip
        # One render per page, not one per worker: the first request to miss renders it, the others wait
        # briefly for its result instead of all rendering the same page at once.
        lock = f"{found.key}:rendering"
        rendering = cache.add(lock, os.getpid(), timeout=RENDER_LOCK_SECONDS)
        if not rendering:
            stored = _await_render(found.key, lock)
            if stored is not None:
                return serve(request, stored, "hit, waited")
        try:
            # What the render shows is true until the next change known before it began; a render that
            # ends past that moment is not stored (its deadline has passed).
            deadline = min(time.time() + settings.NEWSROOM_PAGE_CACHE_SECONDS, next_change(found.generation))
            response = _labelled(view, found.generation, request, *args, **kwargs)
            fresh_validators(response, found.generation)
            overtaken = found.variant != variant_of(request)  # asked again: did its token change meanwhile?
            if response.status_code == 200 and not response.cookies and not overtaken:
                if not response.has_header("ETag"):
                    set_response_etag(response)
                frozen = FrozenPage.of(response)
                deadlines.keep(found.key, frozen, deadline)
                keep_recent(found.key, deadlines.Kept(frozen, deadline))
        finally:
            if rendering:
                cache.delete(lock)
        response["X-Cache"] = "miss"
        return public_headers(response, deadline, rendered_under=OVERTAKEN if overtaken else found.generation)

    wrapped.reader_cacheable = True
    wrapped.reader_variant = variant
    return reader_view(wrapped)
