from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count, Q
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from taggit.models import Tag

from articles.admin import states as admin_states
from articles.admin import textdiff, throttle
from articles.admin import workflow as admin_workflow
from articles.admin.clashes import ValidateAgainOnClash
from articles.admin.desk_views import DeskAdminMixin
from articles.admin.forms import ArticleAdminForm, AuthorAdminForm, SiteSettingsForm, WithdrawForm, store_upload
from articles.admin.guards import BoundedInlineMixin
from articles.desk import dashboard as desk
from articles.desk import notify, presence
from articles.markup import figures
from articles.markup import markdown as markup
from articles.models import (
    Article,
    ArticleAlias,
    ArticleTransition,
    Author,
    Autosave,
    Banner,
    Byline,
    Correction,
    Image,
    Pin,
    Section,
    SectionAlias,
    ShareLink,
    SiteSettings,
    numbers,
    site_host,
)
from articles.workflow import transitions as workflow

URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


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
    model = Byline
    extra = 1
    autocomplete_fields = ["author"]
    fields = ["position", "author", "role"]


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


class TagFilter(admin.SimpleListFilter):
    """Tags of the articles this user can see in the list: a writer is not shown tags that only other
    people's drafts carry."""

    title = "tag"
    parameter_name = "tag"

    def lookups(self, request, model_admin):
        tags = Tag.objects.all()
        if not request.user.has_perm("articles.edit_any_article"):  # editors see every article, so every tag
            visible = model_admin.get_queryset(request).values("pk")
            tags = tags.filter(articles_taggedarticle_items__content_object__in=visible).distinct()
        return [(tag.slug, tag.name) for tag in tags.order_by("name")]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(tags__slug=self.value())
        return queryset


class DeskFilter(admin.SimpleListFilter):
    """The desk's blocks as list filters: each dashboard block links here."""

    title = "desk"
    parameter_name = "desk"

    def lookups(self, request, model_admin):
        return [(key, label) for key, (label, _) in desk.desk_filters(request.user).items()]

    def queryset(self, request, queryset):
        filters = desk.desk_filters(request.user)
        if self.value() in filters:
            if self.value() == "sent_back":
                queryset = desk.with_last_source(queryset)
            return queryset.filter(filters[self.value()][1])  # no condition joins a table: each article once
        return queryset


