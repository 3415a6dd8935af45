"""Kinds of work in the admin, in the order the article form offers them. A kind articles use cannot be deleted
(the article's kind is protected): Django's delete page then names the articles that still use it."""

from django.contrib import admin
from django.db.models import Count

from articles.admin.clashes import ValidateAgainOnClash
from articles.admin.labelled import LabelledListEditable
from articles.models import KindOfWork


@admin.register(KindOfWork)
class KindOfWorkAdmin(LabelledListEditable, ValidateAgainOnClash, admin.ModelAdmin):
    """The desk's list of kinds: what readers see on the label, and what search engines are told."""

    list_display = ["name", "schema_type", "sponsored", "position", "article_count"]
    list_editable = ["position"]
    list_filter = ["sponsored", "schema_type"]
    search_fields = ["name", "slug", "description"]
    ordering = ["position", "name"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "description", "schema_type", "sponsored", "position"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    @admin.display(description="Articles", ordering="article_count")
    def article_count(self, kind):
        return kind.article_count
