"""Last-Modified kept honest: never older than the last change readers could see."""

import math
import time

from django.utils.http import http_date, parse_http_date_safe

from pagecache.schedule import changed_at


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
