"""The live preview of a page's body in the admin: the Markdown as readers will get it, through the function that
renders it on save, answered as the article editor's preview is (``static/admin/articles/editor.js``) and limited
per user from the same budget (``throttle.preview_refusal``)."""

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.views.decorators.http import require_POST

from articles.admin import throttle
from articles.markup import markdown, reading
from articles.models import site_host


@require_POST
def markdown_preview(request):
    if not (request.user.has_perm("about.add_newsroompage") or request.user.has_perm("about.change_newsroompage")):
        raise PermissionDenied
    body = request.POST.get("body", "")
    if refused := throttle.preview_refusal(request.user.pk, body):
        return refused
    html = markdown.render_markdown(body, site_host=site_host())
    text = reading.plain_text(html)
    return JsonResponse({"html": html, "words": reading.word_count(text), "minutes": reading.reading_minutes(text)})
