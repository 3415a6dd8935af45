"""The front page's pins and the breaking-news banners in the admin."""

from django.contrib import admin, messages

from articles.models import Banner, Pin, SiteSettings, numbers


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
