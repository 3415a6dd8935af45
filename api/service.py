"""The content API (django-ninja): its endpoints, its OpenAPI schema at ``openapi.json`` and its docs page at
``docs``, and every error as a problem (``api.problems``), ninja's own included."""

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from api import docs, problems
from api.endpoints import articles, people, pictures

PROBLEM_STATUSES = ("400", "401", "403", "404", "405", "406", "410", "429")


class ContentAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """Ninja's schema, with every operation's problems (``application/problem+json``) and its 304."""
        schema = super().get_openapi_schema(*args, **kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = problems.ProblemOut.json_schema()
        problem = {"content": {problems.CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}}
        for operations in schema["paths"].values():
            for operation in operations.values():
                answers = operation.setdefault("responses", {})
                answers["304"] = {"description": "Not Modified: the copy the caller holds is current."}
                for status in PROBLEM_STATUSES:
                    answers[status] = {"description": problems.HTTPStatus(int(status)).phrase, **problem}
        return docs.document(schema)


service = ContentAPI(
    title="Newsroom content API",
    version="1",
    description=docs.DESCRIPTION,
    docs=docs.PAGE,
    urls_namespace="api",
)
for router in (articles.router, people.router, pictures.router):
    service.add_router("/", router)


@service.exception_handler(problems.Problem)
def problem(request, exc):
    return problems.of(exc)


@service.exception_handler(ValidationError)
def invalid(request, exc):
    return problems.from_validation(exc.errors)


@service.exception_handler(Http404)
def not_found(request, exc):
    return problems.response(404, str(exc) or "Nothing here.")


@service.exception_handler(HttpError)
def refused(request, exc):
    return problems.response(exc.status_code, str(exc))
