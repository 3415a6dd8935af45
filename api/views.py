"""The answer to an address under /api/ the API does not have."""

from api import http, problems


def unknown_address(request, *args, **kwargs):
    """A 404 problem naming the address (with the docs' address to look up the known ones)."""
    detail = f"The API has no address {request.path}: see /api/v1/docs for those it has."
    return http.cors(request, problems.response(404, detail))
