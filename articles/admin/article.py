"""The article admin: the list (columns, filters, state counts, bulk actions) and the change form (fieldsets,
inlines, the workflow buttons). Its pages and JSON endpoints of their own are views (``articles.admin.views``),
wired here under the admin's URL names."""

from django.contrib import admin
from django.db import models
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.html import format_html

from articles.admin import conversation, landing, steps
from articles.admin import states as admin_states
from articles.admin import workflow as admin_workflow
from articles.admin.actions import ARTICLE_ACTIONS
from articles.admin.clashes import ValidateAgainOnClash
from articles.admin.filters import DeskFilter, TagFilter
from articles.admin.forms import URL_FIELDS, ArticleAdminForm, store_upload
from articles.admin.inlines import (
    AliasInline,
    BylineInline,
    CorrectionInline,
    ShareLinkInline,
    TransitionInline,
    label_widget,
)
from articles.admin.picture_choices import chooser_urls
from articles.admin.views import autosave, presence, preview, revisions
from articles.desk import notify, panels
from articles.desk import presence as desk_presence
from articles.markup import reading
from articles.models import Article, Author, numbers
from articles.workflow import editing, transitions

# The fields that make the article a live page (``articles.models.coverage``): its stream is another app's panel.
LIVE_FIELDS = ["live_from", "live_until", "live_oldest_first", "live_moderated"]


