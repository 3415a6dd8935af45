"""The edge settings checked at start: a purge address that is not http or https, or edges without the secret
they require, is an error, not a purge that silently never arrives."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, register


@register()
def purge_urls_check(app_configs, **kwargs):
    errors = []
    for url in settings.NEWSROOM_EDGE_PURGE_URLS:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            errors.append(
                Error(
                    f"NEWSROOM_EDGE_PURGE_URLS names {url!r}, which is not an http or https address.",
                    hint="Give each edge's address, comma-separated, e.g. http://127.0.0.1:6081/",
                    id="edge.E001",
                )
            )
    if settings.NEWSROOM_EDGE_PURGE_URLS and not settings.NEWSROOM_EDGE_PURGE_SECRET:
        errors.append(
            Error(
                "NEWSROOM_EDGE_PURGE_URLS names edges but NEWSROOM_EDGE_PURGE_SECRET is empty: every purge would be "
                "refused, and pages would stay at the edge for NEWSROOM_EDGE_SECONDS.",
                hint="Set NEWSROOM_EDGE_PURGE_SECRET to the secret the edges hold.",
                id="edge.E003",
            )
        )
    if settings.NEWSROOM_EDGE_SECONDS <= 0:
        errors.append(Error("NEWSROOM_EDGE_SECONDS must be a positive number of seconds.", id="edge.E002"))
    return errors
