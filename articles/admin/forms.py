import difflib

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.urls import reverse
from django.utils.html import format_html

from articles.admin import tagging
from articles.admin.picture_choices import LibraryPictureInput
from articles.admin.tagging import TagNamesField
from articles.admin.versioned_forms import VersionedModelForm, stale_rows, values_beside
from articles.media import renditions
from articles.models import Article, ArticleAlias, Author, Image, SiteSettings
from articles.models.numbers import number_field
from articles.models.site import Check
from articles.workflow import editing, transitions
from articles.workflow.checklist import READING_DAYS

# The fields a refused save shows saved beside typed (the body is shown as a diff below them).
SIDE_BY_SIDE = (
    "title", "dek", "kind", "sponsor", "published_at", "expires_at", "embargo_until", "slug", "withdrawal_note",
    "lead_image_url", "lead_image_alt", "lead_image_caption", "lead_image_credit",
)  # fmt: skip
# Search results show about this many characters of a headline (the page title); the headline field counts
# against it as well as against the field's own limit.
HEADLINE_RECOMMENDED = 70
VERSION_MISSING = "the form did not say which version of the article it was opened at"


def version_field(**kwargs):
    return number_field("PositiveIntegerField", error_messages={"required": VERSION_MISSING}, **kwargs)


URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}  # a ModelAdmin's formfield_overrides


def https_urls(field, **kwargs):
    """Form fields for a model, with scheme-less URLs read as https."""
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class UploadedImageField(forms.FileField):
    """An image upload judged by the model's own validator (articles.media.renditions), with its specific messages."""

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "accept": "image/jpeg,image/png,image/webp,image/gif"}


HTTPS_ADDRESS = URLValidator(schemes=["https"])


def is_https_address(text):
    try:
        HTTPS_ADDRESS(text)
    except ValidationError:
        return False
    return True


HEADLINE_LIMITS = (20, 300)  # characters: fewer would flag nearly every headline; more, none

NO_SUCH_PICTURE = "Select a valid choice: the media library has no picture with this number."


def picture_upload(label, help_text):
    return UploadedImageField(required=False, label=label, help_text=help_text, validators=[renditions.validate_image])


