from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView
from taggit.models import Tag

from . import workflow
from .models import Article, Author, ShareLink


class PublishedArticlesMixin:
    """Every reader page starts from Article.objects.published()."""

    paginate_by = 20

    def get_queryset(self):
        return Article.objects.published().with_bylines().newest_first()


class ArticleListView(PublishedArticlesMixin, ListView):
    template_name = "articles/article_list.html"


class ArticleDetailView(PublishedArticlesMixin, DetailView):
    template_name = "articles/article_detail.html"


class AuthorDetailView(PublishedArticlesMixin, ListView):
    template_name = "articles/author_detail.html"

    def get_queryset(self):
        self.author = get_object_or_404(Author, slug=self.kwargs["slug"])
        return super().get_queryset().filter(bylines__author=self.author)

    def get_context_data(self, **kwargs):
        return super().get_context_data(author=self.author, **kwargs)


class TagDetailView(PublishedArticlesMixin, ListView):
    template_name = "articles/tag_detail.html"

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return super().get_queryset().filter(tags=self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


def _preview(request, article, banner):
    response = render(
        request,
        "articles/article_detail.html",
        {"article": article, "preview_banner": banner, "noindex": True},
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
def preview(request, pk):
    """Any article, as readers will see it, for staff who may open it in the admin."""
    if not request.user.is_authenticated:
        raise Http404
    article = get_object_or_404(Article.objects.with_bylines(), pk=pk)
    if not workflow.can_preview(article, request.user):
        raise PermissionDenied
    return _preview(request, article, f"Preview: this article is {workflow.STATE_LABELS[workflow.state(article)]}.")


@never_cache
def share(request, signed):
    """A draft shown through a signed share link, while the link is valid and not revoked."""
    link = ShareLink.from_signed(signed)
    if link is None:
        raise Http404("This preview link is not valid: it may have expired or been revoked.")
    article = Article.objects.with_bylines().get(pk=link.article_id)
    return _preview(
        request, article, f"Shared preview, not yet published. Link valid until {link.expires_at:%Y-%m-%d %H:%M %Z}."
    )
