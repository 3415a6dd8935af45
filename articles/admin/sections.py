"""Sections in the admin, in the order readers see them."""

from django.contrib import admin
from django.db.models import Count, Q

from articles.admin.clashes import ValidateAgainOnClash
from articles.admin.inlines import SectionAliasInline
from articles.admin.labelled import LabelledListEditable
from articles.models import Article, Section


@admin.register(Section)
class SectionAdmin(LabelledListEditable, ValidateAgainOnClash, admin.ModelAdmin):
    """Sections in the order readers see them; renaming a slug keeps the old addresses redirecting."""

    list_display = ["name", "slug", "position", "in_navigation", "published_count"]
    list_editable = ["position", "in_navigation"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "description", "position", "in_navigation"]
    inlines = [SectionAliasInline]

    def get_queryset(self, request):
        published = Q(articles__in=Article.objects.published())
        return super().get_queryset(request).annotate(published_count=Count("articles", filter=published))

    @admin.display(description="Published articles", ordering="published_count")
    def published_count(self, section):
        return section.published_count
