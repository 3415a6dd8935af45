"""The autosave of the change form's writing fields, and what the form's script (desk.js) is given to offer an
autosave back: where to send heartbeats and autosaves, the autosave and its differences from the stored text."""

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone

from articles.admin import textdiff, throttle
from articles.admin.forms import AutosaveForm
from articles.admin.views import ArticleAdminView
from articles.desk import presence
from articles.markup import limits
from articles.models import Article, Autosave


class AutosaveView(ArticleAdminView):
    """Keep the form's writing fields as this user's autosave: not a revision, not the article."""

    def post(self, request, pk=None):
        article = None
        if pk is not None:
            article = self.editable_article(request, pk)
        elif not self.model_admin.has_add_permission(request):
            raise PermissionDenied
        if request.POST.get("discard"):
            Autosave.objects.filter(user=request.user, article=article).delete()
            return JsonResponse({"discarded": True})
        if message := limits.size_error(request.POST.get("body", "")):
            return JsonResponse({"error": f"Not autosaved: {message}"}, status=413)
        if len(request.POST.get("title", "")) > Article._meta.get_field("title").max_length:
            return JsonResponse({"error": "Not autosaved: the headline is longer than 300 characters."}, status=413)
        form = AutosaveForm(request.POST)
        if not form.is_valid():
            return JsonResponse({"error": f"Not autosaved: {form.reason()}."}, status=400)
        fields = {name: form.cleaned_data[name] for name in Autosave.FIELDS}
        if wait := throttle.retry_after("autosave", request.user.pk, limit=20, period=60):
            return throttle.retry_later(f"Autosaving too often; the next autosave is in {wait} s.", wait)
        autosave = Autosave.keep(request.user, article, fields, version=form.cleaned_data["version"])
        return JsonResponse({"saved_at": f"{timezone.localtime(autosave.saved_at):%H:%M:%S}"})


def change_form_context(request, article):
    """What the form's own script (desk.js) needs: where to send heartbeats and autosaves, and the autosave to
    offer back, with its differences from the stored text."""
    pk = article.pk if article else None
    urls = {
        "autosave": reverse("admin:articles_article_autosave", args=[pk]) if pk else
        reverse("admin:articles_article_autosave_new"),
        "heartbeat": reverse("admin:articles_article_presence", args=[pk]) if pk else None,
        "seconds": presence.HEARTBEAT_SECONDS,
    }  # fmt: skip
    context = {"desk_urls": urls}
    autosave = Autosave.objects.filter(user=request.user, article=article).first()
    if autosave is not None and autosave.differs_from(article):
        context["autosave"] = autosave
        context["autosave_fields"] = {name: getattr(autosave, name) for name in Autosave.FIELDS}
        context["autosave_diff"] = [
            textdiff.FieldDiff(Article._meta.get_field(name).verbose_name, textdiff.html(
                getattr(article, name) if article else "", getattr(autosave, name), "saved", "autosaved"))
            for name in Autosave.FIELDS
            if getattr(autosave, name) != (getattr(article, name) if article else "")
        ]  # fmt: skip
        if article is not None:
            context.update(_saved_since(article, autosave))
            context["autosave_fields"]["version"] = context["autosave_base_version"]
    return context


def _saved_since(article, autosave):
    """The version a restored autosave goes back into the form with, and what was saved since it was typed.

    Restored text is as old as the version its form was opened at: the form is given that version back, so a
    save of it meets the same out-of-date refusal, showing both texts, as any form opened before someone else
    saved. An autosave kept without its version counts as older than any save made after it was typed."""
    base = autosave.version
    if base is None:
        base = article.version if article.modified_at <= autosave.saved_at else 0
    found = {"autosave_base_version": base}  # the form's version once the text is restored
    if base == article.version:
        return found
    last = article.history.select_related("history_user").order_by("-history_date", "-history_id").first()
    opened = article.history.filter(version=base).order_by("-history_id").first() if base else None
    found["saved_since"] = {
        "who": (last.history_user.get_full_name() or last.history_user.get_username())
        if last and last.history_user else "someone else",
        "when": timezone.localtime(last.history_date) if last else None,
        "version": article.version,
        "changes": [
            textdiff.FieldDiff(Article._meta.get_field(name).verbose_name,
             textdiff.html(getattr(opened, name), getattr(article, name), f"version {base}",
                           f"version {article.version}"))
            for name in Autosave.FIELDS
            if getattr(opened, name) != getattr(article, name)
        ] if opened else [],
    }  # fmt: skip
    return found
