"""The newsroom's pages in the admin: Markdown with a live preview, as the article body is written; their
revisions (django-simple-history's history, each with who saved it and when, any of them brought back by
saving it again); saves from an out-of-date page refused with the typed values kept; one page per role."""

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import path, reverse
from simple_history.admin import SimpleHistoryAdmin
from simple_history.manager import SIMPLE_HISTORY_REVERSE_ATTR_NAME

from about import preview
from about.models import NewsroomPage, Role
from articles.admin.clashes import ValidateAgainOnClash
from articles.admin.versioned_forms import VersionedModelForm

BODY_HELP = (
    "Markdown: ## for a heading, **bold**, *italic*, [a link](https://example.com), a line starting with - for a "
    "list. The preview shows the page as readers will see it."
)


class NewsroomPageForm(VersionedModelForm):
    class Meta:
        model = NewsroomPage
        fields = ["title", "body", "summary", "role", "slug", "published", "in_footer", "position", "version"]
        widgets = {
            "title": forms.TextInput(attrs={"class": "headline-field"}),
            "body": forms.Textarea(attrs={"rows": 16, "class": "markdown writing-body"}),
            "summary": forms.Textarea(attrs={"rows": 2, "class": "dek-field"}),
        }
        help_texts = {"body": BODY_HELP}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if getattr(self.instance, SIMPLE_HISTORY_REVERSE_ATTR_NAME, None) is not None and not self.is_bound:
            # An earlier revision brought back: its text, saved over the page as it is now (the version opened).
            stored = NewsroomPage.objects.filter(pk=self.instance.pk).values_list("version", flat=True).first()
            self.initial["version"] = stored

    def clean_version(self):
        """A new page's form posts an empty version: it starts at the model's."""
        version = self.cleaned_data.get("version")
        return self.instance.version if version is None and self.instance.pk is None else version

    def clean_role(self):
        role = self.cleaned_data["role"]
        if role == Role.OTHER:
            return role
        holder = NewsroomPage.objects.filter(role=role).exclude(pk=self.instance.pk).first()
        if holder is not None:
            raise ValidationError(
                "“%(title)s” is already the %(role)s: one page per role. Give that page another role first, or "
                "choose “Other” for this one.",
                code="role_taken",
                params={"title": holder.title, "role": Role(role).label.lower()},
            )
        return role


@admin.register(NewsroomPage)
class NewsroomPageAdmin(ValidateAgainOnClash, SimpleHistoryAdmin):
    form = NewsroomPageForm
    list_display = ["title", "role", "published", "in_footer", "modified_at"]
    list_filter = ["published", "in_footer", "role"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        ("Writing", {"classes": ["writing"], "fields": ["title", "body"]}),
        ("Where it shows", {"fields": ["summary", "role", "slug", "published", "in_footer", "position"]}),
    ]
    object_history_template = "admin/about/newsroompage/object_history.html"
    object_history_form_template = "admin/about/newsroompage/object_history_form.html"

    class Media:
        css = {"all": ["admin/articles/writing.css"]}
        js = ["admin/articles/editor.js"]

    def get_form(self, request, obj=None, **kwargs):
        """The version the page was opened at travels with the form, hidden and outside the fieldsets (which would
        label it): the templates put it at the top of the form."""
        fields = kwargs.pop("fields", None) or flatten_fieldsets(self.get_fieldsets(request, obj))
        return super().get_form(request, obj, fields=[*fields, "version"], **kwargs)

    def get_urls(self):
        own = [path("preview-markdown/", self.admin_site.admin_view(preview.markdown_preview),
                    name="about_newsroompage_preview_markdown")]  # fmt: skip
        return own + super().get_urls()

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["preview_markdown_url"] = reverse("admin:about_newsroompage_preview_markdown")
        return super().render_change_form(request, context, add, change, form_url, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """An earlier revision, in the page's form: saving it brings its values back as a new revision. Those
        who may only view the page see it, and cannot save it."""
        if request.method == "POST" and not self.has_change_permission(request):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        if request.resolver_match and request.resolver_match.url_name == "about_newsroompage_simple_history":
            obj._change_reason = f"Restored revision #{request.resolver_match.args[1]}"
        super().save_model(request, obj, form, change)
