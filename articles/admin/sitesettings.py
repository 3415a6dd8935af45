"""The site's settings in the admin: one record, edited in place."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse

from articles.admin.forms import URL_FIELDS, SiteSettingsForm
from articles.models import SiteSettings


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
        ("Publish checklist", {"fields": ["headline_limit", "required_checks"]}),
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
