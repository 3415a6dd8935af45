"""The editor's live preview pane: the body as readers will get it, through the same pipeline."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse

from articles.admin import throttle
from articles.admin.views import ArticleAdminView
from articles.markup import figures, limits, reading
from articles.models import Article, Image, site_host


class MarkdownPreviewView(ArticleAdminView):
    """Limited per user (NEWSROOM_PREVIEW_LIMIT previews and NEWSROOM_PREVIEW_BYTES of text per
    NEWSROOM_PREVIEW_PERIOD_SECONDS) and by the body size limit, so that previews cost a bounded share of one
    worker whoever sends them."""

    def post(self, request):
        if not self.model_admin.has_add_permission(request):
            raise PermissionDenied
        body, title = request.POST.get("body", ""), request.POST.get("title", "")
        period = settings.NEWSROOM_PREVIEW_PERIOD_SECONDS
        if wait := throttle.retry_after(
            "preview", request.user.pk, limit=settings.NEWSROOM_PREVIEW_LIMIT, period=period
        ):
            return throttle.retry_later(f"Too many previews at once; the preview resumes in {wait} s.", wait)
        if message := limits.size_error(body):
            return JsonResponse({"error": f"No preview: {message}"}, status=413)
        # Rendering time follows the size of the text: the bytes rendered per period are limited too.
        size = len(body.encode("utf-8", "surrogatepass"))
        limit = settings.NEWSROOM_PREVIEW_BYTES
        if wait := throttle.retry_after("preview-bytes", request.user.pk, limit=limit, period=period, cost=size):
            return throttle.retry_later(f"Previews of long texts are paused for {wait} s.", wait)
        html, _ = Article.rendering(body, title, request.POST.get("lead_image_url", ""), site_host=site_host())
        text = reading.plain_text(html)
        html = figures.expand(html, Image.objects.in_bulk(figures.referenced_ids(html)[:200]), readers=False)
        return JsonResponse({"html": html, "words": reading.word_count(text), "minutes": reading.reading_minutes(text)})
