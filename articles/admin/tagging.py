"""The article form's tags: a list of names, each one tag however many words it has. Without JavaScript it is a
text box of names separated by commas (a name with a comma in it between double quotes); with it, a box that
offers the existing tags as one types, shows each chosen tag as a chip, and offers to create a tag only to
those who may (static/admin/articles/tags.js, over ``articles.admin.tags``' search)."""

import json

from django import forms
from django.db.models import Q, Value
from django.db.models.functions import Replace
from django.urls import reverse_lazy
from taggit.models import Tag

from articles.models import one_spaced

NAME_LENGTH = Tag._meta.get_field("name").max_length


def tag_names(text):
    """The names in a comma-separated text, in the order given, each once (the first spelling of a name kept):
    ``Harbour works, Tide`` is two tags, ``"Ports, harbours"`` one. Double quotes only group."""
    names, name, quoted = [], [], False
    for char in f"{text},":
        if char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            names.append(one_spaced("".join(name)))
            name = []
        else:
            name.append(char)
    if name:  # an unclosed quote: what followed it is read as unquoted
        names.extend(one_spaced(part) for part in "".join(name).split(","))
    unique = {}
    for name in filter(None, names):
        unique.setdefault(name.casefold(), name)
    return list(unique.values())


def stored_tags(names):
    """The stored tags answering to ``names``, each by its name or by its name without double quotes, with any
    letter case: one query however many names there are."""
    if not names:
        return []
    matches = Q()
    for name in names:
        matches |= Q(name__iexact=name) | Q(unquoted__iexact=name)
    found = Tag.objects.alias(unquoted=Replace("name", Value('"'), Value(""))).filter(matches)
    return list(found.values_list("name", flat=True))


def stored_names(names):
    """``names`` as the tags are stored: a name the box cannot write (a stored name holding a double quote, which
    the box reads as grouping and drops) stands for the tag whose name without its double quotes it is, so that
    the tag is kept rather than refused as new or made again without them."""
    stored = stored_tags(names)
    exact = {name.casefold() for name in stored}
    unquoted = {}
    for name in stored:
        unquoted.setdefault(name.replace('"', "").casefold(), name)
    return [name if name.casefold() in exact else unquoted.get(name.casefold(), name) for name in names]


def new_names(names):
    """Those of ``names`` (as ``stored_names`` gives them) that no tag has yet."""
    stored = {name.casefold() for name in stored_tags(names)}
    return [name for name in names if name.casefold() not in stored]


def tag_text(names):
    """The text ``tag_names`` reads back as ``names``."""
    return ", ".join(f'"{name}"' if "," in name else name for name in names)


class TagChooser(forms.TextInput):
    """A text box of tag names that the chooser's script turns into chips and a list of the existing tags."""

    search_url = reverse_lazy("admin:taggit_tag_search")
    may_create = False  # set by the form for the user editing it

    class Media:
        css = {"all": ["admin/articles/tags.css"]}
        js = ["admin/articles/tags.js"]

    def names(self, value):
        if value is None:
            return []
        if isinstance(value, str):
            return tag_names(value)
        return [getattr(tag, "name", tag) for tag in value]  # the article's tags, or names already cleaned

    def format_value(self, value):
        return tag_text(self.names(value)) or None

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].update(
            {
                "data-tag-chooser": "",
                "data-search-url": str(self.search_url),
                "data-may-create": json.dumps(self.may_create),
                "data-chosen": json.dumps(self.names(value)),
                "autocomplete": "off",
            }
        )
        return context


class TagNamesField(forms.Field):
    """Tag names, as ``tag_names`` reads them; each no longer than a tag's name may be."""

    widget = TagChooser

    def to_python(self, value):
        if isinstance(value, (list, tuple)):
            return [name for name in (one_spaced(name) for name in value) if name]
        return tag_names(value or "")

    def validate(self, value):
        super().validate(value)
        long = [name for name in value if len(name) > NAME_LENGTH]
        if long:
            raise forms.ValidationError(
                "A tag's name is at most %(limit)s characters: %(names)s is longer.",
                code="tag_too_long",
                params={"limit": NAME_LENGTH, "names": ", ".join(f"“{name[:40]}…”" for name in long)},
            )

    def clean(self, value):
        return stored_names(super().clean(value))

    def has_changed(self, initial, data):
        typed = stored_names(self.to_python(data))
        return [n.casefold() for n in self.widget.names(initial)] != [n.casefold() for n in typed]
