"""How often one client (its address, as ``newsroom.middleware.client_ip`` finds it behind the proxies) may use
the forms that send e-mail: ``NEWSROOM_NEWSLETTER_SIGNUPS_PER_HOUR``, counted in the shared cache so that every
worker and server counts together (``articles.admin.throttle``). An IPv6 client is counted by its /64 network,
which one host commonly has whole: counting each address would give it as many tries as it has addresses."""

import ipaddress

from django.conf import settings
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from articles.admin.throttle import retry_after
from newsroom.middleware import client_ip

HOUR = 3600
IPV6_PREFIX = 64


def client(request):
    """Who is counted: the client's IPv4 address (also when mapped into IPv6), or its IPv6 /64 network, written
    one way whatever way it came; anything else as it came."""
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


def refused(request):
    """Count one use by the request's client: None when allowed, else the 429 page saying when to try again."""
    seconds = retry_after("newsletter-signup", client(request),
                          limit=settings.NEWSROOM_NEWSLETTER_SIGNUPS_PER_HOUR, period=HOUR)  # fmt: skip
    if seconds is None:
        return None
    minutes = max(1, round(seconds / 60))
    response = render(request, "newsletters/too_many.html", {"minutes": minutes, "noindex": True}, status=429)
    response["Retry-After"] = str(seconds)
    add_never_cache_headers(response)
    return response
