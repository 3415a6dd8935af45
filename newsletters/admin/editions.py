"""Issues in the admin: composed while a draft (the list, subject, preheader, intro in Markdown, chosen articles
in order or a digest), then read-only once scheduled or sent (``Duplicate`` makes a new draft of one). The
change page carries the sending panel (``editing``): previews, a test to oneself, schedule, send now, pause,
resume, cancel, and the send's progress."""

from django.contrib import admin
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.db.models import Count
from django.urls import path

from articles.admin.frontpage import AUTOCOMPLETE_NAMES
from articles.admin.inlines import LabelledTabularInline
from articles.models import numbers
from newsletters.admin import breaking, editing
from newsletters.models import Edition, EditionArticle

FIELDS = ["newsletter", "subject", "preheader", "intro", "mode"]


def is_draft(edition):
    return edition is None or edition.status == Edition.Status.DRAFT


def plain(field):
    """A choice without the admin's add, change and delete icons beside it: composing an issue is no place to
    edit the list or the article itself (and on a phone they push the box off the screen)."""
    if field is not None and isinstance(field.widget, RelatedFieldWidgetWrapper):
        field.widget = field.widget.widget
    return field


class EntryInline(numbers.CheckedNumbersAdmin, LabelledTabularInline):
    """The chosen articles, in order: any article may be chosen, but only those readers can see when it is sent
    go in it (the change page names the others)."""

    model = EditionArticle
    autocomplete_fields = ["article"]
    fields = ["article", "position"]
    extra = 1
    template = "admin/newsletters/tabular.html"
    verbose_name, verbose_name_plural = "article", "chosen articles (in this order)"

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        return plain(super().formfield_for_dbfield(db_field, request, **kwargs))

    def has_add_permission(self, request, obj=None):
        return is_draft(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return is_draft(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return is_draft(obj) and super().has_delete_permission(request, obj)


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ["subject", "newsletter", "status", "send_at", "total", "articles_chosen", "created_at"]
    list_filter = ["status", "newsletter"]
    list_select_related = ["newsletter"]
    search_fields = ["subject"]
    date_hierarchy = "created_at"
    fields = FIELDS
    inlines = [EntryInline]
    change_form_template = "admin/newsletters/edition/change_form.html"

    class Media:
        js = [AUTOCOMPLETE_NAMES]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(chosen=Count("entries"))

    @admin.display(description="articles chosen", ordering="chosen")
    def articles_chosen(self, obj):
        return obj.chosen if obj.mode == Edition.Mode.CHOSEN else "digest"

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        return plain(super().formfield_for_dbfield(db_field, request, **kwargs))

    def has_change_permission(self, request, obj=None):
        return is_draft(obj) and super().has_change_permission(request, obj)  # a page to read once it is not

    def has_delete_permission(self, request, obj=None):
        done = obj is not None and obj.status not in (Edition.Status.DRAFT, Edition.Status.CANCELLED)
        return not done and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra = dict(extra_context or {})
        if object_id is not None and (edition := self.get_object(request, object_id)) is not None:
            extra["sending"] = editing.panel(request, edition)
        return super().changeform_view(request, object_id, form_url, extra)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        views = [
            ("preview/", editing.preview, "preview"),
            ("preview/message/", editing.preview_message, "preview_message"),
            ("preview/text/", editing.preview_text, "preview_text"),
            ("test/", editing.send_test, "test"),
            ("send/", editing.send_now, "send"),
            ("act/", editing.act, "act"),
            ("duplicate/", editing.duplicate, "duplicate"),
        ]
        urls = [path(f"<int:pk>/{r}", wrap(view), name=f"newsletters_edition_{name}") for r, view, name in views]
        publish = path("publish-and-send/<int:article_pk>/", wrap(breaking.publish_and_send),
                       name="newsletters_edition_publish_and_send")  # fmt: skip
        return [*urls, publish, *super().get_urls()]
