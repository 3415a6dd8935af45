from functools import wraps

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse


class PreferencesForm(forms.Form):
    email_notifications = forms.BooleanField(
        required=False,
        label="E-mail me about my articles",
        help_text="Submissions to review, articles of mine sent back, scheduled or published, and articles "
        "assigned to me.",
    )


# The desk's navigation: the newsroom's own words for the admin's lists, in the order the day uses them. Each is
# shown only to those the admin lets see it (``get_app_list``); anything else registered follows under "More".
NAVIGATION = [
    ("articles", "article", "Articles"),
    ("articles", "image", "Pictures"),
    ("articles", "pin", "Front page"),
    ("articles", "banner", "Banners"),
    ("articles", "section", "Sections"),
    ("articles", "kindofwork", "Kinds of work"),
    ("articles", "author", "Authors"),
    ("taggit", "tag", "Tags"),
    ("articles", "sitesettings", "Settings"),
    ("auth", "user", "Users"),
    ("auth", "group", "Groups"),
]


class NewsroomAdminSite(admin.AdminSite):
    """The admin, named after the site (its settings) rather than "Django administration", opening on the
    desk: what waits for the person signed in (``articles.desk.dashboard``) and the lists they may open, without
    Django's application headings or its recent actions."""

    index_template = "admin/desk.html"
    # Django's side list of every application (TAGGIT, AXES and the like) on each page: the header leads to the
    # desk, whose navigation has the same lists in the newsroom's words, and the form gets the width.
    enable_nav_sidebar = False

    @property
    def site_header(self):
        from articles.models import SiteSettings

        name = SiteSettings.current().name
        return name if name.casefold().endswith("newsroom") else f"{name} newsroom"

    @property
    def site_title(self):
        from articles.models import SiteSettings

        return SiteSettings.current().name

    def index(self, request, extra_context=None):
        from articles.desk import dashboard, panels

        context = {
            "desk": dashboard.dashboard(request.user),
            "desk_panels": panels.desk_panels(request),
            "desk_shown": dashboard.SHOWN,
            "title": "The desk",
            **self.navigation(request),
            **(extra_context or {}),
        }
        return super().index(request, context)

    def navigation(self, request):
        """{"desk_nav": [(label, url)], "desk_more": [(label, url)]}: the lists this user may open, named as
        the newsroom names them, then any other the admin has for them (sign-in attempts, say)."""
        found = {
            (app["app_label"], model["object_name"].lower()): model
            for app in self.get_app_list(request)
            for model in app["models"]
            if model.get("admin_url")
        }
        nav = [
            (label, found.pop((app, model))["admin_url"]) for app, model, label in NAVIGATION if (app, model) in found
        ]
        more = sorted((str(model["name"]), model["admin_url"]) for model in found.values())
        return {"desk_nav": nav, "desk_more": more}

    def admin_view(self, view, cacheable=False):
        from articles.models.numbers import refuse_bad_selection

        inner = super().admin_view(view, cacheable)

        @wraps(inner)
        def checked(request, *args, **kwargs):
            # Django's list actions hand the selected rows to an ``__in`` lookup as they came.
            return refuse_bad_selection(request) or inner(request, *args, **kwargs)

        return checked

    def get_urls(self):
        return [
            path("desk/preferences/", self.admin_view(self.preferences), name="desk_preferences"),
            path("desk/undelivered/<int:pk>/", self.admin_view(self.undelivered), name="desk_undelivered"),
        ] + super().get_urls()

    def undelivered(self, request, pk):
        from articles.desk.undelivered import act

        return act(request, pk)

    def preferences(self, request):
        """Each person's own choices: nobody else's can be seen or changed here."""
        from articles.models import DeskPreferences

        current = DeskPreferences.objects.filter(user=request.user).first()
        initial = {"email_notifications": current.email_notifications if current else True}
        form = PreferencesForm(request.POST if request.method == "POST" else None, initial=initial)
        if request.method == "POST" and form.is_valid():
            DeskPreferences.objects.update_or_create(
                user=request.user, defaults={"email_notifications": form.cleaned_data["email_notifications"]}
            )
            on = form.cleaned_data["email_notifications"]
            self.message_user(request, "E-mail notifications are on." if on else "E-mail notifications are off.",
                              messages.SUCCESS)  # fmt: skip
            return HttpResponseRedirect(reverse("admin:desk_preferences"))
        context = {**self.each_context(request), "form": form, "title": "My desk preferences"}
        return TemplateResponse(request, "admin/desk_preferences.html", context)

    def message_user(self, request, message, level):
        messages.add_message(request, level, message)
