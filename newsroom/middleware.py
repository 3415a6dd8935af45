"""Requests no page can answer are refused before any view or query sees them."""

from django.core.exceptions import SuspiciousOperation


class RejectNulMiddleware:
    """A NUL character in the path or the query string is a 400: no address or search contains one, and
    PostgreSQL cannot even compare text with it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            raise SuspiciousOperation("NUL character in the request address")
        return self.get_response(request)
