"""Endpoints for a load balancer: is the process up, and can it serve (database and cache answer)?"""

import secrets

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    """The process answers. Touches nothing else: also the benchmark's floor."""
    return HttpResponse("ok\n", content_type="text/plain")


@never_cache
def readyz(request):
    """200 when the database answers, else 503 naming what failed. The cache is reported too, but a cache
    that does not answer only degrades the site (pages are rendered uncached), so it does not fail the check:
    taking every server out of the load balancer because Redis is down would take the site down with it."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as error:  # noqa: BLE001 - any failure means not ready, and is reported
        checks["database"] = f"error: {type(error).__name__}"
    try:
        token = secrets.token_hex(4)
        cache.set("newsroom:readyz", token, timeout=10)
        checks["cache"] = "ok" if cache.get("newsroom:readyz") == token else "degraded: not answering"
    except Exception as error:  # noqa: BLE001
        checks["cache"] = f"degraded: {type(error).__name__}"
    ready = checks["database"] == "ok"
    return JsonResponse({"ready": ready, **checks}, status=200 if ready else 503)


def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (the admin's): point them at the site's."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))
