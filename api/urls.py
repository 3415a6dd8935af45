"""The content API's addresses, under /api/v1/ (``newsroom.urls``): ninja's, each behind ``api.http.endpoint``,
and a problem for any other address under /api/."""

from django.urls import URLPattern, re_path

from api import http, views
from api.service import service

app_name = "api"
patterns = service.urls[0]


def _callback(pattern):
    # ninja names its prefix "api-root" (and reverses it for the schema's paths); nothing is there but a problem
    return views.unknown_address if pattern.name == "api-root" else http.endpoint(pattern.callback)


urlpatterns = [
    URLPattern(pattern.pattern, _callback(pattern), pattern.default_args, pattern.name) for pattern in patterns
]
urlpatterns.append(re_path(r"", views.unknown_address, name="unknown"))
