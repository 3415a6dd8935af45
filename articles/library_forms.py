"""The media library's admin forms: uploading several pictures at once, and a picture's edit page."""

from django import forms
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst

from .models import Image

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


class UploadForm(forms.Form):
    files = MultipleImageField(label="Pictures", help_text="JPEG, PNG, WebP or GIF, up to 20 MB each.")
    credit = forms.CharField(max_length=200, required=False, help_text="Given to every picture of this upload.")
    source = forms.CharField(max_length=500, required=False)
    licence = forms.CharField(max_length=200, required=False)
    rights_expire_on = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="Rights expire on"
    )


class ImageAdminForm(forms.ModelForm):
    """A picture's page, with the file and the version it was opened at: a save from a page opened before someone
    else saved the picture is refused, with their values and yours side by side, instead of overwriting theirs
    (and a page opened before the file was replaced is refused too: its focal point was chosen on the old one)."""

    opened_file = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["opened_file"].initial = self.instance.file.name

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        # Locks the row until the admin's transaction ends, so two saves cannot both pass this check.
        current = Image.objects.select_for_update().filter(pk=self.instance.pk).first()
        if current is None:
            raise ValidationError("Someone deleted this picture after you opened the page; nothing was saved.")
        if cleaned.get("opened_file") != current.file.name:
            raise ValidationError(
                "Someone replaced this picture's file after you opened the page; nothing was saved. Reload the "
                "page to see the new picture, then set its focal point and description again.",
                code="stale",
            )
        opened = cleaned.get("version")
        if opened is None:
            raise ValidationError(
                "This page did not say which version of the picture it was opened at, so nothing was saved. "
                "Reload the page and make your changes again.",
                code="no_version",
            )
        if opened != current.version:
            raise ValidationError(self.stale_message(current, opened), code="stale")
        return cleaned

    def stale_message(self, current, opened):
        """Who saved the picture since, and each value they saved beside the one this page would have saved."""
        last = (
            LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Image), object_id=str(current.pk))
            .select_related("user")
            .order_by("-action_time")
            .first()
        )
        who = last.user.get_username() if last and last.user else "someone else"
        when = f"{timezone.localtime(current.modified_at):%Y-%m-%d %H:%M %Z}"
        differences = [(label, saved, yours) for label, saved, yours in self._values_beside(current) if saved != yours]
        rows = format_html_join(
            "", "<tr><th scope='row'>{}</th><td>{}</td><td>{}</td></tr>", differences
        ) or format_html("<tr><td colspan='3'>{}</td></tr>", "The same values (the file differs).")
        return format_html(
            "{} saved this picture at {} (version {}) after you opened version {}. Nothing was saved and your "
            "values are still in the form below. Reload the page to start from the saved picture, then make your "
            "changes again.<table class='stale-values'><thead><tr><th scope='col'></th><th scope='col'>Saved</th>"
            "<th scope='col'>Yours</th></tr></thead><tbody>{}</tbody></table>",
            who, when, current.version, opened, rows,
        )  # fmt: skip

    def _values_beside(self, current):
        """(label, saved value, this page's value) for each described field, and the focal point, as text."""
        cleaned = self.cleaned_data
        for name in ("alt", "caption", "credit", "source", "licence", "rights_expire_on"):
            label = capfirst(Image._meta.get_field(name).verbose_name)
            mine = cleaned.get(name, getattr(current, name))
            yield label, str(getattr(current, name) or "—"), str(mine or "—")
        mine = (cleaned.get("focal_x", current.focal_x), cleaned.get("focal_y", current.focal_y))
        yield "Focal point", _focal(current.focal), _focal(mine)

    class Meta:
        model = Image
        fields = [
            "file", "alt", "caption", "credit", "source", "licence", "rights_expire_on",
            "focal_x", "focal_y", "version",
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


def _focal(point):
    return f"{point[0]:.3f}, {point[1]:.3f}" if None not in point else "—"
