"""The article admin's inlines (bylines, corrections, share links, old addresses, the workflow log) and the
section admin's, each cell named for screen readers and each bounded (``guards``)."""

from django import forms
from django.contrib import admin
from django.utils.html import format_html

from articles.admin.guards import BoundedInlineMixin
from articles.models import ArticleAlias, ArticleTransition, Byline, Correction, SectionAlias, ShareLink, numbers


def label_widget(field, label=None):
    """Name a form field's inputs for assistive technology where no <label> does: the cells of a tabular inline
    (only a column header above them) and the two inputs of a date-and-time field."""
    label = str(label or field.label or "")
    widget = getattr(field.widget, "widget", field.widget)  # inside the admin's related-object wrapper
    if isinstance(widget, forms.MultiWidget):
        for part, name in zip(widget.widgets, ("date", "time", "", ""), strict=False):
            part.attrs["aria-label"] = f"{label}, {name}" if name else label
    else:
        widget.attrs["aria-label"] = label
    return field


class LabelledTabularInline(BoundedInlineMixin, admin.TabularInline):
    """A tabular inline whose every cell is named for screen readers."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        return label_widget(field) if field is not None else None

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        class Labelled(formset):
            def add_fields(self, form, index):
                super().add_fields(form, index)
                if "DELETE" in form.fields:
                    form.fields["DELETE"].widget.attrs["aria-label"] = "Delete this row"

        return Labelled


class BylineInline(numbers.CheckedNumbersAdmin, LabelledTabularInline):
    """The article's bylines: on a new article the first row is the writer's own (``ArticleAdmin``), each row
    added opens its author box for typing, and on a phone each row stacks to the screen's width."""

    model = Byline
    extra = 1
    autocomplete_fields = ["author"]
    fields = ["author", "role", "position"]

    class Media:
        css = {"all": ["admin/articles/bylines.css"]}
        js = ["admin/articles/bylines.js"]


class CorrectionInline(BoundedInlineMixin, admin.StackedInline):
    model = Correction
    extra = 0
    fields = ["kind", "created_at", "text"]


class ShareLinkInline(LabelledTabularInline):
    model = ShareLink
    extra = 0
    fields = ["link", "expires_at", "revoked", "created_by", "created_at"]
    readonly_fields = ["link", "created_by", "created_at"]
    verbose_name = "preview share link"

    @admin.display(description="Link (no login needed)")
    def link(self, obj):
        if not obj.pk:
            return "Saved with the article"
        url = obj.get_absolute_url()
        state = "valid" if obj.is_valid() else "no longer works"
        return format_html('<a href="{}">{}</a> ({})', url, url, state)


class TransitionInline(LabelledTabularInline):
    model = ArticleTransition
    extra = 0
    fields = ["at", "user", "source", "target", "comment"]
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = "workflow log"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("articles.change_article")


class AliasInline(LabelledTabularInline):
    model = ArticleAlias
    extra = 0
    verbose_name_plural = "old addresses (redirect here)"


class SectionAliasInline(LabelledTabularInline):
    model = SectionAlias
    extra = 0
    fields = ["slug"]
    readonly_fields = ["slug"]
    verbose_name_plural = "old addresses (redirect here)"

    def has_add_permission(self, request, obj=None):
        return False
