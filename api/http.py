"""What every API address does around its endpoint: the methods it answers (GET, HEAD, and OPTIONS for a CORS
preflight), the caller's access (``api.access.check``, asked first), CORS, the page cache for anonymous calls,
validators and 304s, and the headers that keep a key's answers out of shared caches."""

import hashlib
from functools import wraps

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe
from django.views.decorators.csrf import csrf_exempt

from api import access, problems
from pagecache.decorators import cache_for_readers
from pagecache.generation import generation
from pagecache.middleware import ALL_PARAMETERS
from pagecache.validators import fresh_validators

METHODS = ("GET", "HEAD")
EXPOSED = "ETag, Last-Modified, Link, Retry-After"
ASKED_HEADERS = "Authorization, X-API-Key, If-None-Match, If-Modified-Since"  # a key travels in either (api.access)
PREFLIGHT_SECONDS = 86400
VARY = ["Authorization", "X-API-Key"]  # what carries a key (api.access)
ANSWERS = ("application/json", "application/problem+json")


def modified(request, *moments):
    """Say when what the response shows last changed (its Last-Modified): the latest of ``moments``."""
    known = [moment for moment in (getattr(request, "_api_modified", None), *moments) if moment is not None]
    request._api_modified = max(known) if known else None


def link_next(request, url):
    """Name the next page: a ``Link: <url>; rel="next"`` header."""
    request._api_next = url


def _validated(view):
    """The endpoint's answer with its validators: an ETag of its bytes, and its Last-Modified and Link when
    the endpoint told them (``modified``, ``link_next``)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            response["ETag"] = f'"{hashlib.blake2b(response.content, digest_size=12).hexdigest()}"'
            when = getattr(request, "_api_modified", None)
            if when is not None:
                response["Last-Modified"] = http_date(when.timestamp())
        if getattr(request, "_api_next", None):
            response["Link"] = f'<{request._api_next}>; rel="next"'
        return response

    return wrapped


def cors(request, response):
    """Let browsers on the allowed origins (``NEWSROOM_API_CORS_ORIGINS``) read the answer, without credentials."""
    allowed = settings.NEWSROOM_API_CORS_ORIGINS
    origin = request.headers.get("Origin")
    if "*" in allowed:
        response["Access-Control-Allow-Origin"] = "*"
    else:
        patch_vary_headers(response, ["Origin"])
        if origin in allowed:
            response["Access-Control-Allow-Origin"] = origin
    if response.has_header("Access-Control-Allow-Origin"):
        response["Access-Control-Expose-Headers"] = EXPOSED
    return response


def preflight(request):
    response = HttpResponse(status=204)
    response["Allow"] = ", ".join((*METHODS, "OPTIONS"))
    response["Access-Control-Allow-Methods"] = ", ".join(METHODS)
    response["Access-Control-Allow-Headers"] = ASKED_HEADERS
    response["Access-Control-Max-Age"] = str(PREFLIGHT_SECONDS)
    return cors(request, response)


def _conditional(request, response):
    if response.status_code != 200:
        return response
    modified_at = parse_http_date_safe(response["Last-Modified"]) if response.has_header("Last-Modified") else None
    return get_conditional_response(request, etag=response.get("ETag"), last_modified=modified_at, response=response)


def endpoint(view, variant=None, answers=ANSWERS):
    """An API address around the endpoint ``view`` (a ninja view): see the module's docstring.

    Anonymous calls go through the page cache (``cache_for_readers``), looked up only after the access check
    (``reader_checks_first``) and keyed by every query parameter; a key's calls never touch it, and their
    answers are ``private`` (kept by no shared cache; the caller revalidates its own copy) and vary by the headers
    that carry a key. ``variant``: as ``cache_for_readers``' (a live page's stream); ``answers``: the media types
    the address answers in, first the one it names in a 406."""
    validated = _validated(view)
    cached = cache_for_readers(validated, variant=variant)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "OPTIONS":
            return preflight(request)
        if request.method not in METHODS:
            allow = ", ".join((*METHODS, "OPTIONS"))
            detail = f"{request.method} is not allowed here: the API is read-only ({allow})."
            return cors(request, problems.response(405, detail, headers={"Allow": allow}))
        if not any(request.accepts(kind) for kind in answers):
            return cors(request, problems.response(406, f"This address answers only in {answers[0]}."))
        try:
            request.api_caller = access.check(request)
        except access.Refused as refused:
            return cors(request, problems.response(refused.status, refused.message, headers=refused.headers))
        head, request.method = request.method == "HEAD", "GET"
        if request.api_caller.key is None:
            response = cached(request, *args, **kwargs)
            patch_vary_headers(response, VARY)
        else:
            response = fresh_validators(validated(request, *args, **kwargs), generation())
            patch_cache_control(response, private=True, no_cache=True)  # kept by the caller alone, revalidated
            patch_vary_headers(response, VARY)
        response = cors(request, _conditional(request, response))
        if head:
            request.method = "HEAD"
            response.content = b""
        return response

    wrapped.reader_cacheable = True
    wrapped.reader_variant = variant
    wrapped.reader_parameters = ALL_PARAMETERS
    wrapped.reader_checks_first = True
    return csrf_exempt(wrapped)
