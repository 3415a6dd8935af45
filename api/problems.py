"""Errors as RFC 9457 problem details (``application/problem+json``): the status, its title, a detail naming
the problem and, when one parameter is at fault, its name. Every refusal of the API is one of these."""

import json
from http import HTTPStatus

from django.http import HttpResponse
from ninja import Schema

CONTENT_TYPE = "application/problem+json"


class ProblemOut(Schema):
    """A problem, as the schema documents it."""

    type: str
    title: str
    status: int
    detail: str
    parameter: str | None = None


class Problem(Exception):
    """Raised by an endpoint or a helper: answered as a problem with ``status``, ``detail`` and, when given,
    the ``parameter`` at fault and headers to send."""

    def __init__(self, status, detail, parameter=None, headers=None):
        super().__init__(detail)
        self.status, self.detail, self.parameter, self.headers = status, detail, parameter, headers or {}


def response(status, detail, parameter=None, headers=None):
    """A problem response. Its type is ``about:blank``: the status says what kind of problem it is, the detail
    and the parameter which one."""
    body = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status, "detail": detail}
    if parameter is not None:
        body["parameter"] = parameter
    answer = HttpResponse(json.dumps(body), status=status, content_type=CONTENT_TYPE)
    for name, value in (headers or {}).items():
        answer[name] = value
    return answer


def of(problem):
    return response(problem.status, problem.detail, problem.parameter, problem.headers)


def from_validation(errors):
    """A 400 for ninja's validation errors: the first error, named by the parameter it is about."""
    first = errors[0] if errors else {}
    location = [str(part) for part in first.get("loc", ()) if part not in ("query", "path", "body")]
    parameter = location[0] if location else None
    message = first.get("msg", "Invalid input").rstrip(".")
    return response(400, f"{parameter}: {message}." if parameter else f"{message}.", parameter)
