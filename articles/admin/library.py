"""The media library in the admin: the list (thumbnails, search, filters), uploading several pictures at
once and describing them on one page, the edit page with its focal point picker and crop previews, and the
two small JSON endpoints the picture chooser calls (search, upload)."""

import datetime
import re

from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join

from articles.admin.forms import URL_FIELDS
from articles.admin.library_forms import MAX_FILES, ChooserUploadForm, DescribeFormSet, ImageAdminForm, UploadForm
from articles.admin.picture_choices import choice
from articles.markup import figures
from articles.models import EXPIRING_DAYS, Image, site_today
from articles.workflow import transitions

PICKER_RESULTS = 24
RIGHTS_NOTE = (
    "The creator (else the credit), credit, copyright notice and licence URL are written into every rendition's "
    "file, as IPTC photo metadata; a change here rewrites the renditions."
)


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
    formfield_overrides = URL_FIELDS
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

    # The crops the site makes around the focal point (articles.media.renditions), previewed beside it.
    CROP_PREVIEWS = [
        ("social", "Social card, 1200×630: shared links"),
        ("square", "Square, 800×800: square social slots"),
        ("thumb", "Small square, 200×200: author photos, thumbnails"),
    ]

    RIGHTS = ["credit", "creator", "copyright_notice", "source", "licence", "licence_url", "licence_page_url",
              "rights_expire_on"]  # fmt: skip

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ["file", "alt", "caption"]}), ("Rights", {"fields": self.RIGHTS})]
        return [
            (
                "Picture",
                {"fields": ["focal_picker", "focal_x", "focal_y", "details", "reference"]},
            ),
            ("Description", {"fields": ["alt", "caption"]}),
            ("Rights", {"fields": self.RIGHTS, "description": RIGHTS_NOTE}),
            ("Replace the file", {"fields": ["file"], "classes": ["collapse"]}),
            ("Use", {"fields": ["used_in"]}),
        ]

    def get_form(self, request, obj=None, **kwargs):
        """On a picture's page, the file and version it was opened at travel with the form, hidden and outside the
        fieldsets (which would label them): the page's template puts them at the top of the form."""
        if obj is None:
            return super().get_form(request, obj, **kwargs)
        fields = kwargs.pop("fields", None) or flatten_fieldsets(self.get_fieldsets(request, obj))
        readonly = set(self.get_readonly_fields(request, obj))
        fields = [name for name in fields if name not in readonly]
        return super().get_form(request, obj, fields=[*fields, "opened_file", "version"], **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).with_use_counts()

    # Columns

    @admin.display(description="Picture")
    def thumbnail(self, image):
        if not image.file:
            return "—"
        # The image is the link's only content, so its alt text names the link.
        return format_html(
            '<img class="library-thumb" src="{}" alt="{}" width="80" height="80" loading="lazy">',
            default_storage.url(image.thumbnail_name()),
            image.alt or f"Edit picture: {image.caption or image.original_name or f'#{image.pk}'}",
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
        return f"Until {date_format(image.rights_expire_on)}"

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
        url = default_storage.url(name)
        previews = format_html_join(
            "",
            '<figure class="crop-preview crop-{}"><img src="{}" data-live="{}" alt=""><figcaption>{}</figcaption>'
            "</figure>",
            (
                (crop, default_storage.url(image.renditions.get(crop) or name), url, label)
                for crop, label in self.CROP_PREVIEWS
            ),
        )
        return format_html(
            '<div class="focal-layout"><div class="focal-picker" tabindex="0" role="application" aria-label="Focal '
            'point: click the subject, or use the arrow keys"><img src="{}" alt="{}" width="{}" height="{}">'
            '<span class="focal-marker" aria-hidden="true"></span></div>'
            '<div class="crop-previews" role="group" aria-label="Crops around the focal point">{}</div></div>'
            '<p class="help">Click the subject: the crops keep it in frame. The previews follow your click; the '
            "crops themselves are made again when you save.</p>",
            url, image.alt, image.width, image.height, previews,
        )  # fmt: skip

    @admin.display(description="File")
    def details(self, image):
        uploaded = transitions.shown(image.uploaded_at)
        return format_html(
            '{}×{} pixels · <a href="{}">original</a> · uploaded {} by {}',
            image.width, image.height, image.url, uploaded, image.uploaded_by or "—",
        )  # fmt: skip

    @admin.display(description="In an article")
    def reference(self, image):
        return format_html(
            "<p>To show it in a story, choose it with “Insert a picture” under the story’s text, or as its lead "
            "picture. Or copy this line into the text where it belongs:</p>"
            '<p class="picture-code-row"><code id="picture-code">{}</code> '
            '<button type="button" class="button picture-copy" data-copy="picture-code" hidden>Copy</button> '
            '<span class="picture-copied" role="status"></span></p>',
            figures.reference(image.pk, image.alt, image.caption),
        )

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
            path("upload/describe/", view(self.describe_view), name="articles_image_describe"),
            path("picker/search/", view(self.picker_search), name="articles_image_picker_search"),
            path("picker/upload/", view(self.picker_upload), name="articles_image_picker_upload"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra = {"upload_url": reverse("admin:articles_image_upload")} if self.has_add_permission(request) else {}
        return super().changelist_view(request, {**extra, **(extra_context or {})})

    def upload_view(self, request):
        """Several pictures in one go: each is cleaned and stored on its own, so one bad file is reported by
        name and the others are kept. The new ones are then described together (``describe_view``)."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            added, same, failed = [], [], []
            for upload in form.cleaned_data["files"]:
                try:
                    image, created = Image.objects.add(upload, user=request.user, **form.rights())
                except ValidationError as error:
                    failed.append(f"{upload.name}: {' '.join(error.messages)}")
                    continue
                (added if created else same).append(image)
            describe = describe_url(added)
            if added:
                self.message_user(request, f"{len(added)} picture(s) added to the library.", messages.SUCCESS)
            if same:
                numbers = ", ".join(f"#{image.pk}" for image in same)
                self.message_user(request, f"Already in the library (the same file): {numbers}.", messages.INFO)
            for problem in failed:
                self.message_user(request, f"Not added: {problem}", messages.ERROR)
            if added and failed:
                self.message_user(
                    request,
                    format_html('<a href="{}">Give the {} added picture(s) alt text and captions</a>.', describe,
                                len(added)),
                    messages.INFO,
                )  # fmt: skip
            if not failed:
                location = describe if added else reverse("admin:articles_image_changelist")
                if request.headers.get("X-Upload-Progress"):  # upload.js sent it, and goes there itself
                    return JsonResponse({"location": location})
                return HttpResponseRedirect(location)
        context = {
            **self.admin_site.each_context(request),
            "title": "Upload pictures",
            "form": form,
            "opts": self.model._meta,
            "max_files": MAX_FILES,
        }
        return TemplateResponse(request, "admin/articles/image/upload.html", context)

    def describe_view(self, request):
        """The pictures of an upload (``?ids=``) on one page: each one's alt text, caption and credit, saved
        together or not at all."""
        ids = listed_numbers(request.GET.get("ids", ""))
        pictures = Image.objects.filter(pk__in=ids).order_by("pk")
        if not pictures:
            self.message_user(request, "None of those pictures is in the library.", messages.WARNING)
            return HttpResponseRedirect(reverse("admin:articles_image_changelist"))
        if not all(self.has_change_permission(request, picture) for picture in pictures):
            raise PermissionDenied
        formset = DescribeFormSet(request.POST or None, queryset=pictures, prefix="pictures")
        if request.method == "POST":
            with transaction.atomic():  # each form locks its picture while it is checked, and all are saved or none
                changed = self.save_descriptions(request, formset) if formset.is_valid() else None
            if changed is not None:
                self.message_user(request, f"{changed} picture(s) described.", messages.SUCCESS)
                missing = [f"#{form.instance.pk}" for form in formset.forms if not form.instance.alt]
                if missing:
                    self.message_user(
                        request,
                        f"Still without alt text (they cannot be published): {', '.join(missing)}.",
                        messages.WARNING,
                    )
                return HttpResponseRedirect(reverse("admin:articles_image_changelist"))
        for form in formset.forms:
            form.picture = choice(form.instance)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Describe {len(formset.forms)} new picture(s)",
            "formset": formset,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/articles/image/describe.html", context)

    def save_descriptions(self, request, formset):
        """Save the described pictures, each logged as its own page's save is; how many changed."""
        changed = [form for form in formset.forms if form.has_changed()]
        formset.save()
        for form in changed:
            self.log_change(request, form.instance, self.construct_change_message(request, form, None))
        return len(changed)

    def picker_search(self, request):
        """The library pictures matching ``q`` (caption, credit, alt text, file name), newest first."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        queryset = Image.objects.all()
        query = request.GET.get("q", "")[:200].strip()
        if query:
            queryset, _ = self.get_search_results(request, queryset, query)
        today = site_today()
        return JsonResponse({"results": [choice(image, today) for image in queryset[:PICKER_RESULTS]]})

    def picker_upload(self, request):
        """One picture uploaded from the picture chooser, with its description and rights: stored in the
        library at once (so it is kept whatever happens to the article's form), answered as the chooser lists
        it."""
        if request.method != "POST" or not self.has_add_permission(request):
            raise PermissionDenied
        form = ChooserUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return JsonResponse({"error": form.problems()}, status=400)
        upload = form.cleaned_data["file"]
        described = {name: form.cleaned_data[name] for name in ("alt", "caption")}
        try:
            image, created = Image.objects.add(upload, user=request.user, **described, **form.rights())
        except ValidationError as error:
            return JsonResponse({"error": f"{upload.name}: {' '.join(error.messages)}"}, status=400)
        return JsonResponse({**choice(image), "created": created})


def listed_numbers(text):
    """The picture numbers of a describe page's address (``ids=12,13``), each once and at most ``MAX_FILES``;
    anything but a plain number (a word, a minus sign, a digit of another script, more digits than a number
    the library could have) is passed over."""
    numbers = (int(part) for part in text.split(",") if re.fullmatch(r"[0-9]{1,18}", part.strip()))
    return list(dict.fromkeys(numbers))[:MAX_FILES]


def describe_url(pictures):
    """The page describing these pictures together."""
    return f"{reverse('admin:articles_image_describe')}?ids={','.join(str(picture.pk) for picture in pictures)}"
