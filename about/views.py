"""The newsroom's pages for readers: the index of those published (``/about/``) and each page. Editors who may
change the pages see an unpublished one as a preview: never cached, never indexed, with a banner saying so."""

from django.utils.cache import add_never_cache_headers
from django.views.generic import DetailView, ListView

from about import links
from about.models import NewsroomPage
from pagecache.keys import tag

PREVIEW_PERMISSION = "about.change_newsroompage"
PREVIEW_BANNER = "Preview: readers do not see this page until it is published."


class NewsroomPageListView(ListView):
    template_name = "about/newsroompage_list.html"
    context_object_name = "pages"

    def get_queryset(self):
        return NewsroomPage.objects.public()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        tag(links.PAGES, *(links.page(found.pk) for found in context["pages"]))
        return context


class NewsroomPageDetailView(DetailView):
    template_name = "about/newsroompage_detail.html"
    context_object_name = "page"

    def previewing(self):
        return self.request.user.has_perm(PREVIEW_PERMISSION)

    def get_queryset(self):
        pages = NewsroomPage.objects.all()
        return pages if self.previewing() else pages.public()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        tag(links.page(self.object.pk))
        if not self.object.published:
            context |= {"noindex": True, "preview_banner": PREVIEW_BANNER}
        return context

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if not self.object.published:
            add_never_cache_headers(response)
        return response
