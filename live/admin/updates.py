"""The admin of updates: search across live pages and the moderation queue (writers see the updates of the pages
they may post to), and the full form. Every write, the full form's too, goes through ``live.stream``, so each
keeps its version, its place in the stream, its revision and the stream's pages fresh. The desk's endpoints
(``live.admin.views``) and each update's revisions (``live.admin.history``) are wired under this admin's URLs."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator

from live import rules, stream
from live.admin import history, views
from live.models import Update, ahead_of_now

STALE = "This update was changed by someone else (now version %(now)s; you had version %(had)s). Copy your text, "
STALE += "reload the update and make your change again."


class UpdateAdminForm(forms.ModelForm):
    # The version the form was opened at (the model's own ``version`` is not editable).
    opened_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Update
        fields = ["article", "headline", "body", "posted_at", "authors", "key_event", "pinned", "correction"]

    def clean_posted_at(self):
        posted_at = self.cleaned_data.get("posted_at")
        if posted_at and ahead_of_now(posted_at):
            raise forms.ValidationError("An update's time cannot be in the future.")
        return posted_at

    def clean(self):
        cleaned = super().clean()
        opened = cleaned.get("opened_version")
        if self.instance.pk and opened != self.instance.version:
            raise forms.ValidationError(STALE, params={"now": self.instance.version, "had": opened})
        return cleaned


@admin.register(Update)
class UpdateAdmin(admin.ModelAdmin):
    form = UpdateAdminForm
    list_display = ["summary", "article", "posted_at", "state", "key_event", "pinned", "author_names", "history"]
    list_select_related = ["article"]
    list_filter = [("article", admin.RelatedOnlyFieldListFilter), "status", "key_event", "pinned"]
    search_fields = ["headline", "body"]
    date_hierarchy = "posted_at"
    autocomplete_fields = ["authors"]
    actions = ["approve_selected", "delete_selected"]

    def get_queryset(self, request):
        updates = super().get_queryset(request).prefetch_related("authors")
        if rules.is_editor(request.user):
            return updates
        return updates.filter(article__in=rules.live_pages_for(request.user))

    def get_fields(self, request, obj=None):
        fields = ["article", "headline", "body", "posted_at", "authors", "key_event", "pinned"]
        return fields + ["correction"] if obj else fields  # and the hidden opened_version (change_form.html)

    def get_readonly_fields(self, request, obj=None):
        return ["article"] if obj else []

    def get_changeform_initial_data(self, request):
        return {"posted_at": timezone.now(), **super().get_changeform_initial_data(request)}

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if obj is not None:
            form.base_fields["opened_version"].initial = obj.version
        return form

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "article":
            kwargs["queryset"] = rules.live_pages_for(request.user).order_by("-live_from")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_add_permission(self, request):
        return request.user.has_perm("live.add_update")

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return obj.deleted_at is None and rules.may_change(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return request.user.has_perm("live.delete_update") or request.user.has_perm("live.add_update")
        return obj.deleted_at is None and rules.may_delete(request.user, obj)

    # Columns

    @admin.display(description="Update")
    def summary(self, update):
        return update.headline or Truncator(update.body).words(12)

    @admin.display(description="State", ordering="status")
    def state(self, update):
        return "Deleted" if update.deleted_at else update.get_status_display()

    @admin.display(description="Authors")
    def author_names(self, update):
        return ", ".join(author.name for author in update.authors.all())

    @admin.display(description="Revisions")
    def history(self, update):
        return format_html('<a href="{}">Revisions</a>', reverse("admin:live_update_revisions", args=[update.pk]))

    # Writing: through the stream only

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            fields = {name: data[name] for name in stream.EDITABLE if name in data}
            saved = stream.edit(
                obj, request.user, version=data["opened_version"], authors=list(data["authors"]), **fields
            )
        else:
            saved = stream.post(
                data["article"], request.user, body=data["body"], headline=data["headline"],
                authors=list(data["authors"]), key_event=data["key_event"], pinned=data["pinned"],
                posted_at=data["posted_at"],
            )  # fmt: skip
        obj.__dict__.update({key: value for key, value in saved.__dict__.items() if key != "_state"})
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        """The authors were set by the stream, with the update's revision."""

    def delete_model(self, request, obj):
        stream.delete(obj, request.user, version=obj.version)

    def delete_queryset(self, request, queryset):
        updates = list(queryset.select_related("article"))
        if not all(self.has_delete_permission(request, update) for update in updates):
            raise PermissionDenied("You may not delete some of these updates.")
        for update in updates:
            stream.delete(update, request.user, version=update.version)

    def get_deleted_objects(self, objs, request):
        """A deletion takes the updates off every surface; their revisions stay, so nothing else is listed."""
        shown = [str(update) for update in objs]
        return shown, {Update._meta.verbose_name_plural: len(shown)}, set(), []

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except stream.StaleUpdate as stale:  # changed between the form's check and the stream's lock
            messages.error(request, str(stale))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return HttpResponseRedirect(request.get_full_path())

    @admin.action(description="Approve the selected updates", permissions=["approve"])
    def approve_selected(self, request, queryset):
        pending = queryset.filter(status=Update.Status.PENDING, deleted_at=None).select_related("article")
        approved = [stream.approve(update, request.user, version=update.version) for update in pending]
        self.message_user(request, f"{len(approved)} updates approved.", messages.SUCCESS)

    def has_approve_permission(self, request):
        return rules.is_editor(request.user)

    # The desk's endpoints and the revisions page

    def get_urls(self):
        def view(function):
            return self.admin_site.admin_view(function)

        return [
            path("page/<int:article_pk>/", view(views.stream_list), name="live_update_stream"),
            path("page/<int:article_pk>/post/", view(views.post), name="live_update_post"),
            path("<int:pk>/edit/", view(views.edit), name="live_update_edit"),
            path("<int:pk>/approve/", view(views.approve), name="live_update_approve"),
            path("<int:pk>/remove/", view(views.delete), name="live_update_remove"),
            path("<int:pk>/break-out/", view(views.break_out), name="live_update_break_out"),
            path("<int:pk>/revisions/", view(history.revisions), name="live_update_revisions"),
        ] + super().get_urls()
