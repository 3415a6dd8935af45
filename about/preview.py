"""The live preview of a page's body in the admin: the Markdown as readers will get it, through the function that
renders it on save, answered as the article editor's preview is (``static/admin/articles/editor.js``) and limited
per user the same way."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.views.decorators.http import require_POST

from articles.admin import throttle
from articles.markup import limits, markdown, reading
from articles.models import site_host


@require_POST
def markdown_preview(request):
    if not (request.user.has_perm("about.add_newsroompage") or request.user.has_perm("about.change_newsroompage")):
        raise PermissionDenied
    body = request.POST.get("body", "")
    period = settings.NEWSROOM_PREVIEW_PERIOD_SECONDS
    if wait := throttle.retry_after("preview", request.user.pk, limit=settings.NEWSROOM_PREVIEW_LIMIT, period=period):
        return throttle.retry_later(f"Too many previews at once; the preview resumes in {wait} s.", wait)
    if message := limits.size_error(body):
        return JsonResponse({"error": f"No preview: {message}"}, status=413)
    size = len(body.encode("utf-8", "surrogatepass"))
    limit = settings.NEWSROOM_PREVIEW_BYTES
    if wait := throttle.retry_after("preview-bytes", request.user.pk, limit=limit, period=period, cost=size):
        return throttle.retry_later(f"Previews of long texts are paused for {wait} s.", wait)
    html = markdown.render_markdown(body, site_host=site_host())
    text = reading.plain_text(html)
    return JsonResponse({"html": html, "words": reading.word_count(text), "minutes": reading.reading_minutes(text)})
