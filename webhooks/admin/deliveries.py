"""The delivery log in the admin: each event sent to each endpoint, its status, its attempts (time, HTTP status or
error, latency, the start of the answer), filtered by endpoint, status and kind; "Resend" sends the chosen
deliveries again with the same webhook-id and body (an admin action: a POST, for those who may change them)."""

import json

from django.contrib import admin, messages
from django.utils.html import format_html

from webhooks import sending
from webhooks.admin.endpoints import warn_of_turned_off
from webhooks.models import Attempt, Delivery, Endpoint

CSS = {"all": ["admin/webhooks/webhooks.css"]}


def wrapped(text):
    return format_html('<pre class="wh-text">{}</pre>', text)


class AttemptInline(admin.StackedInline):
    model = Attempt
    fields = ["at", "status_code", "error", "latency_ms", "answer"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="the answer's start")
    def answer(self, obj):
        return wrapped(obj.response_excerpt) if obj.response_excerpt else "-"


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["kind", "endpoint", "status", "attempts", "created_at", "next_attempt_at", "last_result"]
    list_filter = ["status", "kind", "endpoint"]
    list_select_related = ["endpoint"]
    date_hierarchy = "created_at"
    search_fields = ["event_id", "body"]
    fields = ["endpoint", "event_id", "kind", "status", "attempts", "created_at", "first_attempt_at",
              "next_attempt_at", "succeeded_at", "last_result", "payload"]  # fmt: skip
    readonly_fields = fields
    inlines = [AttemptInline]
    actions = ["resend"]

    class Media:
        css = CSS

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # a log: every field is a record, and Resend is an action of its own

    @admin.display(description="body")
    def payload(self, obj):
        try:
            shown = json.dumps(json.loads(obj.body), indent=2, ensure_ascii=False)
        except ValueError:
            shown = obj.body
        return wrapped(shown)

    @admin.action(description="Resend the selected deliveries", permissions=["resend"])
    def resend(self, request, queryset):
        if asked := sending.resend(queryset.filter(endpoint__active=True)):
            deliveries = "1 delivery" if asked == 1 else f"{asked} deliveries"
            messages.success(request, f"{deliveries} will be sent again, with the same webhook-id.")
        turned_off = Endpoint.objects.filter(active=False, deliveries__in=queryset).distinct()
        warn_of_turned_off(request, turned_off, "Nothing was sent again to")

    def has_resend_permission(self, request):
        return request.user.has_perm("webhooks.change_delivery")
