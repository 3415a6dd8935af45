"""The article admin's pages and JSON endpoints of their own, each a view given the ``ArticleAdmin`` it serves
(as Django's ``AutocompleteJsonView`` is given its admin site): ``ArticleAdmin.get_urls`` wires them under the
admin's URL names. The admin asks whose articles a user may open; these views only answer."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.views import View

from articles.workflow import transitions


class ArticleAdminView(View):
    """A view of the article admin: ``model_admin`` is the ``ArticleAdmin`` whose queryset and permissions it uses.

    A method a view does not answer is refused like a request without the right (403), as the admin's own
    endpoints always did, not with a 405 naming the methods it does answer."""

    model_admin = None

    def http_method_not_allowed(self, request, *args, **kwargs):
        raise PermissionDenied

    def options(self, request, *args, **kwargs):
        raise PermissionDenied

    def editable_article(self, request, pk):
        """The article ``pk`` among those this user sees in the admin, refused unless they may edit it."""
        article = get_object_or_404(self.model_admin.get_queryset(request), pk=pk)
        if not transitions.can_edit(article, request.user):
            raise PermissionDenied
        return article
