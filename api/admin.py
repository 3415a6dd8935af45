"""Editors issue and revoke the content API's keys. A key is shown once, on the page right after it is made;
afterwards the list shows only its public prefix and when it was last used."""

from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.urls import reverse

from api.models import ApiKey
from articles.models import SiteSettings


class RevokedFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("active", "Active"), ("revoked", "Revoked")]

    def queryset(self, request, queryset):
        if self.value() == "active":
            return queryset.active()
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "scope", "shown_prefix", "state", "last_used_at", "created_at", "created_by"]
    list_filter = [RevokedFilter, "scope"]
    search_fields = ["name", "prefix"]
    date_hierarchy = "created_at"
    actions = ["revoke"]
    readonly_fields = ["shown_prefix", "state", "created_by", "created_at", "last_used_at", "revoked_at"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["name", "scope"]
        return ["name", "scope", *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        # A key's scope is part of what its holder was given: a wider scope means a new key.
        return [] if obj is None else ["scope", *self.readonly_fields]

    @admin.display(description="key", ordering="prefix")
    def shown_prefix(self, key):
        return f"nr_{key.prefix}_…"

    @admin.display(description="state", ordering="revoked_at")
    def state(self, key):
        return f"Revoked {key.revoked_at:%Y-%m-%d %H:%M}" if key.is_revoked() else "Active"

    @admin.action(description="Revoke the selected keys (they stop working at once)", permissions=["change"])
    def revoke(self, request, queryset):
        revoked = 0
        for key in queryset.active():
            key.revoke()
            revoked += 1
        already = queryset.count() - revoked
        told = f"{revoked} key{'s' if revoked != 1 else ''} revoked"
        if already:
            told += f"; {already} {'was' if already == 1 else 'were'} revoked already"
        self.message_user(request, f"{told}.", messages.SUCCESS if revoked else messages.WARNING)

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["name"])
            return
        obj.created_by = request.user
        obj.full_key = obj.make_secret()
        obj.save()

    def add_view(self, request, form_url="", extra_context=None):
        # Whatever saves a key leads to the page that shows it once: one Save button, no "add another".
        only_save = {"show_save_and_add_another": False, "show_save_and_continue": False}
        return super().add_view(request, form_url, {**(extra_context or {}), **only_save})

    def response_add(self, request, obj, post_url_continue=None):
        """The one page that shows the whole key (the admin's pages are never cached)."""
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "key": obj,
            "full_key": obj.full_key,
            "api_url": SiteSettings.current().absolute(reverse("api:article_list")),
            "list_url": reverse("admin:api_apikey_changelist"),
            "title": f"API key “{obj.name}” created",
        }
        return TemplateResponse(request, "admin/api/apikey/created.html", context)
