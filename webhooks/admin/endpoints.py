"""The endpoints in the admin: where events go, which kinds, the secret to copy into the receiver, and whether
and why an endpoint was turned off. An address that is not public is refused at save, as the send refuses it."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html

from newsroom import outbound
from webhooks import fanout
from webhooks.models import Endpoint, Kind


class EndpointForm(forms.ModelForm):
    url = forms.URLField(label="URL", max_length=500, assume_scheme="https",
                         help_text="Where the events are posted: a public http(s) address.")  # fmt: skip
    events = forms.MultipleChoiceField(choices=Kind.subscribable, widget=forms.CheckboxSelectMultiple,
                                       help_text="The kinds of event this endpoint is told of.")  # fmt: skip

    class Meta:
        model = Endpoint
        fields = ["url", "description", "events", "active"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        try:
            outbound.check_address(url, allowed_hosts=settings.NEWSROOM_WEBHOOK_ALLOWED_HOSTS,
                                   setting="NEWSROOM_WEBHOOK_ALLOWED_HOSTS")  # fmt: skip
        except outbound.FetchError as error:
            raise forms.ValidationError(f"Webhooks cannot be sent there: {error}.") from None
        return url


def warn_of_turned_off(request, endpoints, nothing):
    """Tell the editor that ``endpoints`` are turned off, and so ``nothing`` (what they asked for) happened."""
    endpoints = list(endpoints)
    if endpoints:
        names = ", ".join(f"“{endpoint}”" for endpoint in endpoints)
        state = "it is" if len(endpoints) == 1 else "they are"
        messages.warning(request, f"{nothing} {names}: {state} turned off. Tick Active on an endpoint's page to "
                                  "turn it on again, then try once more.")  # fmt: skip


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    form = EndpointForm
    list_display = ["__str__", "url", "active", "consecutive_failures", "disabled_at", "log"]
    list_filter = ["active"]
    search_fields = ["url", "description"]
    readonly_fields = ["secret", "log", "consecutive_failures", "disabled_at", "disabled_reason", "created_by",
                       "created_at"]  # fmt: skip
    fieldsets = [
        (None, {"fields": ["url", "description", "events", "active"]}),
        ("Signing", {
            "fields": ["secret"],
            "description": "Give the receiver this secret: it verifies each delivery's webhook-signature with it.",
        }),
        ("Failures", {"fields": ["log", "consecutive_failures", "disabled_at", "disabled_reason", "created_by",
                                 "created_at"]}),
    ]  # fmt: skip

    actions = ["send_test_event"]

    def get_fieldsets(self, request, obj=None):
        if obj is None:  # the secret is made as the endpoint is saved: one shown on this form would not be it
            shown = "Once saved, the endpoint's page shows the secret to give the receiver."
            return [(None, {"fields": self.fieldsets[0][1]["fields"], "description": shown})]
        return self.fieldsets

    def response_post_save_add(self, request, obj):
        """Saved, a new endpoint's page is shown, with the secret to copy, rather than the list."""
        return HttpResponseRedirect(reverse("admin:webhooks_endpoint_change", args=[obj.pk]))

    class Media:
        css = {"all": ["admin/webhooks/webhooks.css"]}

    @admin.action(description="Send a test event to the selected endpoints", permissions=["change"])
    def send_test_event(self, request, queryset):
        active = list(queryset.filter(active=True))
        fanout.test_event(active)
        if active:
            url = reverse("admin:webhooks_delivery_changelist") + f"?kind__exact={Kind.TEST}"
            messages.success(request, format_html('Test events are on their way: see <a href="{}">the log</a>.', url))
        warn_of_turned_off(request, queryset.filter(active=False), "No test event was sent to")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        reenabled = change and obj.active and obj.disabled_at is not None
        super().save_model(request, obj, form, change)
        if reenabled:
            messages.info(request, "The endpoint is on again; its count of failures starts over.")

    @admin.display(description="deliveries")
    def log(self, obj):
        url = reverse("admin:webhooks_delivery_changelist") + f"?endpoint__id__exact={obj.pk}"
        return format_html('<a href="{}">Deliveries to {}</a>', url, obj)