@admin.register(Article)
class ArticleAdmin(
    ValidateAgainOnClash,
    landing.ActionBar,
    admin_workflow.WorkflowButtons,
    numbers.CheckedNumbersAdmin,
    admin.ModelAdmin,
):
    form = ArticleAdminForm
    formfield_overrides = URL_FIELDS
    list_display = ["title", "state_badge", "editing_now", "section", "published_at", "byline_names", "modified_at"]
    list_select_related = ["section"]
    list_filter = [
        DeskFilter, admin_states.StateFilter, "section", "kind", "bylines__author", TagFilter, "published_at",
    ]  # fmt: skip
    search_fields = ["title", "dek", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["state_badge", "checklist", "reading"]
    inlines = [BylineInline, AliasInline, ShareLinkInline, CorrectionInline, TransitionInline]
    actions = ARTICLE_ACTIONS
    change_form_template = "admin/articles/article/change_form.html"
    change_list_template = "admin/articles/article/change_list.html"

    class Media:
        css = {
            "all": [
                "admin/articles/editor.css",
                "admin/articles/writing.css",
                "admin/articles/library.css",
                "admin/articles/actions.css",
                "admin/articles/chooser.css",
            ]
        }
        js = [
            "admin/articles/editor.js",
            "admin/articles/writing.js",
            "admin/articles/chooser.js",
            "admin/articles/pictures.js",
            "admin/articles/desk.js",
            "admin/articles/autocomplete-names.js",
            "admin/articles/actions.js",
            "admin/articles/groups.js",
        ]

    def get_fieldsets(self, request, obj=None):
        """The writing first, then its kind of work (open: readers see it as a label); everything else in groups
        that start closed (Django's admin shows a group open when a field in it has an error). The inlines follow
        the fieldset named in ``inline_after``, or come last."""
        publishing = ["state_badge", "checklist", "section", "published_at", "expires_at", "embargo_until",
                      "assignee"]  # fmt: skip
        if request.user.has_perm("articles.publish_article"):
            publishing += ["substantive_update"]
        if request.user.has_perm("articles.publish_article") or request.user.has_perm("articles.withdraw_article"):
            publishing += ["withdrawal_note"]
        publishing += ["transition_comment", "version"]
        pictures = ["lead_image", "lead_image_upload", "lead_image_url", "lead_image_alt", "lead_image_caption",
                    "lead_image_credit"]  # fmt: skip
        groups = [
            (None, {"fields": ["title", "dek", "body", "reading"], "classes": ["writing"]}),
            ("Kind of work", {"fields": [("kind", "sponsor")], "classes": ["kind-of-work"]}),
            ("Publishing", {"fields": publishing, "classes": ["collapse"]}),
            ("Pictures", {"fields": pictures, "classes": ["collapse"]}),
            ("Tags", {"fields": ["tags"], "classes": ["collapse"]}),
            ("Address", {"fields": ["slug"], "classes": ["collapse"]}),
        ]
        # Coverage is set by those who publish; others see it, read-only, on a live page only.
        if request.user.has_perm("articles.publish_article") or (obj is not None and obj.is_live_page):
            groups.append(("Live coverage", {"fields": LIVE_FIELDS, "classes": ["collapse"]}))
        return groups

    # The fieldset each inline follows, closed as the fieldsets are (change_form.html); the others come last.
    inline_after = {BylineInline: "Pictures", AliasInline: "Address", ShareLinkInline: "Address"}

    def get_inline_instances(self, request, obj=None):
        inlines = super().get_inline_instances(request, obj)
        for inline in inlines:
            inline.classes = [*(inline.classes or []), "collapse"]
            inline.after = self.inline_after.get(type(inline), "")
        return inlines

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.may_add_tags = request.user.has_perm("taggit.add_tag")  # a class made for this request
        form.desk_user = request.user
        return form

    # A new article's defaults: the writer's own byline and the section they last used

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)  # the address's ?section= and the like come first
        if "section" not in initial and (section := last_section(request.user)) is not None:
            initial["section"] = section
        return initial

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, BylineInline) and obj.pk is None and request.method != "POST":
            # Shown, never compared with: a posted row with the default author is a byline to save, and one the
            # writer removed is gone.
            author = Author.objects.filter(user=request.user).values_list("pk", flat=True).first()
            kwargs["initial"] = [{"author": author, "position": 0}] if author else []
        return kwargs

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(db_field, models.DateTimeField) and field is not None:
            label_widget(field)
        return field

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assignee":
            kwargs["queryset"] = notify.editors()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        holders = desk_presence.holders([article.pk for article in changelist.result_list])
        for article in changelist.result_list:
            article.editing_now = holders.get(article.pk)
        return changelist

    def get_readonly_fields(self, request, obj=None):
        fields = list(self.readonly_fields)
        if not request.user.has_perm("articles.publish_article"):
            fields += ["published_at", "expires_at", "embargo_until", "assignee", *LIVE_FIELDS]
        return fields

    def get_queryset(self, request):
        queryset = super().get_queryset(request).with_bylines()
        user = request.user
        if user.has_perm("articles.edit_any_article"):
            return queryset
        return queryset.owned_by(user)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return transitions.can_edit(obj, request.user)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and request.user.has_perm("articles.edit_any_article")

    def has_publish_permission(self, request):
        return request.user.has_perm("articles.publish_article")

    def has_withdraw_permission(self, request):
        return request.user.has_perm("articles.withdraw_article")

    # Columns and read-only fields

    @admin.display(description="State", ordering="status")
    def state_badge(self, article):
        return admin_states.state_badge(article)

    @admin.display(description="Editing now")
    def editing_now(self, article):
        holder = getattr(article, "editing_now", None)
        return holder["name"] if holder else ""

    @admin.display(description="Bylines")
    def byline_names(self, article):
        return ", ".join(byline.author.name for byline in article.bylines.all())

    @admin.display(description="Publish checklist")
    def checklist(self, article):
        return render_to_string("admin/articles/article/_checklist.html", steps.checklist_lines(article))

    @admin.display(description="Length")
    def reading(self, article):
        text = reading.plain_text(article.body_html)
        return format_html(
            '<span class="reading">{} words · {} min read</span>',
            reading.word_count(text),
            reading.reading_minutes(text),
        )

    # Saving: what a save means beyond the form is the workflow's (articles.workflow.editing)

    def save_model(self, request, obj, form, change):
        uploaded = store_upload(
            form, "lead_image_upload", request.user,
            alt=obj.lead_image_alt, caption=obj.lead_image_caption, credit=obj.lead_image_credit,
        )  # fmt: skip
        editing.before_article_save(
            obj,
            request.user,
            adding=not change,
            lead_image=uploaded,
            substantive_update=form.cleaned_data.get("substantive_update", False),
            transition=admin_workflow.pressed(request)[0],
        )
        super().save_model(request, obj, form, change)
        editing.after_article_save(obj, request.user, adding=not change)

    def save_formset(self, request, form, formset, change):
        rows = formset.save(commit=False)
        editing.save_rows(formset.model, rows, formset.deleted_objects, request.user)
        formset.save_m2m()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        self.finish_save(request, form)  # a refused workflow step undoes the whole save

    def response_change(self, request, obj):
        if "_continue" not in request.POST:
            desk_presence.leave(obj.pk, request.user)  # the form is left: nobody is kept waiting for a closed tab
        return super().response_change(request, obj)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["preview_markdown_url"] = reverse("admin:articles_article_preview_markdown")
        context["picture_picker_urls"] = chooser_urls(request.user)
        if obj:
            context["preview_url"] = reverse("articles:preview", args=[obj.pk])
            context["revisions_url"] = reverse("admin:articles_article_revisions", args=[obj.pk])
        context.update(conversation.change_form_context(request, obj))
        context["article_panels"] = panels.article_panels(request, obj)  # a live page's stream (live.admin)
        if obj is None or transitions.can_edit(obj, request.user):
            context.update(autosave.change_form_context(request, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def changelist_view(self, request, extra_context=None):
        state_counts = admin_states.state_counts(self.get_queryset(request))
        return super().changelist_view(request, {**(extra_context or {}), "state_counts": state_counts})

    # The admin's own pages and endpoints, each a view of ``articles.admin.views``

    def get_urls(self):
        def view(view_class):
            return self.admin_site.admin_view(view_class.as_view(model_admin=self))

        extra = [
            path("preview-markdown/", view(preview.MarkdownPreviewView), name="articles_article_preview_markdown"),
            path("<int:pk>/revisions/", view(revisions.RevisionsView), name="articles_article_revisions"),
            path("<int:pk>/presence/", view(presence.HeartbeatView), name="articles_article_presence"),
            path("<int:pk>/autosave/", view(autosave.AutosaveView), name="articles_article_autosave"),
            path("autosave/", view(autosave.AutosaveView), name="articles_article_autosave_new"),
            path(
                "<int:pk>/revisions/<int:history_id>/restore/",
                view(revisions.RestoreRevisionView),
                name="articles_article_restore",
            ),
        ]
        return extra + super().get_urls()


def last_section(user):
    """The section of the article the user last saved with one, or None."""
    saved = Article.history.filter(history_user=user).exclude(section=None).order_by("-history_date", "-history_id")
    return saved.values_list("section_id", flat=True).first()
