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


class NewsroomAdminSite(admin.AdminSite):
    """The admin, named after the site (its settings) rather than "Django administration", opening on the
    desk: what waits for the person signed in (``articles.desk.dashboard``)."""

    index_template = "admin/desk.html"

    @property
    def site_header(self):
        from articles.models import SiteSettings

        return f"{SiteSettings.current().name} administration"

    @property
    def site_title(self):
        from articles.models import SiteSettings

        return SiteSettings.current().name

    def index(self, request, extra_context=None):
        from articles.desk import dashboard

        context = {"desk": dashboard.dashboard(request.user), "desk_shown": dashboard.SHOWN, **(extra_context or {})}
        return super().index(request, context)

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
