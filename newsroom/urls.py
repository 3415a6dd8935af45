from django.conf import settings
from django.contrib import admin
from django.http import Http404
from django.urls import include, path, re_path
from django.views.static import serve

from api.views import unknown_address
from articles.site.middleware import shows_no_times
from newsroom import health

handler400 = "articles.public.errors.bad_request"
handler403 = "articles.public.errors.permission_denied"
handler404 = "articles.public.errors.page_not_found"
handler500 = "articles.public.errors.server_error"

urlpatterns = [
    path("healthz", shows_no_times(health.healthz), name="healthz"),
    path("readyz", shows_no_times(health.readyz), name="readyz"),
    # Browsers ask for /favicon.ico on pages that name no icon (the admin's).
    path("favicon.ico", shows_no_times(health.favicon), name="favicon"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    re_path(r"^api/", unknown_address),  # an API version or address that does not exist: a problem, not a page
    path("", include("newsletters.public.urls")),
    path("", include("about.urls")),
    path("", include("live.public.urls")),  # before the articles' addresses it extends
    path("", include("articles.public.urls")),
]


def serve_media(request, path):
    """Uploads served by Django: for development and `make serve` only. Production serves them from the web
    server in front or from object storage (S3) directly."""
    try:
        return serve(request, path, document_root=settings.MEDIA_ROOT)
    except OSError:  # a name the file system refuses (too long, say) names no file
        raise Http404("No such file") from None


if settings.DEBUG or settings.NEWSROOM_SERVE_MEDIA:
    urlpatterns += [re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.*)$", serve_media)]
