"""An article's revisions: the list, the differences between two of them, and restoring one's text."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse

from articles.admin import comparison
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
    """The revisions, newest first, and what changed between two of them: by default since the story's last
    submission for review (``comparison.default_pair``), or any two the editor picks."""

    def get(self, request, pk):
        article = self.viewable_article(request, pk)
        records = list(article.history.select_related("history_user").order_by("-history_date", "-history_id"))
        by_id = {r.history_id: r for r in records}
        old, new = (by_id.get(numbers.whole_number(request.GET.get(end), "AutoField")) for end in ("from", "to"))
        submission = None
        if old is None and new is None:
            old, new, submission = comparison.default_pair(article, records)
        elif new is None:
            new = records[0]
        elif old is None:
            old = records[min(records.index(new) + 1, len(records) - 1)]
        for record in records:
            record.by = comparison.name_of(record.history_user, nobody="—")
        context = {
            **self.model_admin.admin_site.each_context(request),
            "opts": Article._meta,
            "original": article,
            "title": f"Revisions of “{article.title}”",
            "records": records,
            "comparison": comparison.compare(old, new, records, submission) if old and new else None,
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
