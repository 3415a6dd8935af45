"""What the schema and its docs page tell a developer beyond the endpoints' own words: the API's conventions,
the parameters every list shares and the fields of a problem."""

from http import HTTPStatus

from ninja import Swagger

from api import pages, problems

DESCRIPTION = f"""What readers see, as JSON: articles, sections, tags, authors, pictures, corrections and the
updates of live pages. Read-only: GET and HEAD.

## Keys

Without a key, every call answers exactly what readers see on the site. A key (made by the newsroom's editors,
`nr_<prefix>_<secret>`) goes in `Authorization: Bearer <key>` or in `X-API-Key: <key>`. Its scope is
`read-public` (what readers see) or `read-drafts` (every article, whatever its state, and `include=source`).
An unknown, cut or revoked key is a 401; a call the key's scope does not allow is a 403.

## Pages

Lists are pages by cursor, newest first (sections, tags and authors by name): `limit` sets the page's length
(1 to {pages.LARGEST_LIMIT}, {pages.DEFAULT_LIMIT} when not given), and `next` holds the whole address of the
next page (also sent as `Link: <…>; rel="next"`), or `null` on the last page. Follow it as it is: a cursor
changed, made up, or used with other filters is a 400.

## Caching

Every answer has an `ETag` (and a `Last-Modified` where it is known): send it back in `If-None-Match` (or
`If-Modified-Since`) and a copy that is still current earns a 304 with no body. Answers to a key are `private`.

## Rate limits

Calls are counted per key, and per address for calls without one. Past the limit, a 429 whose `Retry-After`
header gives the seconds to wait.

## Errors

Every error is an RFC 9457 problem, `application/problem+json`: `status`, `title` (the status's name),
`detail` (what went wrong, in a sentence meant to be shown to a developer) and, when one parameter is at fault,
`parameter` (its name):

- 400: a parameter is wrong (the detail says how);
- 401: the key is not accepted (unknown, cut, or revoked);
- 403: the key's scope does not allow the call;
- 404: nothing at this address;
- 405: a method other than GET or HEAD;
- 406: the caller accepts no JSON;
- 410: an article withdrawn (the detail carries the newsroom's note);
- 429: past the rate limit (wait `Retry-After` seconds).
"""

LIST_PARAMETERS = {
    "limit": f"How many items a page holds: 1 to {pages.LARGEST_LIMIT} ({pages.DEFAULT_LIMIT} when not given).",
    "cursor": "Where the page starts: take it from the previous page's `next` address, never make it up.",
}
PATH_PARAMETERS = {
    "article_id": "The article's id, as `id` in a list gives it.",
    "picture_id": "The picture's id, as `id` in a list gives it.",
    "slug": "The slug, as `slug` in the list gives it (the last part of the page's address on the site).",
}
PROBLEM_FIELDS = {
    "type": "Always `about:blank`: the status says what kind of problem it is.",
    "title": "The status's name, e.g. `Bad Request`.",
    "status": "The HTTP status, as in the answer's status line.",
    "detail": "What went wrong, and what to do about it, in a sentence.",
    "parameter": "The query or path parameter at fault, when one is (e.g. `cursor`).",
}
# In the descriptions rather than as examples: Swagger UI would fill its "Try it out" form with every one of them.
QUERY_EXAMPLES = {
    "section": "politics", "kind": "opinion", "tag": "elections", "author": "ana-ruiz",
    "published_since": "2026-01-01T00:00:00Z", "updated_since": "2026-06-01T12:00:00Z", "q": "harbour wall",
}  # fmt: skip
PROBLEM_DETAILS = {
    "400": ("limit: Input should be less than or equal to 100.", "limit"),
    "401": ("The API key is not one this site issued, or not the whole of one: check it was copied in full.", None),
    "403": ("include=source needs a key with the drafts scope.", "include"),
    "404": ("No article 99999.", None),
    "405": ("POST is not allowed here: the API is read-only (GET, HEAD, OPTIONS).", None),
    "406": ("This address answers only in application/json.", None),
    "410": ("Article 7 was withdrawn. It named the wrong councillor.", "article_id"),
    "429": ("Too many calls by this API key: try again in 42 s.", None),
}


def problem_example(status):
    detail, parameter = PROBLEM_DETAILS[status]
    example = {"type": "about:blank", "title": HTTPStatus(int(status)).phrase, "status": int(status), "detail": detail}
    return example | ({"parameter": parameter} if parameter else {})


# No deep links: Swagger UI puts them inside each endpoint's button, a link within a button. No syntax colours:
# its themes colour numbers below WCAG AA's contrast on their dark ground.
PAGE = Swagger(settings={"deepLinking": False, "syntaxHighlight": False})


def document(schema):
    """Add the shared parameters' descriptions, the filters' and problems' examples and the problem's fields to
    ``schema``. The keys are told of in the description, not as security schemes: Swagger UI's dialog for them
    fails axe-core (an unnamed button)."""
    described = LIST_PARAMETERS | PATH_PARAMETERS
    for operations in schema["paths"].values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["name"] in described and not parameter.get("description"):
                    parameter["description"] = described[parameter["name"]]
                if parameter["in"] == "query" and parameter["name"] in QUERY_EXAMPLES:
                    parameter["description"] += f" For example `{QUERY_EXAMPLES[parameter['name']]}`."
            for status, answer in operation["responses"].items():
                if status in PROBLEM_DETAILS:  # each its own content: the operations' answers share one
                    shown = {**answer["content"][problems.CONTENT_TYPE], "example": problem_example(status)}
                    answer["content"] = {problems.CONTENT_TYPE: shown}
    for name, field in schema["components"]["schemas"]["Problem"]["properties"].items():
        field.setdefault("description", PROBLEM_FIELDS[name])
    return schema
