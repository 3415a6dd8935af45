"""The media library's admin forms: uploading several pictures at once (and one from the picture chooser),
describing the pictures of an upload together, and a picture's edit page."""

from django import forms
from django.core.exceptions import ValidationError

from articles.admin.forms import https_urls
from articles.admin.versioned_forms import VersionedModelForm
from articles.models import Image

MAX_FILES = 50  # per upload: Django refuses more than DATA_UPLOAD_MAX_NUMBER_FILES (100) anyway


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several files from one input (Django's documented recipe); each is judged on its own in the view."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif", "multiple": True})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data]
        files = [file for file in files if file]
        if not files:
            raise ValidationError("Choose one or more pictures.", code="required")
        if len(files) > MAX_FILES:
            raise ValidationError(f"{len(files)} files: upload at most {MAX_FILES} at a time.", code="too_many")
        return files


def _library_field(name):
    """The form field of the picture's own field ``name``: its label, help text, length and checks (an address
    without a scheme read as https)."""
    return https_urls(Image._meta.get_field(name))


class RightsForm(forms.Form):
    """Where an upload came from and what the site may do with it; the creator, credit, copyright notice and
    licence are also written into every rendition's file."""

    credit = forms.CharField(max_length=200, required=False, help_text="Given to every picture of this upload.")
    creator = _library_field("creator")
    copyright_notice = _library_field("copyright_notice")
    source = forms.CharField(max_length=500, required=False)
    licence = forms.CharField(max_length=200, required=False)
    licence_url = _library_field("licence_url")
    licence_page_url = _library_field("licence_page_url")
    rights_expire_on = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="Rights expire on"
    )

    RIGHTS = ("credit", "creator", "copyright_notice", "source", "licence", "licence_url", "licence_page_url",
              "rights_expire_on")  # fmt: skip

    def rights(self):
        return {name: self.cleaned_data[name] for name in self.RIGHTS}

    def rights_fields(self):
        return [self[name] for name in self.RIGHTS]


class UploadForm(RightsForm):
    files = MultipleImageField(label="Pictures", help_text="JPEG, PNG, WebP or GIF, up to 20 MB each.")

    field_order = ["files"]


class ChooserUploadForm(RightsForm):
    """One picture sent by the picture chooser, with its description and rights; the file itself is judged
    when the library adds it."""

    file = forms.FileField(label="Picture", error_messages={"required": "No file was sent."})
    alt = forms.CharField(max_length=300, required=False, label="Alt text")
    caption = forms.CharField(max_length=500, required=False)

    def problems(self):
        """Each error, named by its field's label."""
        return " ".join(
            f"{self[name].label if name in self.fields else 'Upload'}: {' '.join(errors)}"
            for name, errors in self.errors.items()
        )


class DescribeForm(VersionedModelForm):
    """A picture's description on the page that describes a whole upload; refused, like its own page, when
    someone saved the picture since the page was opened."""

    DESCRIPTION = ("alt", "caption")
    RIGHTS = ("credit", "creator", "copyright_notice", "licence_url", "licence_page_url")

    def description_fields(self):
        return [self[name] for name in self.DESCRIPTION]

    def rights_fields(self):
        """Grouped as "Rights" on the page: what goes into the picture's files."""
        return [self[name] for name in self.RIGHTS]

    class Meta:
        model = Image
        fields = ["alt", "caption", "credit", "creator", "copyright_notice", "licence_url", "licence_page_url",
                  "version"]  # fmt: skip
        widgets = {
            "version": forms.HiddenInput,
            **{name: forms.TextInput(attrs={"class": "vTextField"})
               for name in ("alt", "caption", "credit", "creator", "copyright_notice")},
            **{name: forms.URLInput(attrs={"class": "vTextField"}) for name in ("licence_url", "licence_page_url")},
        }  # fmt: skip
        formfield_callback = https_urls


class BaseDescribeFormSet(forms.BaseModelFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["id"].error_messages["invalid_choice"] = (
            "it was deleted from the library after this page was opened."
        )


# Only the pictures the page lists: none is added, and a posted id outside them is refused.
DescribeFormSet = forms.modelformset_factory(
    Image, form=DescribeForm, formset=BaseDescribeFormSet, extra=0, edit_only=True, max_num=MAX_FILES,
    absolute_max=MAX_FILES,
)  # fmt: skip


class ImageAdminForm(VersionedModelForm):
    """A picture's page, with the file and the version it was opened at: a save from a page opened before someone
    else saved the picture is refused, with their values and yours side by side, instead of overwriting theirs
    (and a page opened before the file was replaced is refused too: its focal point was chosen on the old one)."""

    opened_file = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["opened_file"].initial = self.instance.file.name

    def check_opened(self, current, cleaned):
        if cleaned.get("opened_file") != current.file.name:
            raise ValidationError(
                "Someone replaced this picture's file after you opened the page; nothing was saved. Reload the "
                "page to see the new picture, then set its focal point and description again.",
                code="stale",
            )

    class Meta:
        model = Image
        fields = [
            "file", "alt", "caption", "credit", "creator", "copyright_notice", "source", "licence", "licence_url",
            "licence_page_url", "rights_expire_on", "focal_x", "focal_y", "version",
        ]  # fmt: skip
        widgets = {
            "version": forms.HiddenInput,
            "focal_x": forms.NumberInput(attrs={"step": "0.001", "min": 0, "max": 1}),
            "focal_y": forms.NumberInput(attrs={"step": "0.001", "min": 0, "max": 1}),
            "rights_expire_on": forms.DateInput(attrs={"type": "date"}),
            "caption": forms.TextInput(attrs={"class": "vTextField", "size": 90}),
            "alt": forms.TextInput(attrs={"class": "vTextField", "size": 90}),
        }
        field_classes = {"file": forms.ImageField}
        formfield_callback = https_urls
