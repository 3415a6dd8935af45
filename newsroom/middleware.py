"""Requests no page can answer are refused before any view or query sees them."""

import ipaddress
import re

from django.conf import settings
from django.core.exceptions import BadRequest, SuspiciousOperation
from django.utils.cache import patch_cache_control

IPV6_PREFIX = 64
SHARE_TOKEN = re.compile(r"(/share/|/newsletters/(?:confirm|preferences|unsubscribe)/)[^/\s?#]+")


class RejectNulMiddleware:
    """A NUL character in the path or the query string is a 400: no address or search contains one, and
    PostgreSQL cannot even compare text with it. So is a form declared in another encoding than UTF-8, which
    Django will not decode (and which no page of this site sends)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            raise SuspiciousOperation("NUL character in the request address")
        charset = request.content_params.get("charset", "utf-8").strip().lower()
        if request.content_type == "application/x-www-form-urlencoded" and charset not in ("utf-8", "utf8"):
            raise BadRequest(f"form data in {charset[:40]!r}: forms must be sent as UTF-8")
        return self.get_response(request)


def client_ip(request):
    """The client's address: REMOTE_ADDR, or, behind ``NEWSROOM_TRUSTED_PROXIES`` proxies that each append to
    X-Forwarded-For, the address the outermost of them saw. Never more hops than configured: the rest of the
    header is whatever the client chose to send."""
    hops = settings.NEWSROOM_TRUSTED_PROXIES
    if hops:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR")


def counted_client(request):
    """Who a rate limit counts: the client's IPv4 address (also when mapped into IPv6), or its IPv6 /64 network,
    written one way whatever way it came; anything else as it came. One host commonly has a /64 whole: counting
    each address would give it as many tries as it has addresses."""
    found = client_ip(request) or "unknown"
    try:
        address = ipaddress.ip_address(found)
    except ValueError:
        return found
    if address.version == 6 and address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    if address.version == 6:
        return str(ipaddress.IPv6Network((int(address) >> (128 - IPV6_PREFIX) << (128 - IPV6_PREFIX), IPV6_PREFIX)))
    return str(address)


class ExplicitCacheControlMiddleware:
    """Redirects and errors say how long they may be kept (not at all), so that a CDN that keeps 404s cannot
    hide an article after it goes live. Pages that say otherwise (reader pages, bounded by the next scheduled
    change) keep what they say."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code >= 300 and not response.has_header("Cache-Control"):
            patch_cache_control(response, no_cache=True, max_age=0)
        return response


def loggable(text):
    """``text`` (a path, a log message) as logs may keep it: share-link tokens are secrets (whoever has one
    reads the draft), as are a newsletter subscriber's link tokens (their preferences and data)."""
    return SHARE_TOKEN.sub(r"\1[token]", text) if "/share/" in text or "/newsletters/" in text else text
