"""The content API's addresses, under /api/v1/ (``newsroom.urls``): ninja's, each behind ``api.http.endpoint``,
and a problem for any other address under /api/."""

from django.urls import URLPattern, re_path

from api import http, views
from api.endpoints import articles
from api.service import service

app_name = "api"
# Answers that change more often than the content at large, retired by a token of their own (``cache_for_readers``)
VARIANTS = {"update_list": articles.stream_variant}
patterns = service.urls[0]


def _callback(pattern):
    # ninja names its prefix "api-root" (and reverses it for the schema's paths); nothing is there but a problem
    if pattern.name == "api-root":
        return views.unknown_address
    answers = ("text/html",) if pattern.name == "openapi-view" else http.ANSWERS  # the docs page
    return http.endpoint(pattern.callback, variant=VARIANTS.get(pattern.name), answers=answers)


urlpatterns = [
    URLPattern(pattern.pattern, _callback(pattern), pattern.default_args, pattern.name) for pattern in patterns
]
urlpatterns.append(re_path(r"", views.unknown_address, name="unknown"))
