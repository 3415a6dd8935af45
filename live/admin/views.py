"""The desk's JSON endpoints for a live page's stream: the list of its updates, posting, editing (text, time,
flags, correction), approving and deleting one, and breaking one out into an article. Every write goes through
``live.stream``, which checks ``live.rules`` again inside its transaction.

Answers: 200 (201 for a new update) with ``{"update": {...}}``; 400 with ``{"errors": {field: [messages]}}``
(``__all__`` for a problem of no one field); 403 with ``{"error": ...}`` for what the user may not do; 409 with
``{"error": ..., "stale": true, "update": {...}}`` when the update was changed since the version sent. Writes are
POSTs with the CSRF token (the admin's ``csrf_protect``); any other method is refused with 405."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from articles.models import Article
from live import rules, stream
from live.admin import breakout, forms, rows
from live.models import Update


def _refused(error):
    return JsonResponse({"error": str(error) or "You may not do this."}, status=403)


def _invalid(errors):
    return JsonResponse({"errors": errors}, status=400)


def _answer(request, update, status=200):
    return JsonResponse({"update": rows.as_json(request, update)}, status=status)


def _article(request, article_pk):
    article = get_object_or_404(Article, pk=article_pk)
    if not rules.may_post(request.user, article):
        raise PermissionDenied("You may not post to this live page.")
    return article


def _update(update_pk):
    return get_object_or_404(Update.objects.select_related("article"), pk=update_pk)


def _writing(view):
    """Refusals and named problems answered as JSON, never as an error page."""

    def answered(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as error:
            return _refused(error)
        except ValidationError as error:
            return _invalid(forms.named(error))
        except stream.StaleUpdate as stale:
            answer = {"error": str(stale), "stale": True, "update": rows.as_json(request, stale.update)}
            return JsonResponse(answer, status=409)

    answered.__name__ = view.__name__
    answered.__doc__ = view.__doc__
    return answered


@require_GET
@_writing
def stream_list(request, article_pk):
    """``{"article": pk, "seq": n, "pending": n, "updates": [...]}``: the latest updates, pending ones too."""
    article = _article(request, article_pk)
    return JsonResponse(rows.stream_state(request, article))


@require_POST
@_writing
def post(request, article_pk):
    article = _article(request, article_pk)
    form = forms.PostForm(request.POST)
    if not form.is_valid():
        return _invalid(forms.form_errors(form))
    update = stream.post(article, request.user, **form.cleaned_data)
    return _answer(request, update, status=201)


@require_POST
@_writing
def edit(request, pk):
    update = _update(pk)
    form = forms.EditForm(request.POST)
    if not form.is_valid():
        return _invalid(forms.form_errors(form))
    values = form.changes()
    authors = values.pop("authors", None)
    changed = stream.edit(update, request.user, version=form.cleaned_data["version"], authors=authors, **values)
    return _answer(request, changed)


def _versioned(write):
    @require_POST
    @_writing
    def view(request, pk):
        update = _update(pk)
        form = forms.VersionForm(request.POST)
        if not form.is_valid():
            return _invalid(forms.form_errors(form))
        return _answer(request, write(update, request.user, version=form.cleaned_data["version"]))

    view.__name__ = write.__name__
    return view


approve = _versioned(stream.approve)
delete = _versioned(stream.delete)


@require_POST
@_writing
def break_out(request, pk):
    """``{"article": {"id": pk, "title": ..., "url": its change form}}``: the draft article made of a key event,
    201 when this request made it, 200 when it was made before."""
    article, made = breakout.break_out(_update(pk), request.user)
    url = reverse("admin:articles_article_change", args=[article.pk])
    answer = {"article": {"id": article.pk, "title": article.title, "url": url}}
    return JsonResponse(answer, status=201 if made else 200)
