"""Subscribers in the admin: found by address, filtered by status and list, each with the record of its consent
(its lists with when and where it asked and confirmed, and what happened to it), read-only: an address changes
only through its own links or an import. Exported as CSV (the selected, or the whole filtered list) and imported
from CSV (``csvimport``)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone

from articles.models import SiteSettings
from newsletters.admin import csvexport, csvimport
from newsletters.models import Newsletter, Subscriber, SubscriberEvent, Subscription


class ReadOnlyInline(admin.TabularInline):
    """A part of the subscriber's record, shown to whoever may see the subscriber (the events have no
    permissions of their own: they are only ever read here)."""

    extra = 0
    can_delete = False
    template = "admin/newsletters/tabular.html"

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("newsletters.view_subscriber")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SubscriptionInline(ReadOnlyInline):
    model = Subscription
    fields = readonly_fields = ["newsletter", "status", "requested_at", "source", "consented_at", "unsubscribed_at"]
    verbose_name, verbose_name_plural = "list", "lists and consent"


class EventInline(ReadOnlyInline):
    model = SubscriberEvent
    fields = readonly_fields = ["at", "kind", "newsletter", "detail"]
    verbose_name, verbose_name_plural = "event", "what happened to this address"


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Columns: email, lists (slugs separated by spaces or “;”), and optionally consent (yes/no) and "
        "consented_at (as 2026-03-01 09:30, in the site's time zone unless it names one). At most 10,000 rows "
        "and 10 MB.",
    )


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "status", "lists", "confirmed_at", "source"]
    list_filter = ["status", "newsletters"]
    search_fields = ["email"]
    actions = ["export_selected"]
    inlines = [SubscriptionInline, EventInline]
    fields = ["email", "status", "format", "paused_until", "created_at", "source", "confirmed_at",
              "unsubscribed_at", "bounced_at", "bounce_reason", "last_mailed_at"]  # fmt: skip
    readonly_fields = fields
    change_list_template = "admin/newsletters/subscriber/change_list.html"

    def get_queryset(self, request):
        on = Subscription.objects.exclude(status=Subscription.Status.UNSUBSCRIBED).select_related("newsletter")
        return super().get_queryset(request).prefetch_related(Prefetch("subscriptions", on, to_attr="current"))

    @admin.display(description="lists")
    def lists(self, obj):
        shown = [
            s.newsletter.name + (" (awaiting confirmation)" if s.status == Subscription.Status.PENDING else "")
            for s in getattr(obj, "current", [])
        ]
        return ", ".join(shown) or "–"

    def has_add_permission(self, request):
        return False  # addresses come through the sign-up form or an import

    def has_change_permission(self, request, obj=None):
        return False  # the page shows the record; nothing on it is edited

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("export/", wrap(self.export_view), name="newsletters_subscriber_export"),
            path("import/", wrap(self.import_view), name="newsletters_subscriber_import"),
        ] + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        extra = {"may_import": self.may_import(request), **(extra_context or {})}
        extra["export_query"] = request.GET.urlencode()
        return super().changelist_view(request, extra)

    def may_import(self, request):
        return request.user.has_perm("newsletters.add_subscriber") and request.user.has_perm(
            "newsletters.change_subscriber"
        )

    @admin.action(description="Export the selected subscribers as CSV", permissions=["view"])
    def export_selected(self, request, queryset):
        return csvexport.response(queryset.prefetch_related(None))

    def export_view(self, request):
        """The whole list as filtered and searched on the list page (its query string), as CSV."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return HttpResponseBadRequest("The list's filters in this address are not ones the list has.")
        return csvexport.response(changelist.get_queryset(request).prefetch_related(None))

    def import_view(self, request):
        if not self.may_import(request):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        outcome = None
        if request.method == "POST" and form.is_valid():
            try:
                outcome = csvimport.run(form.cleaned_data["file"], request.user, SiteSettings.current().zone)
            except csvimport.BadFile as error:
                form.add_error("file", str(error))
            else:
                if not outcome.errors:
                    messages.success(request, self.imported(outcome))
                    if not outcome.kept:
                        return redirect("admin:newsletters_subscriber_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": "Import subscribers",
            "opts": self.opts,
            "form": form,
            "outcome": outcome,
            "lists": Newsletter.objects.all(),
            "now": timezone.now(),
        }
        status = 400 if request.method == "POST" and (not form.is_valid() or (outcome and outcome.errors)) else 200
        return TemplateResponse(request, "admin/newsletters/subscriber/import.html", context, status=status)

    @staticmethod
    def imported(outcome):
        said = f"Imported: {outcome.added} new addresses, {outcome.updated} already known."
        if outcome.consented:
            said += f" {outcome.consented} subscribed with the consent the file records."
        if outcome.asked:
            said += f" {outcome.asked} asked to confirm by e-mail."
        if outcome.kept:
            said += f" {len(outcome.kept)} left as they were (listed below)."
        return said
