"""Whole numbers that arrive in a request, checked before a query or a save sees them.

Django checks a model form's numbers against the column's range when it validates the model, on the database in
use (SQLite takes 64 bits, PostgreSQL's ``integer`` 32). A number read from a request by hand, used by a form
before the model is validated, or handed to an ``__in`` lookup (which Django does not range-check) reaches the
database as it came: SQLite then fails with an overflow, and PostgreSQL with an out-of-range error, or, bound on
the server, stores what the driver wrapped it to. Each such number goes through ``number_field`` or
``whole_number`` instead, bounded by the range every database we run on shares, so the answer is the same on
every configuration: a 400 or a form error naming the problem.
"""

from django import forms
from django.contrib.admin import helpers
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db.backends.base.operations import BaseDatabaseOperations
from django.http import HttpResponseBadRequest

RANGES = BaseDatabaseOperations.integer_field_ranges  # the portable ranges, narrower than SQLite's


def number_field(internal_type="IntegerField", **kwargs):
    """A form field for the whole numbers a column of this type holds on every database."""
    low, high = RANGES[internal_type]
    return forms.IntegerField(min_value=low, max_value=high, **kwargs)


def whole_number(value, internal_type="IntegerField"):
    """``value`` as an int the column holds, or None when it is missing, not a whole number or out of range."""
    try:
        return number_field(internal_type, required=False).clean(value)
    except ValidationError:
        return None


def key_type(model):
    return model._meta.pk.get_internal_type()


class CheckedAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete box, which looks up the submitted choice to show it again when the form comes back
    with errors; a choice that is no key at all is left out of that lookup (the field's own error names it)."""

    def optgroups(self, name, value, attr=None):
        model = self.field.remote_field.model
        kept = [v for v in value if whole_number(v, key_type(model)) is not None]
        return super().optgroups(name, kept, attr)


class CheckedNumbersAdmin:
    """For model admins and inlines with autocomplete fields: boxes that survive a choice that is no key."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = CheckedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def refuse_bad_selection(request):
    """A 400 when the rows selected for a list action are not whole numbers a key can be (every model here has
    a numbered key; the widest range is enough, as these only reach lookups), else None."""
    if request.method != "POST":
        return None
    chosen = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
    bad = [value for value in chosen if whole_number(value, "BigAutoField") is None]
    if bad:
        shown = ", ".join(repr(value[:30]) for value in bad[:5])
        return HttpResponseBadRequest(f"Selected rows are given by their numbers; these are not: {shown}.")
    return None
