"""One page of a list, as every list endpoint answers it: the rows, and the address of the next page (in the
body and in a ``Link`` header)."""

import datetime as dt

from django.utils import timezone

from api import http, pages
from articles.models import SiteSettings


def page(request, endpoint, queryset, order, *, limit, cursor):
    """(rows, next address or None) of ``queryset`` in ``order`` (``pages.Order``)."""
    seen = "drafts" if request.api_caller.drafts else "public"  # a cursor holds for the articles it was given
    list_id = pages.list_name(request, f"{endpoint}:{seen}")
    found = pages.take(queryset, order, cursor=cursor, limit=limit, list_id=list_id)
    address = None
    if found.next_cursor:
        query = request.GET.copy()
        query["cursor"] = found.next_cursor
        address = SiteSettings.current().absolute(f"{request.path}?{query.urlencode()}")
        http.link_next(request, address)
    return found.rows, address


def aware(moment):
    """A time given without a zone is read as UTC."""
    if moment is not None and timezone.is_naive(moment):
        return timezone.make_aware(moment, dt.UTC)
    return moment
