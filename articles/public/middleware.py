from django.http import HttpResponsePermanentRedirect
from django.utils.encoding import iri_to_uri

from articles.models import ArticleAlias


class AliasRedirectMiddleware:
    """Old addresses of an article (earlier slugs, imported Hugo aliases) answer 301 to where it lives now.

    Like django.contrib.redirects, it only looks when nothing else answered; unlike it, an alias points at
    the article itself, so it follows later slug changes and never reveals an unpublished article. An address
    under an article's old one (``/articles/<old>/live/updates.json``: what other apps serve under an article's
    address) moves with it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        path = ArticleAlias.normalize(request.path)
        if "\x00" in path:  # "%00" spelled out in the address: no alias holds it
            return response
        found, rest = _alias(path), ""
        if found is None and path.startswith("/articles/") and path.count("/") > 3:
            head = "/".join(path.split("/")[:3]) + "/"
            found, rest = _alias(head), path[len(head) :].rstrip("/") + ("/" if request.path.endswith("/") else "")
        if found is None:
            return response
        article = found.article
        if article.is_published() or article.is_gone():
            return HttpResponsePermanentRedirect(article.get_absolute_url() + iri_to_uri(rest))
        return response


def _alias(path):
    return ArticleAlias.objects.select_related("article").filter(path=path).first()
