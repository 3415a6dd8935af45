"""One page of a list, as every list endpoint answers it: the rows, and the address of the next page (in the
body and in a ``Link`` header)."""

import datetime as dt
from typing import Annotated

from django.utils import timezone
from ninja import Query

from api import http, pages
from api.problems import Problem
from articles.models import SiteSettings

# Every list's page size and cursor, declared once: ``limit: Limit = pages.DEFAULT_LIMIT, cursor: Cursor = None``.
Limit = Annotated[int, Query(ge=1, le=pages.LARGEST_LIMIT)]
Cursor = Annotated[str | None, Query()]


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


def since(moment, parameter):
    """``moment`` (a ``*_since`` parameter) in UTC, a time without a zone read as UTC; a 400 naming the parameter
    for a time that is no date in UTC (a year 1 ahead of it, a year 9999 behind)."""
    if moment is None:
        return None
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=dt.UTC)
    try:
        return moment.astimezone(dt.UTC)
    except OverflowError:
        raise Problem(
            400, f"{parameter}: {moment.isoformat()} is beyond the dates this API knows.", parameter
        ) from None
