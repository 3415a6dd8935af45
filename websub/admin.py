"""The notices owed to WebSub hubs, for the operator to look at (superusers only: they name no content an editor
acts on). Notices are made and sent by ``websub.notices``, never here."""

from django.contrib import admin

from websub.models import Notice


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["topic", "hub", "status", "attempts", "due_at", "sent_at", "last_error"]
    list_filter = ["status", "hub"]
    search_fields = ["topic"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in Notice._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
