from django.http import HttpResponsePermanentRedirect

from articles.models import ArticleAlias


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
