"""Edit pages for rows that count their saves in ``version`` (library pictures, the site settings): the page
posts the version it was opened at, and a save from a page opened before someone else's is refused, with their
values and this page's side by side, instead of overwriting theirs. The model's save claims the version too
(``claim_next_version``), so no other path overwrites a newer save either.

Articles have their own (articles.admin.forms): a body's difference, and the refused text kept as an autosave.
"""

import datetime
from pathlib import PurePosixPath

from django import forms
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join

from articles.models.numbers import number_field
from articles.workflow import transitions


class VersionedModelForm(forms.ModelForm):
    """A model form whose model has a ``version`` field, posted back (hidden) by the page."""

    version = number_field("PositiveIntegerField", required=False, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        # Locks the row until the admin's transaction ends, so two saves cannot both pass this check.
        model = type(self.instance)
        current = model._default_manager.select_for_update().filter(pk=self.instance.pk).first()
        if current is None:
            raise ValidationError(
                f"Someone deleted this {model._meta.verbose_name} after you opened the page; nothing was saved.",
                code="deleted",
            )
        self.check_opened(current, cleaned)
        opened = cleaned.get("version")
        if opened is None and "version" in self.errors:  # shown here: the field is hidden
            raise ValidationError(
                f"This page's version is not one a {model._meta.verbose_name} can have "
                f"({' '.join(self.errors['version'])}), so nothing was saved. Reload the page and make your changes "
                "again.",
                code="bad_version",
            )
        if opened is None:
            raise ValidationError(
                f"This page did not say which version of the {model._meta.verbose_name} it was opened at, so nothing "
                "was saved. Reload the page and make your changes again.",
                code="no_version",
            )
        if opened != current.version:
            raise ValidationError(self.stale_message(current, opened), code="stale")
        return cleaned

    def check_opened(self, current, cleaned):
        """Checks of the page against the stored row that come before the version's (none here)."""

    def stale_message(self, current, opened):
        """Who saved since, and each value they saved beside the one this page would have saved."""
        last = (
            LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(current), object_id=str(current.pk))
            .select_related("user")
            .order_by("-action_time")
            .first()
        )
        who = last.user.get_username() if last and last.user else "Someone else"
        when = transitions.shown(current.modified_at)
        rows = stale_rows(self.values_beside(current))
        return format_html(
            "{} saved the {} at {} (version {}) after you opened version {}. Nothing was saved and your values "
            "are still in the form below. Reload the page to start from the saved one, then make your changes "
            "again.<table class='stale-values'><thead><tr><th scope='col'><span class='visually-hidden'>Field</span>"
            "</th><th scope='col'>Saved</th><th scope='col'>Yours</th></tr></thead><tbody>{}</tbody></table>",
            who, current._meta.verbose_name, when, current.version, opened, rows,
        )  # fmt: skip

    def values_beside(self, current):
        """(label, saved value, this page's value) for each field of the page whose two values differ."""
        return values_beside(self, current)


def values_beside(form, current, names=None):
    """(label, saved value, the page's value) for each visible field of ``form`` (those in ``names``, when given)
    whose stored value in ``current`` differs from the one the page posted."""
    for name, field in form.fields.items():
        if (names is not None and name not in names) or field.widget.is_hidden or not hasattr(current, name):
            continue
        saved = getattr(current, name)
        if isinstance(field, forms.FileField):
            upload = form.files.get(name)
            saved, yours = _file_name(saved), (_file_name(upload) + " (new)" if upload else _file_name(saved))
        else:
            saved, yours = _shown(saved), _shown(form.cleaned_data.get(name, form.data.get(name)))
        if saved != yours:
            yield field.label, saved, yours


def stale_rows(values):
    """The rows of a refused save's table: each field's saved value beside the page's."""
    return format_html_join("", "<tr><th scope='row'>{}</th><td>{}</td><td>{}</td></tr>", values) or format_html(
        "<tr><td colspan='3'>{}</td></tr>", "The same values."
    )


def _shown(value):
    if value is None or value == "":
        return "—"
    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _file_name(file):
    name = getattr(file, "name", None)
    return PurePosixPath(name).name if name else "—"