@admin.register(Article)
class ArticleAdmin(
    ValidateAgainOnClash, DeskAdminMixin, admin_workflow.WorkflowButtons, numbers.CheckedNumbersAdmin, admin.ModelAdmin
):
    form = ArticleAdminForm
    formfield_overrides = URL_FIELDS
    list_display = ["title", "state_badge", "editing_now", "section", "published_at", "byline_names", "modified_at"]
    list_select_related = ["section"]
    list_filter = [DeskFilter, admin_states.StateFilter, "section", "bylines__author", TagFilter, "published_at"]
    search_fields = ["title", "dek", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["state_badge", "checklist", "reading"]
    autocomplete_fields = ["lead_image"]
    inlines = [BylineInline, CorrectionInline, ShareLinkInline, AliasInline, TransitionInline]
    actions = ["submit_selected", "publish_selected", "schedule_selected", "withdraw_selected"]
    change_form_template = "admin/articles/article/change_form.html"
    change_list_template = "admin/articles/article/change_list.html"

    class Media:
        css = {"all": ["admin/articles/editor.css", "admin/articles/library.css"]}
        js = [
            "admin/articles/editor.js",
            "admin/articles/pictures.js",
            "admin/articles/desk.js",
            "admin/articles/autocomplete-names.js",
        ]

    def get_fieldsets(self, request, obj=None):
        publishing = ["state_badge", "checklist", "published_at", "expires_at", "embargo_until", "assignee", "slug",
                      "section", "tags"]  # fmt: skip
        if request.user.has_perm("articles.publish_article"):
            publishing += ["substantive_update"]
        if request.user.has_perm("articles.publish_article") or request.user.has_perm("articles.withdraw_article"):
            publishing += ["withdrawal_note"]
        publishing += ["transition_comment", "version"]
        return [
            ("Writing", {"fields": ["title", "dek", "body", "reading"]}),
            ("Publishing", {"fields": publishing}),
            (
                "Lead image",
                {
                    "fields": [
                        "lead_image",
                        "lead_image_upload",
                        "lead_image_url",
                        "lead_image_alt",
                        "lead_image_caption",
                        "lead_image_credit",
                    ]
                },
            ),  # fmt: skip
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.may_add_tags = request.user.has_perm("taggit.add_tag")  # a class made for this request
        form.desk_user = request.user
        return form

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
        holders = presence.holders([article.pk for article in changelist.result_list])
        for article in changelist.result_list:
            article.editing_now = holders.get(article.pk)
        return changelist

    def get_readonly_fields(self, request, obj=None):
        fields = list(self.readonly_fields)
        if not request.user.has_perm("articles.publish_article"):
            fields += ["published_at", "expires_at", "embargo_until", "assignee"]
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
        return workflow.can_edit(obj, request.user)

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
        problems = workflow.publish_problems(article)
        warnings = workflow.picture_warnings(article)
        text = format_html("Missing: {}", ", ".join(problems)) if problems else "Ready to publish."
        if warnings:
            text = format_html("{}<br>Note: {}", text, "; ".join(warnings))
        return text

    @admin.display(description="Length")
    def reading(self, article):
        text = markup.plain_text(article.body_html)
        return format_html(
            '<span class="reading">{} words · {} min read</span>', markup.word_count(text), markup.reading_minutes(text)
        )

    # Saving

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        uploaded = store_upload(
            form, "lead_image_upload", request.user,
            alt=obj.lead_image_alt, caption=obj.lead_image_caption, credit=obj.lead_image_credit,
        )  # fmt: skip
        if uploaded is not None:
            obj.lead_image = uploaded
        if form.cleaned_data.get("substantive_update"):
            obj.updated_at = timezone.now()
        super().save_model(request, obj, form, change)
        # The text is saved: the autosave it may have come from is done with.
        Autosave.objects.filter(user=request.user, article=obj if change else None).delete()

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in formset.deleted_objects:  # first: a row may take the author a deleted row had
            instance.delete()
        if formset.model is Byline:  # rows that trade authors would meet half-way on the unique index
            moved = [instance for instance in instances if instance.pk is not None]
            Byline.objects.filter(pk__in=[instance.pk for instance in moved]).delete()
            for instance in moved:
                instance.pk, instance._state.adding = None, True
        for instance in instances:
            if isinstance(instance, (Correction, ShareLink)) and instance.created_by_id is None:
                instance.created_by = request.user
            instance.save()  # a correction dates its article and is logged (Correction.save)
        formset.save_m2m()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.record_credits()  # the revision just made, with the bylines and tags as saved
        self.apply_button(request, form)  # a refused transition undoes the whole save

    def response_change(self, request, obj):
        if "_continue" not in request.POST:
            presence.leave(obj.pk, request.user)  # the form is left: nobody is kept waiting for a closed tab
        return super().response_change(request, obj)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["transitions"] = workflow.available(obj, request.user) if obj else (
            [workflow.TRANSITIONS["submit"]] if request.user.has_perm("articles.add_article") else []
        )  # fmt: skip
        context["preview_markdown_url"] = reverse("admin:articles_article_preview_markdown")
        if request.user.has_perm("articles.view_image"):
            context["picture_picker_urls"] = {
                "search": reverse("admin:articles_image_picker_search"),
                "upload": reverse("admin:articles_image_picker_upload"),
            }
        if obj:
            context["preview_url"] = reverse("articles:preview", args=[obj.pk])
            context["revisions_url"] = reverse("admin:articles_article_revisions", args=[obj.pk])
        if obj is None or workflow.can_edit(obj, request.user):
            context.update(self._desk_context(request, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def changelist_view(self, request, extra_context=None):
        state_counts = admin_states.state_counts(self.get_queryset(request))
        return super().changelist_view(request, {**(extra_context or {}), "state_counts": state_counts})

    # Bulk actions: each calls the workflow, which checks permission and state per article.

    @admin.action(description="Submit selected for review")
    def submit_selected(self, request, queryset):
        admin_workflow.run_transition(self, request, queryset, "submit")

    @admin.action(description="Publish selected now", permissions=["publish"])
    def publish_selected(self, request, queryset):
        admin_workflow.run_transition(self, request, queryset, "publish")

    @admin.action(description="Schedule selected at their publication times", permissions=["publish"])
    def schedule_selected(self, request, queryset):
        admin_workflow.run_transition(self, request, queryset, "schedule")

    @admin.action(description="Withdraw selected…", permissions=["withdraw"])
    def withdraw_selected(self, request, queryset):
        form = WithdrawForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            note, comment = form.cleaned_data["note"], form.cleaned_data["comment"]
            admin_workflow.run_transition(
                self, request, queryset, "withdraw", comment=comment, public_note=note.strip() or None
            )  # no note given: each article's own Withdrawal note
            return None
        context = {**self.admin_site.each_context(request), "form": form, "articles": queryset,
                   "opts": self.model._meta, "title": "Withdraw articles"}  # fmt: skip
        return TemplateResponse(request, "admin/articles/article/withdraw.html", context)

    # Extra admin pages: live Markdown preview and revisions

    def get_urls(self):
        extra = [
            path(
                "preview-markdown/",
                self.admin_site.admin_view(self.preview_markdown),
                name="articles_article_preview_markdown",
            ),
            path("<int:pk>/revisions/", self.admin_site.admin_view(self.revisions), name="articles_article_revisions"),
            path(
                "<int:pk>/presence/", self.admin_site.admin_view(self.presence_view), name="articles_article_presence"
            ),
            path(
                "<int:pk>/autosave/", self.admin_site.admin_view(self.autosave_view), name="articles_article_autosave"
            ),
            path("autosave/", self.admin_site.admin_view(self.autosave_view), name="articles_article_autosave_new"),
            path(
                "<int:pk>/revisions/<int:history_id>/restore/",
                self.admin_site.admin_view(self.restore_revision),
                name="articles_article_restore",
            ),
        ]
        return extra + super().get_urls()

    def preview_markdown(self, request):
        """The body as readers will get it, through the same pipeline, for the editor's preview pane.

        Limited per user (NEWSROOM_PREVIEW_LIMIT previews and NEWSROOM_PREVIEW_BYTES of text per
        NEWSROOM_PREVIEW_PERIOD_SECONDS) and by the body size limit, so that previews cost a bounded share of
        one worker whoever sends them.
        """
        if request.method != "POST" or not self.has_add_permission(request):
            raise PermissionDenied
        body, title = request.POST.get("body", ""), request.POST.get("title", "")
        period = settings.NEWSROOM_PREVIEW_PERIOD_SECONDS
        if wait := throttle.retry_after(
            "preview", request.user.pk, limit=settings.NEWSROOM_PREVIEW_LIMIT, period=period
        ):
            return throttle.retry_later(f"Too many previews at once; the preview resumes in {wait} s.", wait)
        if message := markup.size_error(body):
            return JsonResponse({"error": f"No preview: {message}"}, status=413)
        # Rendering time follows the size of the text: the bytes rendered per period are limited too.
        size = len(body.encode("utf-8", "surrogatepass"))
        limit = settings.NEWSROOM_PREVIEW_BYTES
        if wait := throttle.retry_after("preview-bytes", request.user.pk, limit=limit, period=period, cost=size):
            return throttle.retry_later(f"Previews of long texts are paused for {wait} s.", wait)
        html, _ = Article.rendering(body, title, request.POST.get("lead_image_url", ""), site_host=site_host())
        text = markup.plain_text(html)
        html = figures.expand(html, Image.objects.in_bulk(figures.referenced_ids(html)[:200]), readers=False)
        return JsonResponse({"html": html, "words": markup.word_count(text), "minutes": markup.reading_minutes(text)})

    def _article_for_history(self, request, pk):
        article = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        return article

    def revisions(self, request, pk):
        article = self._article_for_history(request, pk)
        records = list(article.history.select_related("history_user").order_by("-history_date", "-history_id"))
        by_id = {r.history_id: r for r in records}
        old, new = (by_id.get(numbers.whole_number(request.GET.get(end), "AutoField")) for end in ("from", "to"))
        if old is None and new is None and len(records) > 1:
            new, old = records[0], records[1]
        changes = []
        if old and new:
            labels = (f"#{old.history_id}", f"#{new.history_id}")
            for change in new.diff_against(old).changes:
                table = textdiff.html(change.old, change.new, *labels)
                changes.append((Article._meta.get_field(change.field).verbose_name, table))
            for label, name, lines in (("bylines", "history_bylines", _byline_lines), ("tags", "history_tags", list)):
                before, after = getattr(old, name), getattr(new, name)
                if before is not None and after is not None and before != after:
                    changes.append((label, textdiff.html("\n".join(lines(before)), "\n".join(lines(after)), *labels)))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": article,
            "title": f"Revisions of “{article.title}”",
            "records": records,
            "old": old,
            "new": new,
            "changes": changes,
            "can_restore": workflow.can_edit(article, request.user),
        }
        return TemplateResponse(request, "admin/articles/article/revisions.html", context)

    def restore_revision(self, request, pk, history_id):
        article = self._article_for_history(request, pk)
        if request.method != "POST" or not workflow.can_edit(article, request.user):
            raise PermissionDenied
        record = get_object_or_404(article.history, history_id=history_id)
        workflow.restore(article, record, request.user)
        self.message_user(request, f"Restored the text of revision #{history_id} as a new revision.", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))


def _byline_lines(bylines):
    return [f"{b['name']} ({b['role']})" if b.get("role") else b["name"] for b in bylines]


@admin.register(Author)
class AuthorAdmin(ValidateAgainOnClash, numbers.CheckedNumbersAdmin, admin.ModelAdmin):
    """Writers see authors (to credit them); only those who manage authors see their e-mail and logins."""

    form = AuthorAdminForm
    formfield_overrides = URL_FIELDS
    autocomplete_fields = ["photo"]
    list_display = ["name", "slug", "user", "email"]
    search_fields = ["name", "email"]
    prepopulated_fields = {"slug": ["name"]}
    PRIVATE_FIELDS = ("email", "user")

    def _manages_authors(self, request):
        return request.user.has_perm("articles.change_author")

    def get_list_display(self, request):
        fields = super().get_list_display(request)
        return fields if self._manages_authors(request) else [f for f in fields if f not in self.PRIVATE_FIELDS]

    def get_search_fields(self, request):
        fields = super().get_search_fields(request)
        return fields if self._manages_authors(request) else [f for f in fields if f not in self.PRIVATE_FIELDS]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return fields if self._manages_authors(request) else [f for f in fields if f not in self.PRIVATE_FIELDS]

    def save_model(self, request, obj, form, change):
        if (uploaded := store_upload(form, "photo_upload", request.user, alt=obj.name)) is not None:
            obj.photo = uploaded
        super().save_model(request, obj, form, change)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # A plain choice of the newsroom's staff logins: the user autocomplete would need every editor to
        # hold view rights on all user accounts.
        if db_field.name == "user":
            kwargs["queryset"] = User.objects.filter(is_active=True, is_staff=True).order_by("username")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class SectionAliasInline(LabelledTabularInline):
    model = SectionAlias
    extra = 0
    fields = ["slug"]
    readonly_fields = ["slug"]
    verbose_name_plural = "old addresses (redirect here)"

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Section)
class SectionAdmin(ValidateAgainOnClash, admin.ModelAdmin):
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


@admin.register(Pin)
class PinAdmin(numbers.CheckedNumbersAdmin, admin.ModelAdmin):
    """The front page's lead and top stories, for editors. A pin whose article is not published (yet, or any
    more) is kept but not shown."""

    list_display = ["article", "place", "position", "expires_at", "shown"]
    list_editable = ["place", "position", "expires_at"]
    list_select_related = ["article"]
    autocomplete_fields = ["article"]
    fields = ["article", "place", "position", "expires_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.pinned_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description="On the front page now", boolean=True)
    def shown(self, pin):
        return pin.article.is_published() and pin.is_live()


@admin.register(Banner)
class BannerAdmin(admin.ModelAdmin):
    """Breaking-news banners. One that leads to an article readers cannot see yet is kept but not shown, and
    the editor is told so on saving it."""

    list_display = ["text", "starts_at", "expires_at", "is_live", "shown"]
    fields = ["text", "link", "starts_at", "expires_at"]
    search_fields = ["text"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if reason := obj.withheld(SiteSettings.current().public_url):
            messages.warning(request, f"Readers do not see this banner yet. {reason}")

    @admin.display(description="On every page now", boolean=True)
    def shown(self, banner):
        return banner.is_live() and banner.withheld(SiteSettings.current().public_url) is None


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    """One record: the list goes straight to it, and it can be neither added nor deleted."""

    form = SiteSettingsForm
    formfield_overrides = URL_FIELDS
    fieldsets = [
        ("Identity", {"fields": ["name", "tagline", "public_url", "logo", "language", "time_zone", "version"]}),
        (
            "Publisher",
            {"fields": ["publisher_name", "publisher_logo", "social_image", "twitter_handle", "social_profiles"]},
        ),  # fmt: skip
        ("Footer", {"fields": ["footer_text", "contact_email"]}),
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        site = SiteSettings.load()
        return HttpResponseRedirect(reverse("admin:articles_sitesettings_change", args=[site.pk]))
