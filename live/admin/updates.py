"""The admin of updates: search across live pages and the moderation queue (writers see the updates of the pages
they may post to), and the full form. Every write, the full form's too, goes through ``live.stream``, so each
keeps its version, its place in the stream, its revision and the stream's pages fresh. The desk's endpoints
(``live.admin.views``) and each update's revisions (``live.admin.history``) are wired under this admin's URLs."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as confirm_deletion
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator

from live import rules, stream
from live.admin import history, views
from live.models import Update

STALE = "This update was changed by someone else (now version %(now)s; you had version %(had)s). Copy your text, "
STALE += "reload the update and make your change again."


def _updates(count):
    return "update" if count == 1 else "updates"


def _reason(error):
    if isinstance(error, stream.StaleUpdate):
        return "changed by someone else since the list was shown; reload it and try again"
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or "you may not"


class UpdateAdminForm(forms.ModelForm):
    # The version the form was opened at (the model's own ``version`` is not editable).
    opened_version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # What the stream refused when this form's data was last sent (``UpdateAdmin.changeform_view``).
    refused = None

    class Meta:
        model = Update
        fields = ["article", "headline", "body", "posted_at", "authors", "key_event", "pinned", "correction"]
        # One labelled control a field, as on the posting panel: Django's split date and time and the
        # autocomplete's search box have no label a screen reader could announce.
        widgets = {
            "posted_at": forms.DateTimeInput(attrs={"type": "datetime-local", "step": 1}, format="%Y-%m-%dT%H:%M:%S"),
            "authors": forms.SelectMultiple(attrs={"size": 6}),
        }
        field_classes = {"posted_at": forms.DateTimeField}

    def clean(self):
        cleaned = super().clean()
        opened = cleaned.get("opened_version")
        if self.instance.pk and opened != self.instance.version:
            raise forms.ValidationError(STALE, params={"now": self.instance.version, "had": opened})
        if isinstance(self.refused, ValidationError):
            self._name_problems(self.refused)
        elif self.refused is not None:
            self.add_error(None, str(self.refused))
        return cleaned

    def _name_problems(self, error):
        """The stream's named problems (``live.stream``'s rules, such as a time in the future) on their fields."""
        problems = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
        for name, messages_ in problems.items():
            self.add_error(name if name in self.fields else None, messages_)


@admin.register(Update)
class UpdateAdmin(admin.ModelAdmin):
    form = UpdateAdminForm
    list_display = ["summary", "article", "posted_at", "state", "key_event", "pinned", "author_names", "history"]
    list_select_related = ["article"]
    list_filter = [("article", admin.RelatedOnlyFieldListFilter), "status", "key_event", "pinned"]
    search_fields = ["headline", "body"]
    date_hierarchy = "posted_at"
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
        refused = getattr(request, "live_refused", None)
        return type(form.__name__, (form,), {"refused": refused}) if refused is not None else form

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

    def _each(self, request, updates, write, done):
        """``write`` each update through the stream; one refused (changed by someone else since the list was
        read, or no longer this user's to change) is skipped and named, and the others are still written."""
        written, skipped = [], []
        for update in updates:
            try:
                write(update, request.user, version=update.version)
            except (stream.StaleUpdate, ValidationError, PermissionDenied) as error:
                skipped.append(f"“{Truncator(str(update)).words(12)}” ({_reason(error)})")
            else:
                written.append(update)
        if written:
            self.message_user(request, f"{len(written)} {_updates(len(written))} {done}.", messages.SUCCESS)
        if skipped:
            self.message_user(request, f"Not {done}: {'; '.join(skipped)}.", messages.WARNING)
        return written

    def delete_queryset(self, request, queryset):
        deleted = self._each(request, list(queryset.select_related("article")), stream.delete, "deleted")
        self.log_deletions(request, deleted)  # soft deletions: logged once done, the skipped ones not

    @admin.action(description="Delete the selected updates", permissions=["delete"])
    def delete_selected(self, request, queryset):
        """Django's confirmation page, then the deletion through the stream, which says what it did and skipped
        (Django's own action would count the skipped ones as deleted)."""
        if not request.POST.get("post"):
            return confirm_deletion(self, request, queryset)
        self.delete_queryset(request, queryset)
        return None

    def get_deleted_objects(self, objs, request):
        """A deletion takes the updates off every surface; their revisions stay, so nothing else is listed."""
        shown = [str(update) for update in objs]
        return shown, {Update._meta.verbose_name_plural: len(shown)}, set(), []

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """A write the stream refuses (a named problem, or a change made by someone else between the form's
        check and the stream's lock) shows the form again with the problem on it and everything typed kept."""
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (stream.StaleUpdate, ValidationError) as refused:
            if request.method != "POST":
                raise
            request.live_refused = refused  # read by get_form: the form sent again carries the problem
            return super().changeform_view(request, object_id, form_url, extra_context)

    @admin.action(description="Approve the selected updates", permissions=["approve"])
    def approve_selected(self, request, queryset):
        pending = list(queryset.filter(status=Update.Status.PENDING, deleted_at=None).select_related("article"))
        if not pending:
            self.message_user(request, "None of the selected updates was awaiting approval.", messages.INFO)
        self._each(request, pending, stream.approve, "approved")

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
