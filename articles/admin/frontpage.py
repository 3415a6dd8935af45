"""The front page's pins and the breaking-news banners in the admin."""

from django.contrib import admin, messages
from django.urls import path
from django.utils.html import format_html, format_html_join

from articles.admin import board
from articles.admin.clashes import ValidateAgainOnClash
from articles.admin.labelled import LabelledDateTimes
from articles.models import Banner, Pin, SiteSettings, numbers

AUTOCOMPLETE_NAMES = "admin/articles/autocomplete-names.js"


@admin.register(Pin)
class PinAdmin(ValidateAgainOnClash, LabelledDateTimes, numbers.CheckedNumbersAdmin, admin.ModelAdmin):
    """The front page's lead and top stories, for editors, as a board of the cards readers see
    (``articles.admin.board``). A pin whose article is not published (yet, or any more) is kept but not shown."""

    list_select_related = ["article"]
    autocomplete_fields = ["article"]
    fields = ["article", "place", "expires_at"]

    class Media:
        js = [AUTOCOMPLETE_NAMES]

    def get_urls(self):
        board_view = self.admin_site.admin_view(self.board_view)
        return [path("board/", board_view, name="articles_pin_board")] + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        return self.board_view(request)

    def board_view(self, request):
        return board.view(self, request)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.pinned_by = request.user
            obj.position = board.make_room(obj.place)
        super().save_model(request, obj, form, change)


@admin.register(Banner)
class BannerAdmin(LabelledDateTimes, numbers.CheckedNumbersAdmin, admin.ModelAdmin):
    """Breaking-news banners, each leading to one of our articles (chosen from a list, followed wherever its
    address moves) or to an outside address. One that leads to an article readers cannot see is kept but not
    shown, and the editor is told so on saving it; one whose story changed since it was saved says so."""

    list_display = ["text", "leads_to", "starts_at", "expires_at", "is_live", "shown", "story"]
    list_select_related = ["article"]
    fields = ["text", "article", "link", "starts_at", "expires_at"]
    autocomplete_fields = ["article"]
    search_fields = ["text"]

    class Media:
        js = [AUTOCOMPLETE_NAMES]

    def get_fields(self, request, obj=None):
        return self.fields + (["story"] if obj is not None and obj.story_changes() else [])

    def get_readonly_fields(self, request, obj=None):
        return ["story"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if reason := obj.withheld(SiteSettings.current().public_url):
            messages.warning(request, f"Readers do not see this banner yet. {reason}")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        banner = self.get_object(request, object_id)
        if request.method == "GET" and banner is not None and (changes := banner.story_changes()):
            messages.warning(request, "Its story changed since this banner was saved: " + " ".join(changes)
                             + " Check the banner's words, then save it again.")  # fmt: skip
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description="Leads to")
    def leads_to(self, banner):
        if banner.article_id:
            return format_html("“{}” <span class='quiet'>{}</span>", banner.article.title, banner.get_link())
        return banner.link or "—"

    @admin.display(description="On every page now", boolean=True)
    def shown(self, banner):
        return banner.is_live() and banner.withheld(SiteSettings.current().public_url) is None

    @admin.display(description="Story changed since saved")
    def story(self, banner):
        changes = banner.story_changes()
        if not changes:
            return "—"
        return format_html_join("", "<p class='banner-warning'><strong>{}</strong></p>", ((c,) for c in changes))
