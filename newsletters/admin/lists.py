"""The lists in the admin: what readers are offered, in order, with how many are on each (counted in the list's
one query, not a query a row)."""

from django import forms
from django.contrib import admin
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html

from newsletters.models import Newsletter, Subscriber, Subscription


def counted(queryset):
    """``queryset`` of lists with their confirmed (``active_count``) and waiting (``pending_count``) subscribers."""
    active = Q(subscriptions__status=Subscription.Status.ACTIVE,
               subscriptions__subscriber__status=Subscriber.Status.ACTIVE)  # fmt: skip
    pending = Q(subscriptions__status=Subscription.Status.PENDING)
    return queryset.annotate(
        active_count=Count("subscriptions", filter=active), pending_count=Count("subscriptions", filter=pending)
    )


@admin.register(Newsletter)
class NewsletterAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "cadence", "is_open", "position", "active", "pending", "issues"]
    list_display_links = ["name"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "description", "cadence", "is_open", "position"]}),
        ("Digests", {
            "fields": ["sections", "authors"],
            "description": "What a digest of this list gathers; an issue of chosen articles ignores these.",
        }),
    ]  # fmt: skip

    def get_queryset(self, request):
        return counted(super().get_queryset(request))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        # A plain labelled list (the autocomplete's search box has no name a screen reader could say).
        kwargs["widget"] = forms.SelectMultiple(attrs={"size": 8})
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description="subscribed", ordering="active_count")
    def active(self, obj):
        return obj.active_count

    @admin.display(description="awaiting confirmation", ordering="pending_count")
    def pending(self, obj):
        return obj.pending_count

    @admin.display(description="issues")
    def issues(self, obj):
        url = reverse("admin:newsletters_edition_changelist") + f"?newsletter__id__exact={obj.pk}"
        return format_html('<a href="{}">Issues of {}</a>', url, obj.name)
