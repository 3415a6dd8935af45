import datetime as dt
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.http import Http404, HttpResponsePermanentRedirect, QueryDict
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView, TemplateView
from taggit.models import Tag

from articles.models import (
    Article,
    Author,
    Section,
    SectionAlias,
    ShareLink,
    front_page,
    front_page_layout,
)
from articles.models import surrogates as names
from articles.public import feeds, parts, sectionparts, shown
from articles.public.pagination import WindowPaginator
from articles.site import chrome, newsroom_pages
from articles.workflow import transitions
from pagecache.keys import tag
from pagecache.memo import remember


class PublishedArticlesMixin:
    """Every reader page starts from Article.objects.published()."""

    def get_queryset(self):
        return Article.objects.published().with_credits().newest_first()


class ArticleListMixin(PublishedArticlesMixin):
    """Lists of article cards: no bodies loaded, pages without COUNT(*)."""

    paginate_by = 20
    paginator_class = WindowPaginator
    empty_is_404 = False  # a tag or an author with no published article does not exist for readers

    def get_queryset(self):
        return super().get_queryset().for_lists()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        shown.cards(context["object_list"])
        return context

    def paginate_queryset(self, queryset, page_size):
        # Told by the page itself, not by ListView's allow_empty, which asks the database once more first.
        paginator, page, articles, more = super().paginate_queryset(queryset, page_size)
        if self.empty_is_404 and not articles:
            raise Http404("Nothing published here yet.")
        return paginator, page, articles, more


class FrontPageView(TemplateView):
    """The front page as the editors made it: the lead story, the pinned top stories, a block per section
    in the navigation, then the latest of the rest (``front_page``). Further pages are the latest list's."""

    template_name = "articles/front_page.html"

    def get(self, request, *args, **kwargs):
        page = request.GET.get("page", "1")
        if page != "1":
            return HttpResponsePermanentRedirect(
                f"{reverse('articles:latest')}?{QueryDict.fromkeys(['page'], page).urlencode()}"
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        # Which story goes where is worked out once per generation of the page cache (any edit readers could
        # see, a pin's expiry included, works it out again); the stories themselves are read on each render.
        sections = chrome.navigation()
        layout = remember("front-page", lambda: front_page_layout(sections))
        front = front_page(sections, layout)
        shown.cards(front)
        return super().get_context_data(front=front, **kwargs)


class ArticleListView(ArticleListMixin, ListView):
    """Everything published, newest first."""

    template_name = "articles/article_list.html"

    def get_queryset(self):
        tag(names.LATEST)
        return super().get_queryset()


class SectionDetailView(ArticleListMixin, ListView):
    """A section's front: its newest story as the lead, then the rest, newest first. A section with no
    published article does not exist for readers."""

    template_name = "articles/section_detail.html"
    empty_is_404 = True

    def get_queryset(self):
        self.section = get_object_or_404(Section, slug=self.kwargs["slug"])
        tag(names.section(self.section.pk), names.section_list(self.section.pk))
        return super().get_queryset().in_section(self.section)

    def get_context_data(self, **kwargs):
        return super().get_context_data(section=self.section, current_section=self.section, section_front=True,
                                        **sectionparts.section_parts(self.request, self.section), **kwargs)  # fmt: skip


def follow_renamed_section(view):
    """A section's old addresses (its front, its feeds) lead to its current ones: 301, as an article's do."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Http404:
            alias = SectionAlias.objects.select_related("section").filter(slug=kwargs.get("slug")).first()
            if alias is None:
                raise
            tag(names.section(alias.section_id))  # where it leads, should the section be renamed again
        name = f"{request.resolver_match.namespace}:{request.resolver_match.url_name}"
        target = reverse(name, args=args, kwargs=kwargs | {"slug": alias.section.slug})
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(f"{target}?{query}" if query else target)

    return wrapped


class ArticleDetailView(PublishedArticlesMixin, DetailView):
    template_name = "articles/article_detail.html"

    def get_queryset(self):
        return super().get_queryset().prefetch_related("corrections")

    def get(self, request, *args, **kwargs):
        try:
            self.object = self.get_object()
        except Http404:
            gone = Article.objects.withdrawn().filter(slug=kwargs["slug"]).first()
            if gone is None:
                raise
            tag(names.MISSING, names.article(gone.pk))
            return render(request, "articles/article_withdrawn.html", {"article": gone}, status=410)
        context = self.get_context_data(object=self.object)
        response = self.render_to_response(context)
        # A part's own changes (a live page's stream) date the page too, or a conditional GET would get a stale 304.
        modified = max(filter(None, (self.object.modified_at, context.get("modified_at"))))
        response["Last-Modified"] = http_date(modified.timestamp())
        return response

    def get_context_data(self, **kwargs):
        shown.article_page(self.object)
        return super().get_context_data(related=related_to(self.object), current_section=self.object.section,
                                        **parts.article_parts(self.request, self.object), **kwargs)  # fmt: skip


def related_to(article):
    """The related list, rendered: what it shows depends on other articles, so it is worked out once per
    generation of the page cache (any edit readers could see works it out again), not on every view. It
    shows the related articles and depends on which articles carry the article's tags."""

    def compute():
        tag(*(names.tag_list(shown_tag.pk) for shown_tag in article.tags_shown))
        related = list(Article.objects.published().for_lists().select_related("kind").related_to(article))
        tag(*(names.article(other.pk) for other in related))
        tag(*(names.kind(other.kind_id) for other in related if other.kind_id is not None))
        return render_to_string("articles/_related.html", {"related": related})

    return mark_safe(remember(f"related:{article.pk}", compute))  # noqa: S308 - rendered by our template


class AuthorDetailView(ArticleListMixin, ListView):
    """An author's articles; an author with no published article does not exist for readers (as tags)."""

    template_name = "articles/author_detail.html"
    empty_is_404 = True

    def get_queryset(self):
        self.author = get_object_or_404(Author, slug=self.kwargs["slug"])
        shown.author_page(self.author)
        return super().get_queryset().filter(bylines__author=self.author)

    def get_context_data(self, **kwargs):
        standards = [link for link in map(newsroom_pages.by_role, ("ethics", "contact")) if link is not None]
        return super().get_context_data(author=self.author, standards=standards, **kwargs)


class TagDetailView(ArticleListMixin, ListView):
    """A tag's articles; a tag no published article carries does not exist for readers."""

    template_name = "articles/tag_detail.html"
    empty_is_404 = True

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])  # no published article: 404 (empty_is_404)
        tag(names.tag(self.tag.pk), names.tag_list(self.tag.pk))
        return super().get_queryset().with_any_tag([self.tag.pk])

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class TagListView(ListView):
    template_name = "articles/tag_list.html"
    context_object_name = "tags"

    def get_queryset(self):
        return Article.objects.published().tags()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        tag(names.TAGS, *(names.tag(shown_tag.pk) for shown_tag in context["tags"]))
        return context


