from django.contrib import admin
from django.db import models

from .models import Article, ArticleAlias, Author, Byline

URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class BylineInline(admin.TabularInline):
    model = Byline
    extra = 1
    autocomplete_fields = ["author"]
    fields = ["position", "author", "role"]


class AliasInline(admin.TabularInline):
    model = ArticleAlias
    extra = 0


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ["title", "status", "is_published", "published_at", "byline_names", "modified_at"]
    list_filter = ["status", "published_at", "tags", "authors"]
    list_select_related = True
    search_fields = ["title", "dek", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    inlines = [BylineInline, AliasInline]
    fieldsets = [
        ("Writing", {"fields": ["title", "dek", "body"]}),
        ("Publishing", {"fields": ["status", "published_at", "updated_at", "expires_at", "slug", "tags"]}),
        (
            "Lead image",
            {"fields": ["lead_image", "lead_image_url", "lead_image_alt", "lead_image_caption", "lead_image_credit"]},
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_bylines()

    @admin.display(description="Bylines")
    def byline_names(self, article):
        return ", ".join(byline.author.name for byline in article.bylines.all())


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ["name", "slug", "user", "email"]
    search_fields = ["name", "email"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]
