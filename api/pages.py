"""Cursor pagination: keyset pages, newest (or first) first, with no ``COUNT(*)`` and no offset, so a page costs
the same deep in an archive of any size and an insert between two calls neither repeats nor skips a row.

A cursor is opaque to callers: the last row's sort value and id, and which list it belongs to (the endpoint and
its filters), signed. A cursor that was tampered with, made up, or taken from another list is a 400."""

import hashlib
from typing import NamedTuple

from django.core import signing
from django.db.models import F, Q
from django.utils.dateparse import parse_datetime

from api.problems import Problem

SALT = "api.cursor"
DEFAULT_LIMIT = 20
LARGEST_LIMIT = 100


class Order(NamedTuple):
    """How a list is walked: by ``field`` (descending or not), then by id the same way. Empty values come last
    when the list may hold any (``nullable``); a list that holds none is ordered as its index is."""

    field: str
    descending: bool = True
    is_time: bool = True
    nullable: bool = False


class Page(NamedTuple):
    rows: list
    next_cursor: str | None


def list_name(request, endpoint):
    """Which list a request walks: its endpoint, its address (one live page's updates are not another's) and
    every parameter but the cursor and the limit."""
    kept = sorted((name, value) for name, values in request.GET.lists() if name not in ("cursor", "limit")
                  for value in values)  # fmt: skip
    return hashlib.blake2b(f"{endpoint}|{request.path}|{kept}".encode(), digest_size=8).hexdigest()


def _encode(value, order):
    return value.isoformat() if value is not None and order.is_time else value


def _decode(value, order):
    if value is None or not order.is_time:
        return value
    parsed = parse_datetime(value) if isinstance(value, str) else None
    if parsed is None:
        raise ValueError(value)
    return parsed


def _after(order, value, pk):
    """The rows after (``value``, ``pk``) in ``order``: empty values come last."""
    field = order.field
    if value is None:
        return Q(**{f"{field}__isnull": True, "pk__lt" if order.descending else "pk__gt": pk})
    beyond, tie = ("lt", "pk__lt") if order.descending else ("gt", "pk__gt")
    after = Q(**{f"{field}__{beyond}": value}) | Q(**{field: value, tie: pk})
    return after | Q(**{f"{field}__isnull": True}) if order.nullable else after


def ordered(queryset, order):
    if order.nullable:  # empty values last
        first = F(order.field).desc(nulls_last=True) if order.descending else F(order.field).asc(nulls_last=True)
    else:
        first = f"-{order.field}" if order.descending else order.field
    return queryset.order_by(first, "-pk" if order.descending else "pk")


def take(queryset, order, *, cursor, limit, list_id):
    """One page of ``queryset`` in ``order`` after ``cursor`` (None: the first page)."""
    if cursor:
        try:
            found = signing.loads(cursor, salt=SALT)
            if found["l"] != list_id:
                raise Problem(400, "The cursor belongs to another list: keep the filters of the call it came from.",
                              "cursor")  # fmt: skip
            value, pk = _decode(found["v"], order), int(found["i"])
        except Problem:
            raise
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            raise Problem(400, "The cursor is not one this API gave: use the next link as it is.", "cursor") from None
        queryset = queryset.filter(_after(order, value, pk))
    rows = list(ordered(queryset, order)[: limit + 1])
    if len(rows) <= limit:
        return Page(rows, None)
    rows = rows[:limit]
    last = rows[-1]
    payload = {"l": list_id, "v": _encode(getattr(last, order.field), order), "i": last.pk}
    return Page(rows, signing.dumps(payload, salt=SALT, compress=False))