def _archive_months():
    tag(names.LATEST)
    return list(
        Article.objects.published()
        .annotate(month=TruncMonth("published_at"))
        .values("month")
        .annotate(count=Count("pk"))
        .order_by("-month")
    )


class ArchiveView(ArticleListMixin, ListView):
    """Articles of a year or a month (in the site's time zone), with the months that have any."""

    template_name = "articles/archive.html"

    def get_queryset(self):
        tag(names.LATEST)
        year, month = self.kwargs.get("year"), self.kwargs.get("month")
        if year is None:
            return super().get_queryset()
        if month is not None and not 1 <= month <= 12:
            raise Http404("No such month")
        try:
            start = timezone.make_aware(dt.datetime(year, month or 1, 1))
            end = timezone.make_aware(dt.datetime(year + (month or 12) // 12, (month or 12) % 12 + 1, 1))
        except (ValueError, OverflowError):
            raise Http404("No such date") from None
        return super().get_queryset().filter(published_at__gte=start, published_at__lt=end)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            # Counting every article's month is a scan: done once per generation of the page cache.
            months=remember("archive-months", _archive_months),
            year=self.kwargs.get("year"),
            month=self.kwargs.get("month"),
            **kwargs,
        )


class SearchView(ArticleListMixin, ListView):
    template_name = "articles/search.html"

    def get_queryset(self):
        self.query = " ".join(self.request.GET.get("q", "").split())[:200]
        return Article.objects.published().search(self.query).for_lists().with_credits()

    def get_context_data(self, **kwargs):
        return super().get_context_data(query=self.query, **kwargs)


class CorrectionListView(ListView):
    """Every public correction and update across the site, newest first, each linking to its note."""

    template_name = "articles/corrections.html"
    paginate_by = 30
    paginator_class = WindowPaginator
    context_object_name = "corrections"

    def get_queryset(self):
        return feeds.public_corrections().select_related("article")

    def paginate_queryset(self, queryset, page_size):
        tag(names.CORRECTIONS)
        try:
            found = super().paginate_queryset(queryset, page_size)
        except Http404:
            raise Http404("There is no such page of corrections.") from None
        shown.corrections(found[2])
        return found


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
    article = get_object_or_404(Article.objects.with_credits(), pk=pk)
    if not transitions.can_preview(article, request.user):
        raise PermissionDenied
    embargo = _embargo_notice(article)
    state = transitions.STATE_LABELS[transitions.state(article)]
    return _preview(request, article, f"Preview: this article is {state}.{embargo}")


@never_cache
def share(request, signed):
    """A draft shown through a signed share link, while the link is valid and not revoked."""
    link = ShareLink.from_signed(signed)
    if link is None:
        raise Http404("This preview link is not valid: it may have expired or been revoked.")
    article = Article.objects.with_credits().get(pk=link.article_id)
    until = f"{timezone.localtime(link.expires_at):%Y-%m-%d %H:%M %Z}"
    embargo = _embargo_notice(article)
    return _preview(request, article, f"Shared preview, not yet published.{embargo} Link valid until {until}.")


def _embargo_notice(article):
    if not article.is_embargoed:
        return ""
    until = timezone.localtime(article.embargo_until)
    return f" Embargoed until {until:%Y-%m-%d %H:%M %Z}: do not publish or share it before then."
