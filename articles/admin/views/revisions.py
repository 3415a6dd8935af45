"""An article's revisions: the list, the differences between two of them, and restoring one's text."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse

from articles.admin import textdiff
from articles.admin.views import ArticleAdminView
from articles.models import Article, numbers
from articles.workflow import transitions


class ArticleHistoryView(ArticleAdminView):
    def viewable_article(self, request, pk):
        """The article ``pk`` among those this user sees in the admin, refused unless they may view it."""
        article = get_object_or_404(self.model_admin.get_queryset(request), pk=pk)
        if not self.model_admin.has_view_or_change_permission(request, article):
            raise PermissionDenied
        return article


class RevisionsView(ArticleHistoryView):
    """The revisions, newest first, with the differences between two of them (by default the last two)."""

    def get(self, request, pk):
        article = self.viewable_article(request, pk)
        records = list(article.history.select_related("history_user").order_by("-history_date", "-history_id"))
        by_id = {r.history_id: r for r in records}
        old, new = (by_id.get(numbers.whole_number(request.GET.get(end), "AutoField")) for end in ("from", "to"))
        if old is None and new is None and len(records) > 1:
            new, old = records[0], records[1]
        context = {
            **self.model_admin.admin_site.each_context(request),
            "opts": Article._meta,
            "original": article,
            "title": f"Revisions of “{article.title}”",
            "records": records,
            "old": old,
            "new": new,
            "changes": changes(old, new) if old and new else [],
            "can_restore": transitions.can_edit(article, request.user),
        }
        return TemplateResponse(request, "admin/articles/article/revisions.html", context)

    def post(self, request, pk):
        return self.get(request, pk)  # as the admin's own page answered any method


class RestoreRevisionView(ArticleHistoryView):
    """The text of an earlier revision, saved again as a new revision (``transitions.restore``)."""

    def get(self, request, pk, history_id):
        self.viewable_article(request, pk)  # an article this user cannot see is not found, whatever the method
        raise PermissionDenied

    def post(self, request, pk, history_id):
        article = self.viewable_article(request, pk)
        if not transitions.can_edit(article, request.user):
            raise PermissionDenied
        record = get_object_or_404(article.history, history_id=history_id)
        transitions.restore(article, record, request.user)
        self.model_admin.message_user(
            request, f"Restored the text of revision #{history_id} as a new revision.", messages.SUCCESS
        )
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))


def changes(old, new):
    """A ``FieldDiff`` for each field, and the bylines and tags, that differ between two revisions."""
    labels = (f"#{old.history_id}", f"#{new.history_id}")
    found = []
    for change in new.diff_against(old).changes:
        table = textdiff.html(change.old, change.new, *labels)
        found.append(textdiff.FieldDiff(Article._meta.get_field(change.field).verbose_name, table))
    for label, name, lines in (("bylines", "history_bylines", _byline_lines), ("tags", "history_tags", list)):
        before, after = getattr(old, name), getattr(new, name)
        if before is not None and after is not None and before != after:
            table = textdiff.html("\n".join(lines(before)), "\n".join(lines(after)), *labels)
            found.append(textdiff.FieldDiff(label, table))
    return found


def _byline_lines(bylines):
    return [f"{b['name']} ({b['role']})" if b.get("role") else b["name"] for b in bylines]
