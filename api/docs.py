"""What the schema and its docs page tell a developer beyond the endpoints' own words: the API's conventions,
the parameters every list shares and the fields of a problem."""

from ninja import Swagger

from api import pages

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
# No deep links: Swagger UI puts them inside each endpoint's button, a link within a button.
PAGE = Swagger(settings={"deepLinking": False})


def document(schema):
    """Add the shared parameters' descriptions and the problem's fields to ``schema``. The keys are told of in the
    description, not as security schemes: Swagger UI's dialog for them fails axe-core (an unnamed button)."""
    described = LIST_PARAMETERS | PATH_PARAMETERS
    for operations in schema["paths"].values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["name"] in described and not parameter.get("description"):
                    parameter["description"] = described[parameter["name"]]
    for name, field in schema["components"]["schemas"]["Problem"]["properties"].items():
        field.setdefault("description", PROBLEM_FIELDS[name])
    return schema
