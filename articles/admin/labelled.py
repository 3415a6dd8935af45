"""Names for the admin's inputs that Django leaves without one, so that a screen reader says what each is.

Django labels a split date and time field once, for its date box, and the boxes of a list's editable columns
not at all: ``LabelledDateTimes`` names each box of a split field, ``LabelledListEditable`` each editable box of a
list after its column and its row.
"""

from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime


def name_split_datetime(formfield, label):
    """Give the date and the time box of a split date and time field their own names ("Shown from: date")."""
    if formfield is not None and isinstance(formfield.widget, AdminSplitDateTime):
        date, time = formfield.widget.widgets
        date.attrs["aria-label"] = f"{label}: date"
        time.attrs["aria-label"] = f"{label}: time"
    return formfield


class LabelledDateTimes:
    """A model admin whose split date and time fields name both their boxes."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        return name_split_datetime(formfield, str(db_field.verbose_name).capitalize())


class LabelledListEditable:
    """A model admin whose list's editable boxes are named after their column and row ("Position of Sport")."""

    def get_changelist_form(self, request, **kwargs):
        base = super().get_changelist_form(request, **kwargs)

        class Labelled(base):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                for field in self.fields.values():
                    if self.instance.pk is None or isinstance(field.widget, forms.HiddenInput):
                        continue
                    what = f"{str(field.label).capitalize()} of {self.instance}"
                    field.widget.attrs["aria-label"] = what
                    name_split_datetime(field, what)

        return Labelled
