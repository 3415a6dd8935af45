"""The media library in the admin: the list (thumbnails, search, filters), uploading several pictures at
once, the edit page with its focal point picker, and the two small JSON endpoints the article editor's
picture picker calls (search, upload)."""

import datetime

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join

from articles.admin.library_forms import MAX_FILES, ImageAdminForm, UploadForm
from articles.markup import figures
from articles.models import EXPIRING_DAYS, Image, site_today
from articles.workflow import transitions

PICKER_RESULTS = 24


class AltFilter(admin.SimpleListFilter):
    title = "alt text"
    parameter_name = "alt"

    def lookups(self, request, model_admin):
        return [("missing", "No alt text")]

    def queryset(self, request, queryset):
        return queryset.without_alt() if self.value() == "missing" else queryset


class RightsFilter(admin.SimpleListFilter):
    title = "rights"
    parameter_name = "rights"

    def lookups(self, request, model_admin):
        return [("expiring", f"Expiring within {EXPIRING_DAYS} days"), ("expired", "Expired (not shown)")]

    def queryset(self, request, queryset):
        if self.value() == "expiring":
            return queryset.rights_expiring()
        if self.value() == "expired":
            return queryset.rights_expired()
        return queryset


class UsageFilter(admin.SimpleListFilter):
    title = "use"
    parameter_name = "use"

    def lookups(self, request, model_admin):
        return [("unused", "Unused"), ("used", "In use")]

    def queryset(self, request, queryset):
        if self.value() in ("unused", "used"):
            return queryset.used(self.value() == "used")
        return queryset


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageAdminForm
    list_display = ["thumbnail", "label", "credit", "licence", "rights", "use_count", "uploaded_by", "uploaded_at"]
    list_display_links = ["thumbnail", "label"]
    list_filter = [AltFilter, RightsFilter, UsageFilter, "uploaded_at"]
    search_fields = ["caption", "credit", "alt", "original_name"]
    list_select_related = ["uploaded_by"]
    readonly_fields = ["focal_picker", "details", "reference", "used_in"]
    change_list_template = "admin/articles/image/change_list.html"
    list_per_page = 60

    class Media:
        css = {"all": ["admin/articles/library.css"]}
        js = ["admin/articles/focal.js"]

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ["file", "alt", "caption", "credit", "source", "licence", "rights_expire_on"]})]
        return [
            (
                "Picture",
                {"fields": ["focal_picker", "focal_x", "focal_y", "details", "reference", "opened_file", "version"]},
            ),
            ("Description", {"fields": ["alt", "caption", "credit"]}),
            ("Rights", {"fields": ["source", "licence", "rights_expire_on"]}),
            ("Replace the file", {"fields": ["file"], "classes": ["collapse"]}),
            ("Use", {"fields": ["used_in"]}),
        ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_use_counts()

    # Columns

    @admin.display(description="Picture")
    def thumbnail(self, image):
        if not image.file:
            return "—"
        return format_html(
            '<img class="library-thumb" src="{}" alt="" width="80" height="80" loading="lazy">',
            default_storage.url(image.thumbnail_name()),
        )

    @admin.display(description="Caption / alt text", ordering="caption")
    def label(self, image):
        text = image.caption or image.alt or image.original_name or f"Picture #{image.pk}"
        if not image.alt:
            return format_html('{} <span class="library-flag">no alt text</span>', text)
        return text

    @admin.display(description="Rights", ordering="rights_expire_on")
    def rights(self, image):
        if image.rights_expire_on is None:
            return "No expiry"
        today = site_today()
        if image.rights_expired(today):
            return format_html('<span class="library-flag">Expired {}</span>', date_format(image.rights_expire_on))
        if image.rights_expire_on <= today + datetime.timedelta(days=EXPIRING_DAYS):
            return format_html('<span class="library-soon">Until {}</span>', date_format(image.rights_expire_on))
        return f"Until {image.rights_expire_on:%d %b %Y}"

    @admin.display(description="Used by", ordering="use_count")
    def use_count(self, image):
        return image.use_count

    # Read-only parts of the edit page

    @admin.display(description="Focal point")
    def focal_picker(self, image):
        if not image.file:
            return "—"
        sources = image.renditions.get("sources") or []
        name = sources[min(1, len(sources) - 1)]["jpg"] if sources else image.file.name
        return format_html(
            '<div class="focal-picker" tabindex="0" role="application" aria-label="Focal point: click the subject, '
            'or use the arrow keys"><img src="{}" alt="{}" width="{}" height="{}"><span class="focal-marker" '
            'aria-hidden="true"></span></div><p class="help">Click the subject: the social card and the square '
            "crop keep it in frame.</p>",
            default_storage.url(name), image.alt, image.width, image.height,
        )  # fmt: skip

    @admin.display(description="File")
    def details(self, image):
        uploaded = transitions.shown(image.uploaded_at)
        return format_html(
            '{}×{} pixels · <a href="{}">original</a> · uploaded {} by {}',
            image.width, image.height, image.url, uploaded, image.uploaded_by or "—",
        )  # fmt: skip

    @admin.display(description="Use in a body")
    def reference(self, image):
        return format_html("<code>{}</code>", figures.reference(image.pk, image.alt, image.caption))

    @admin.display(description="Shown in")
    def used_in(self, image):
        from articles.models import Article, Author

        articles = list(Article.objects.filter(figures__image=image).distinct()[:20])
        leads = list(Article.objects.filter(lead_image=image)[:20])
        authors = list(Author.objects.filter(photo=image)[:20])
        if not (articles or leads or authors):
            return "Not used: it can be deleted."
        links = [
            format_html('<a href="{}">{}</a>{}', reverse("admin:articles_article_change", args=[a.pk]), a.title, note)
            for group, note in ((leads, " (lead image)"), (articles, ""))
            for a in group
        ] + [format_html('<a href="{}">{}</a> (photo)', reverse("admin:articles_author_change", args=[a.pk]), a.name)
             for a in authors]  # fmt: skip
        return format_html_join(", ", "{}", ((link,) for link in links))

    # Saving

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    # Extra pages

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("upload/", view(self.upload_view), name="articles_image_upload"),
            path("picker/search/", view(self.picker_search), name="articles_image_picker_search"),
            path("picker/upload/", view(self.picker_upload), name="articles_image_picker_upload"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra = {"upload_url": reverse("admin:articles_image_upload")} if self.has_add_permission(request) else {}
        return super().changelist_view(request, {**extra, **(extra_context or {})})

    def upload_view(self, request):
        """Several pictures in one go: each is cleaned and stored on its own, so one bad file is reported by
        name and the others are kept."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            shared = {name: form.cleaned_data[name] for name in ("credit", "source", "licence", "rights_expire_on")}
            added, same, failed = [], [], []
            for upload in form.cleaned_data["files"]:
                try:
                    image, created = Image.objects.add(upload, user=request.user, **shared)
                except ValidationError as error:
                    failed.append(f"{upload.name}: {' '.join(error.messages)}")
                    continue
                (added if created else same).append(image)
            if added:
                self.message_user(request, f"{len(added)} picture(s) added to the library.", messages.SUCCESS)
            if same:
                numbers = ", ".join(f"#{image.pk}" for image in same)
                self.message_user(request, f"Already in the library (the same file): {numbers}.", messages.INFO)
            for problem in failed:
                self.message_user(request, f"Not added: {problem}", messages.ERROR)
            if not failed:
                url = reverse("admin:articles_image_changelist")
                if len(added) == 1:
                    url = reverse("admin:articles_image_change", args=[added[0].pk])
                return HttpResponseRedirect(url)
        context = {
            **self.admin_site.each_context(request),
            "title": "Upload pictures",
            "form": form,
            "opts": self.model._meta,
            "max_files": MAX_FILES,
        }
        return TemplateResponse(request, "admin/articles/image/upload.html", context)

    def _choice(self, image):
        return {
            "id": image.pk,
            "label": str(image),
            "alt": image.alt,
            "thumbnail": default_storage.url(image.thumbnail_name()),
            "expired": image.rights_expired(),
            "reference": figures.reference(image.pk, image.alt, image.caption),
        }

    def picker_search(self, request):
        """The library pictures matching ``q`` (caption, credit, alt text, file name), newest first."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        queryset = Image.objects.all()
        query = request.GET.get("q", "")[:200].strip()
        if query:
            queryset, _ = self.get_search_results(request, queryset, query)
        return JsonResponse({"results": [self._choice(image) for image in queryset[:PICKER_RESULTS]]})

    def picker_upload(self, request):
        """One picture uploaded from the article editor: stored in the library, answered with its reference."""
        if request.method != "POST" or not self.has_add_permission(request):
            raise PermissionDenied
        upload = request.FILES.get("file")
        if upload is None:
            return JsonResponse({"error": "No file was sent."}, status=400)
        try:
            image, _ = Image.objects.add(upload, user=request.user, alt=request.POST.get("alt", "")[:300])
        except ValidationError as error:
            return JsonResponse({"error": f"{upload.name}: {' '.join(error.messages)}"}, status=400)
        return JsonResponse(self._choice(image))
