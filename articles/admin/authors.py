"""Authors in the admin: writers see them (to credit them); only those who manage authors see their e-mail and
logins."""

from django.contrib import admin
from django.contrib.auth.models import User

from articles.admin.clashes import ValidateAgainOnClash
from articles.admin.forms import URL_FIELDS, AuthorAdminForm, store_upload
from articles.admin.picture_choices import chooser_urls
from articles.models import Author, numbers


@admin.register(Author)
class AuthorAdmin(ValidateAgainOnClash, numbers.CheckedNumbersAdmin, admin.ModelAdmin):
    """Writers see authors (to credit them); only those who manage authors see their e-mail and logins."""

    form = AuthorAdminForm
    formfield_overrides = URL_FIELDS
    change_form_template = "admin/articles/author/change_form.html"
    list_display = ["name", "slug", "user", "email"]
    search_fields = ["name", "email"]
    prepopulated_fields = {"slug": ["name"]}
    PRIVATE_FIELDS = ("email", "user")

    class Media:  # the photo is chosen with the picture chooser
        css = {"all": ["admin/articles/chooser.css"]}
        js = ["admin/articles/chooser.js", "admin/articles/pictures.js"]

    def render_change_form(self, request, context, *args, **kwargs):
        context["picture_picker_urls"] = chooser_urls(request.user)
        return super().render_change_form(request, context, *args, **kwargs)

    def _manages_authors(self, request):
        return request.user.has_perm("articles.change_author")

    def get_list_display(self, request):
        fields = super().get_list_display(request)
        return fields if self._manages_authors(request) else [f for f in fields if f not in self.PRIVATE_FIELDS]

    def get_search_fields(self, request):
        fields = super().get_search_fields(request)
        return fields if self._manages_authors(request) else [f for f in fields if f not in self.PRIVATE_FIELDS]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return fields if self._manages_authors(request) else [f for f in fields if f not in self.PRIVATE_FIELDS]

    def save_model(self, request, obj, form, change):
        if (uploaded := store_upload(form, "photo_upload", request.user, alt=obj.name)) is not None:
            obj.photo = uploaded
        super().save_model(request, obj, form, change)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # A plain choice of the newsroom's staff logins: the user autocomplete would need every editor to
        # hold view rights on all user accounts.
        if db_field.name == "user":
            kwargs["queryset"] = User.objects.filter(is_active=True, is_staff=True).order_by("username")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
