"""Text as the site stores it, one definition for every way in (admin forms, imports, the model itself).

Every ``CharField`` a person or a file fills in holds one line: it is an ``<input>``, never a ``<textarea>``,
and a line break in a headline or in the site's name would end an e-mail header (Django refuses to send it).
Line breaks there are folded to a space, not refused: a headline pasted from a document keeps its words.
Multi-line text (``TextField``: bodies, deks, bios, notes) is kept as typed, CRLF and all. No text keeps a NUL:
PostgreSQL cannot store it. A model may give fields a stricter normal form (``normal_forms``): names keep one
space between words and no control characters, old addresses one spelling.

``NormalText`` applies all of it before validation as well as at save, so that a uniqueness check sees the value
that will be stored: "Embargo  Desk" is refused beside "Embargo Desk" instead of reaching the database's
unique index.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Value
from django.db.models.functions import Lower
from django.utils.text import capfirst

# What str.splitlines() ends a line at, with the spaces and tabs around it.
LINE_BREAKS = re.compile(r"[ \t]*[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029][\s]*")


def one_line(value):
    """``value`` with every line break (and the blanks around it) folded to one space; none left at the ends."""
    if not isinstance(value, str):
        return value
    return " ".join(part for part in LINE_BREAKS.split(value) if part)


# The C0 and C1 control characters (Unicode's category Cc): nothing a reader can see, most of them refused by XML.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def one_spaced(value):
    """A name as stored: words separated by one space, nothing around them ("Embargo  Desk" is "Embargo Desk"),
    and no control characters ("Ann\\x01 Lee" is "Ann Lee"; a name made only of them is empty)."""
    words = (CONTROL_CHARACTERS.sub("", word) for word in str(value or "").split())
    return " ".join(word for word in words if word)


def normalize_text(instance):
    """Put every text field of ``instance`` in the form it is stored in (see the module's docstring)."""
    forms = getattr(instance, "normal_forms", {})
    for field in instance._meta.concrete_fields:
        if not isinstance(field, (models.CharField, models.TextField)):
            continue
        value = instance.__dict__.get(field.attname)
        if not isinstance(value, str):
            continue
        normal = value.replace("\x00", "")
        if isinstance(field, models.CharField) and field.editable:
            normal = one_line(normal)
        if field.name in forms:
            normal = forms[field.name](normal)
        if normal != value:
            setattr(instance, field.attname, normal)


class NormalText:
    """A model whose text is normalised before validation and on every save, and whose uniqueness errors say
    which row already has the value. Models whose own ``save()`` reads their text first call
    ``normalize_text(self)`` at its start."""

    normal_forms = {}

    def clean_fields(self, exclude=None):
        normalize_text(self)
        super().clean_fields(exclude)

    def save(self, *args, **kwargs):
        normalize_text(self)
        super().save(*args, **kwargs)

    def unique_error_message(self, model_class, unique_check):
        error = super().unique_error_message(model_class, unique_check)
        fields = [model_class._meta.get_field(name) for name in unique_check]
        same = {field.attname: getattr(self, field.attname) for field in fields}
        clash = model_class._default_manager.filter(**same).exclude(pk=self.pk).first()
        if clash is None:
            return error
        what = " and ".join(str(field.verbose_name) for field in fields)
        return ValidationError(
            f"{capfirst(what)} already used by the {model_class._meta.verbose_name} “{clash}” (id {clash.pk}).",
            code=error.code,
        )


def refuse_taken_name(instance, field="name"):
    """Refuse a name another row already has in any letter case, naming that row: the same comparison as the
    models' ``UniqueConstraint(Lower(field))``, so what passes here passes the database's unique index."""
    value = getattr(instance, field)
    if not value:
        return
    same = type(instance)._default_manager.alias(folded=Lower(field)).filter(folded=Lower(Value(value)))
    clash = same.exclude(pk=instance.pk).first()
    if clash is not None:
        label = instance._meta.verbose_name
        raise ValidationError(
            {field: f"The {label} “{clash}” (id {clash.pk}) already has this name; names differing only in letter "
             "case or spacing are the same name. Choose another, or use that one."},
            code="unique",
        )  # fmt: skip