class ArticleAdminForm(forms.ModelForm):
    """The change form, with the version it was opened at so a stale save is refused, not applied."""

    lead_image_upload = picture_upload(
        "Upload a new lead image",
        "JPEG, PNG, WebP or GIF up to 20 MB: it goes into the media library (with the alt text, caption and credit "
        "below) and becomes the lead image.",
    )

    tags = TagNamesField(
        required=False,
        label="Tags",
        help_text="Choose existing tags; separate them with commas. New tags are created by editors.",
    )

    substantive_update = forms.BooleanField(
        required=False,
        label="Substantive update",
        help_text="Show readers an 'Updated' time. Leave unticked for typo fixes.",
    )
    # A declared field takes no initial value from the model's default: a new article's page says 0 itself.
    version = version_field(required=False, initial=0, widget=forms.HiddenInput)
    transition_comment = forms.CharField(
        required=False,
        label="Note for the desk",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Goes with a workflow button into the workflow log (why it goes back to draft, why it is "
        "withdrawn). Never shown to readers: they see the Withdrawal note.",
    )

    class Meta:
        model = Article
        fields = [
            "title", "dek", "body", "published_at", "expires_at", "embargo_until", "assignee", "slug", "section",
            "kind", "sponsor", "tags", "withdrawal_note",
            "version",
            "lead_image", "lead_image_upload", "lead_image_url", "lead_image_alt", "lead_image_caption",
            "lead_image_credit",
            "live_from", "live_until", "live_oldest_first", "live_moderated",
        ]  # fmt: skip
        formfield_callback = https_urls
        help_texts = {
            "sponsor": "Needed when the kind of work is sponsored: readers see “Sponsored content · Paid for by …” "
            "above the headline. A sponsor named here is always shown, whatever the kind.",
        }
        widgets = {
            "version": forms.HiddenInput,
            "title": forms.TextInput(
                attrs={"class": "vTextField headline-field", "size": 90, "data-recommended": HEADLINE_RECOMMENDED}
            ),
            "dek": forms.Textarea(attrs={"rows": 3, "class": "dek-field"}),
            "body": forms.Textarea(attrs={"rows": 12, "class": "markdown writing-body"}),
        }

    may_add_tags = True  # ArticleAdmin.get_form says, per request, whether this user may create tags
    desk_user = None  # and who is editing, whose refused text is kept as an autosave
    refused_action = None  # and why the workflow button pressed with this form was refused (nothing was saved)
    withdrawal_to_confirm = None  # and the public note a Withdraw button shows before it goes out (nothing saved)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tags"].widget.may_create = self.may_add_tags  # the chooser offers to create tags, or not
        if "title" in self.fields:  # not when the story is only read (a writer's, once submitted)
            # The counter under the headline names the publish checklist's limit beside the recommended length.
            self.fields["title"].widget.attrs["data-site-limit"] = SiteSettings.current().headline_limit
        if "lead_image" in self.fields:  # the picture chooser's field, in place of the admin's select and its links
            self.fields["lead_image"].widget = LibraryPictureInput()
            self.fields["lead_image"].error_messages["invalid_choice"] = NO_SUCH_PICTURE

    def clean_tags(self):
        names = self.cleaned_data.get("tags") or []  # each once, spaced as stored (TagNamesField)
        if self.may_add_tags:
            return names
        new = tagging.new_names(names)
        if new:
            raise forms.ValidationError(
                "New tags are created by editors: %(names)s does not exist yet. Use an existing tag, or ask an "
                "editor to add it.",
                code="new_tag",
                params={"names": ", ".join(f"“{name}”" for name in new)},
            )
        return names

    def clean_slug(self):
        slug = self.cleaned_data.get("slug")
        if slug and (owner := ArticleAlias.owner_of_slug(slug, exclude=self.instance.pk)):
            raise forms.ValidationError(
                "This address is an old address of “%(title)s” (id %(pk)s) and redirects there. Choose another "
                "slug, or first remove that redirect from “%(title)s”.",
                code="alias_taken",
                params={"title": owner.title, "pk": owner.pk},
            )
        return slug

    def clean(self):
        cleaned = super().clean()
        if self.refused_action:
            raise forms.ValidationError(self.refused_action, code="refused_action")
        if self.withdrawal_to_confirm is not None:
            raise forms.ValidationError("Confirm the public note to withdraw.", code="confirm_withdrawal")
        if self.instance.pk is None:
            cleaned["version"] = self.instance.version  # a new article has no earlier save to be out of date with
            return cleaned
        opened = cleaned.get("version")
        if opened is None and "version" in self.errors:  # shown here: the field is hidden
            raise forms.ValidationError(
                "This form's version is not one an article can have (%(reason)s), so it was not saved. Copy your "
                "text, reload the article and save again.",
                code="bad_version",
                params={"reason": " ".join(self.errors["version"])},
            )
        if opened is None:
            # Without the version the form was opened at, a stale save could not be told from a fresh one.
            raise forms.ValidationError(
                "This form did not say which version of the article it was opened at, so it was not saved. "
                "Copy your text, reload the article and save again.",
                code="no_version",
            )
        if current := editing.out_of_date(self.instance, opened, self.desk_user, cleaned):
            raise forms.ValidationError(self.stale_message(current, opened), code="stale")
        return cleaned

    def stale_message(self, current, opened):
        last = current.history.first()
        who = last.history_user.get_username() if last and last.history_user else "someone else"
        when = transitions.shown(last.history_date) if last else "meanwhile"
        mine = (self.cleaned_data.get("body") or "").splitlines()
        diff = "\n".join(
            difflib.unified_diff(current.body.splitlines(), mine, "saved version", "your version", lineterm="")
        )
        revisions = reverse("admin:articles_article_revisions", args=[current.pk])
        return format_html(
            "This article was saved by {} at {} (version {}) after you opened version {}. Nothing was saved and "
            "your text is still in the form below, and kept as your autosave. "
            "Compare the <a href='{}'>saved versions</a>, merge your "
            "changes into a fresh copy, then save again.<table class='stale-values'><thead><tr>"
            "<th scope='col'><span class='visually-hidden'>Field</span></th><th scope='col'>Saved</th>"
            "<th scope='col'>Yours</th></tr></thead><tbody>{}"
            "</tbody></table><details><summary>Your body against the saved one</summary>"
            "<pre class='stale-diff'>{}</pre></details>",
            who,
            when,
            current.version,
            opened,
            revisions,
            stale_rows(values_beside(self, current, SIDE_BY_SIDE)),
            diff or "(the bodies are the same)",
        )


class AutosaveForm(forms.Form):
    """What the change form's script sends to be kept: the writing fields as typed, and the version of the
    article the form was opened at (restoring the text gives the form that version back)."""

    title = forms.CharField(required=False, strip=False)
    dek = forms.CharField(required=False, strip=False)
    body = forms.CharField(required=False, strip=False)
    version = version_field(required=False)

    def reason(self):
        return "; ".join(f"{name}: {' '.join(errors)}" for name, errors in self.errors.items())


class WithdrawForm(forms.Form):
    note = forms.CharField(
        required=False,
        label="Public note",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Readers see this at each article's address instead of the article. Left empty, each article "
        "keeps its own Withdrawal note (shown above); an article without one is not withdrawn.",
    )
    comment = forms.CharField(
        required=False,
        label="Note for the desk",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why, for the workflow log. Never shown to readers.",
    )


def store_upload(form, field, user, **fields):
    """The library picture for a form's upload field (added now, or the same file already there), or None."""
    upload = form.cleaned_data.get(field)
    if not upload:
        return None
    image, created = Image.objects.add(upload, user=user, **fields)
    if created:  # removed again if the save it came with is undone
        form.added_files = [*getattr(form, "added_files", []), *image.files()]
    return image


class AuthorAdminForm(forms.ModelForm):
    photo_upload = picture_upload(
        "Upload a new photo",
        "It goes into the media library and becomes the photo, cropped square around its focal point.",
    )

    class Meta:
        model = Author
        fields = ["name", "slug", "job_title", "bio", "expertise", "photo", "photo_upload", "user", "email",
                  "public_email", "website", "profiles"]  # fmt: skip
        formfield_callback = https_urls
        widgets = {"expertise": forms.Textarea(attrs={"rows": 4}), "profiles": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "photo" in self.fields:  # the picture chooser's field, in place of the admin's select and its links
            self.fields["photo"].widget = LibraryPictureInput("photo", "photo_upload")
            self.fields["photo"].error_messages["invalid_choice"] = NO_SUCH_PICTURE

    def clean_profiles(self):
        """One https:// address a line: each line that is not one is named."""
        lines = [line.strip() for line in self.cleaned_data["profiles"].splitlines()]
        bad = [(number, line) for number, line in enumerate(lines, 1) if line and not is_https_address(line)]
        if bad:
            raise forms.ValidationError(
                [f"Line {number}, “{line[:100]}”, is not an https:// address." for number, line in bad], code="invalid"
            )
        return "\n".join(line for line in lines if line)


class SiteSettingsForm(VersionedModelForm):
    """The site settings, with the version the page was opened at: two editors saving at once do not overwrite
    each other (nor leave behind the logo the losing page uploaded)."""

    headline_limit = forms.IntegerField(
        min_value=HEADLINE_LIMITS[0],
        max_value=HEADLINE_LIMITS[1],
        label="Headline limit",
        help_text="In characters. A longer headline is a checklist item: a warning, or refused when required below. "
        "Search engines show about 110.",
    )
    required_checks = forms.MultipleChoiceField(
        choices=Check.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Required before publishing",
        help_text="Ticked items stop Publish, Schedule and the list's bulk actions; the others only warn. "
        f"Rights end too soon when they end within {READING_DAYS} days of the article going live, unless the article "
        "expires first. Alt text, a headline, a dek, a body and a byline are always required.",
    )

    class Meta:
        model = SiteSettings
        fields = "__all__"
        formfield_callback = https_urls
        widgets = {"version": forms.HiddenInput}
