"""The editor's live preview pane: the body as readers will get it, through the same pipeline."""

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse

from articles.admin import throttle
from articles.admin.views import ArticleAdminView
from articles.markup import figures, reading
from articles.models import Article, Image, site_host


class MarkdownPreviewView(ArticleAdminView):
    """Limited per user and by the body size limit (``throttle.preview_refusal``)."""

    def post(self, request):
        if not self.model_admin.has_add_permission(request):
            raise PermissionDenied
        body, title = request.POST.get("body", ""), request.POST.get("title", "")
        if refused := throttle.preview_refusal(request.user.pk, body):
            return refused
        html, _ = Article.rendering(body, title, request.POST.get("lead_image_url", ""), site_host=site_host())
        text = reading.plain_text(html)
        html = figures.expand(html, Image.objects.in_bulk(figures.referenced_ids(html)[:200]), readers=False)
        return JsonResponse({"html": html, "words": reading.word_count(text), "minutes": reading.reading_minutes(text)})
