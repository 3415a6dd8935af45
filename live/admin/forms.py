"""The forms of the desk's posting endpoints: what a request may say, read and checked before the stream
(``live.stream``) is asked to write it. Their errors, and the stream's, are named by field."""

from django import forms
from django.core.exceptions import ValidationError

from articles.models import Author
from live.models import HEADLINE_LENGTH

YES, NO = ("1", "true", "on"), ("0", "false", "")


class FlagField(forms.TypedChoiceField):
    """A yes or no sent as ``1`` or ``0`` (``true``/``false`` and a checkbox's ``on`` too)."""

    def __init__(self, **kwargs):
        choices = [(value, value) for value in YES + NO]
        super().__init__(choices=choices, coerce=lambda value: value in YES, empty_value=False, required=False,
                         error_messages={"invalid_choice": "Send 1 (yes) or 0 (no)."}, **kwargs)  # fmt: skip


def _authors():
    return forms.ModelMultipleChoiceField(
        Author.objects.order_by("name"),
        required=False,
        help_text="Left empty: you, or the page's own bylines if you write as no author.",
        widget=forms.SelectMultiple(attrs={"size": 3}),
        error_messages={
            "invalid_choice": "No author has the number %(value)s.",
            "invalid_pk_value": "“%(pk)s” is not an author's number.",
        },  # fmt: skip
    )


class UpdateFieldsForm(forms.Form):
    body = forms.CharField(strip=False, widget=forms.Textarea(attrs={"rows": 4}), help_text="Markdown.")
    headline = forms.CharField(required=False, max_length=HEADLINE_LENGTH, label="Headline (optional)")
    posted_at = forms.DateTimeField(
        required=False,
        label="Time",
        help_text="Left empty: now.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local", "step": 60}, format="%Y-%m-%dT%H:%M"),
    )
    key_event = FlagField(label="Key event")
    pinned = FlagField(label="Pinned")
    correction = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Correction note",
        help_text="For a substantive change: what was wrong, shown to readers with the update.",
    )


class PostForm(UpdateFieldsForm):
    """A new update: its text, and optionally a headline, authors, flags and a time."""

    field_order = ["body", "headline", "authors", "key_event", "pinned", "posted_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["correction"]
        self.fields["authors"] = _authors()
        self.order_fields(self.field_order)
        for name in ("key_event", "pinned"):
            self.fields[name] = forms.BooleanField(required=False, label=self.fields[name].label)
        self.fields["key_event"].help_text = "Listed in the summary at the top of the page."
        self.fields["pinned"].help_text = "Held at the top of the stream until unpinned."


class EditForm(UpdateFieldsForm):
    """A change to an update as of the version it was read at: only the fields the request sends change."""

    version = forms.IntegerField(min_value=1, error_messages={"required": "Say which version of the update you "
                                                              "changed (its version field)."})  # fmt: skip

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["authors"] = _authors()
        self.fields["version"].widget = forms.HiddenInput()
        sent = data or {}
        for name, field in self.fields.items():
            if name != "version":
                field.required = name == "body" and name in sent
        self.sent = [name for name in self.fields if name != "version" and name in sent]

    def changes(self):
        """The fields sent, as ``live.stream.edit`` takes them."""
        return {name: self.cleaned_data[name] for name in self.sent}


class VersionForm(forms.Form):
    version = forms.IntegerField(min_value=1, error_messages={"required": "Say which version of the update this "
                                                              "is (its version field)."})  # fmt: skip


def named(error):
    """A ValidationError as ``{field: [messages]}``, a problem of no one field under ``__all__``."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        return {name: [str(message) for message in messages] for name, messages in error.message_dict.items()}
    return {"__all__": [str(message) for message in error.messages]}


def form_errors(form):
    return {name: [str(message) for message in messages] for name, messages in form.errors.items()}
