from django.http import HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils import timezone

from articles.models import ArticleAlias, SiteSettings


class AliasRedirectMiddleware:
    """Old addresses of an article (earlier slugs, imported Hugo aliases) answer 301 to where it lives now.

    Like django.contrib.redirects, it only looks when nothing else answered; unlike it, an alias points at
    the article itself, so it follows later slug changes and never reveals an unpublished article.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        alias = ArticleAlias.objects.select_related("article").filter(path=ArticleAlias.normalize(request.path)).first()
        if alias is None:
            return response
        article = alias.article
        if article.is_published() or article.is_gone():
            return HttpResponsePermanentRedirect(article.get_absolute_url())
        return response


class AdminTimeZoneMiddleware:
    """The admin shows and reads times in the site's display time zone (its settings), as readers see them:
    the workflow log, the desk, messages and the date fields an editor types into."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = None

    def __call__(self, request):
        if self.prefix is None:
            self.prefix = reverse("admin:index")
        if not request.path.startswith(self.prefix) or not request.user.is_authenticated:
            return self.get_response(request)  # the login page shows no times
        with timezone.override(SiteSettings.current().zone):
            return self.get_response(request)
