"""Who calls the content API, and whether they may now: the one home of the API's keys and rate limits.

``check(request)`` answers with a ``Caller`` or raises ``Refused``; every endpoint asks it first. A key comes in
``Authorization: Bearer <key>`` or ``X-API-Key: <key>``; a call with neither is anonymous and sees what readers
see. A call whose key is refused is counted as one from its address, as an anonymous call is."""

from typing import NamedTuple

from api import limits
from api.models import ApiKey

UNKNOWN = "The API key is not one this site issued, or not the whole of one: check it was copied in full."
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="api"'}


class Caller(NamedTuple):
    """An anonymous caller (``key`` None) sees what readers see; a key with the drafts scope sees every article."""

    key: object = None
    drafts: bool = False


class Refused(Exception):
    """The call is refused: ``status`` (401, 403, 429), a message naming the problem, and headers to send."""

    def __init__(self, status, message, headers=None):
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


def presented_key(request):
    """The key text the request carries, None when it carries none; Refused when it says so wrongly."""
    authorization = request.headers.get("Authorization")
    header_key = request.headers.get("X-API-Key")
    bearer = None
    if authorization is not None:
        scheme, _, value = authorization.strip().partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise Refused(401, "The Authorization header must read “Bearer <API key>”.", CHALLENGE)
        bearer = value.strip()
    if header_key is not None and not header_key.strip():
        raise Refused(401, "The X-API-Key header is empty: send the API key in it, or leave it out.", CHALLENGE)
    if bearer is not None and header_key is not None and bearer != header_key.strip():
        raise Refused(401, "Two different API keys were sent (Authorization and X-API-Key): send one.", CHALLENGE)
    return bearer or (header_key.strip() if header_key is not None else None)


def check(request):
    try:
        key = _key_of(request)
    except Refused:
        _limit(request, None)  # a refused key counts as a call from its address: trying keys is no free lookup
        raise
    _limit(request, key)
    if key is None:
        return Caller()
    key.used()
    return Caller(key, drafts=key.reads_drafts)


def _key_of(request):
    """The issued, unrevoked key the request presents, None when it presents none; Refused (401) otherwise."""
    text = presented_key(request)
    if text is None:
        return None
    key = ApiKey.find(text)
    if key is None:
        raise Refused(401, UNKNOWN, CHALLENGE)
    if key.is_revoked():
        raise Refused(401, "This API key was revoked: ask the newsroom's editors for a new one.", CHALLENGE)
    return key


def _limit(request, key):
    """Count the call (by ``key``, or by address without one); Refused (429) past the limit."""
    seconds = limits.wait_for(request, key)
    if seconds is not None:
        whom = "this API key" if key is not None else "this address without an API key"
        raise Refused(429, f"Too many calls by {whom}: try again in {seconds} s.", {"Retry-After": str(seconds)})
