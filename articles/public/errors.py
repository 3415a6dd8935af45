"""The site's own error pages, written so that rendering them cannot fail in turn.

None of them reads the request's form (its body may be in an encoding that cannot be decoded, which is why
the request failed) or, for 500 and 503, touches the database (which may be why it failed).
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils import translation

from articles.models import surrogates as names
from pagecache import keys
from pagecache.generation import generation
from pagecache.middleware import public_headers
from pagecache.schedule import next_change

RETRY_AFTER_SECONDS = 5
DATABASE_DOWN = (OperationalError, InterfaceError)


def _standalone(status, **context):
    """500.html alone: no request context, so no context processor, session or query runs."""
    from articles.models import SiteSettings

    context |= {"site_name": SiteSettings.last_known().name, "language": translation.get_language() or "en"}
    response = HttpResponse(loader.render_to_string("500.html", context), status=status)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request):
    """500, or 503 with Retry-After when the database is unreachable or its connection was cut: the request's
    transaction was rolled back, so trying again shortly is safe."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_DOWN):
        response = _standalone(
            503,
            heading="Back in a moment",
            message="The site cannot reach its database just now. Nothing you sent was half-saved: please try "
            "again in a few seconds.",
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return _standalone(500)


def bad_request(request, exception):
    return render(request, "400.html", status=400)


def permission_denied(request, exception):
    return render(request, "403.html", status=403)


def page_not_found(request, exception):
    """Django's own handler checks the CSRF token first, which reads the form: a body in another encoding
    then turned a 404 into a 500. Nothing here needs a token (the page's only form is a GET search).

    A reader page's 404 carries the surrogate keys of what it shows and of what its view had found before it
    gave up (an empty section's list, say), and ``surrogates.MISSING``: a publication can make it answer; and,
    as any reader page, the headers saying how long shared caches and the edge may keep it."""
    left = keys.pending(request)
    with keys.collect() as found:
        response = render(request, "404.html", status=404)
    if left is None:
        return response
    tagged, rendered_under = left
    response = keys.label(response, found | tagged | {names.MISSING})
    return public_headers(response, next_change(generation()), rendered_under=rendered_under)


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", {"reason": reason}, status=403)
