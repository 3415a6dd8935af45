"""What changed between two revisions of an article, said as the desk says it: in people's names, field by
field, the text word by word (``textdiff.words``).

By default the revisions page compares the story as it is with the story as it was at its last submission for
review: what the writer changed since then when the desk sent it back, or, once it is resubmitted, what changed
since the submission before, which is what an editor reading a resubmission wants to see. A story never
submitted is compared with its revision before. Each field says who changed it, from the revisions between the
two compared.
"""

from dataclasses import dataclass, field
from itertools import pairwise

from django.db import models
from django.utils.html import format_html
from simple_history.models import DeletedObject

from articles.admin import textdiff
from articles.admin.conversation import name_of
from articles.models import Article, states
from articles.workflow import transitions

NOT_SHOWN = {"version"}  # it changes with every save
LABELS = {"title": "headline", "lead_image": "lead picture", "lead_image_url": "lead picture's address",
          "lead_image_alt": "lead picture's alt text", "lead_image_caption": "lead picture's caption",
          "lead_image_credit": "lead picture's credit", "withdrawal_note": "withdrawal note",
          "assignee": "assigned editor",
          "history_bylines": "bylines", "history_tags": "tags"}  # fmt: skip
CREDITS = ("history_bylines", "history_tags")
ORDER = {name: position for position, name in enumerate([f.name for f in Article._meta.fields] + list(CREDITS))}
SUBMISSIONS_LOOKED_AT = 50


def when(moment):
    """A time as the admin shows it (``transitions.shown``), or nothing."""
    return transitions.shown(moment) if moment else ""


def names(people):
    """People as a sentence names them: Ana Ruiz; Ana Ruiz and Ben Ode; Ana Ruiz, Ben Ode and Cy Li."""
    people = list(people)
    return " and ".join([", ".join(people[:-1]), people[-1]]) if len(people) > 1 else "".join(people)


def label(name):
    return LABELS.get(name) or str(Article._meta.get_field(name).verbose_name)


@dataclass
class Change:
    """One field that differs: its label, who changed it, and its differences marked up."""

    name: str
    label: str
    people: list
    table: str

    @property
    def sentence(self):
        return f"{names(self.people) or 'Someone'} changed the {self.label}"


@dataclass
class Comparison:
    old: object
    new: object
    summary: str
    changes: list = field(default_factory=list)


def default_pair(article, records):
    """(old, new, submission): the revisions compared when none are picked, ``records`` newest first. The
    submission is the workflow step the old revision was made at, or None."""
    if not records:
        return None, None, None
    newest = records[0]
    submissions = article.transitions.filter(target=Article.Status.REVIEW).select_related("user")
    for step in submissions.order_by("-at", "-pk")[:SUBMISSIONS_LOOKED_AT]:
        at_step = next((record for record in records if record.history_date <= step.at), None)
        if at_step is None:
            break
        if at_step is not newest:
            return at_step, newest, step
    return (records[1] if len(records) > 1 else None), newest, None


def _credits(record, name):
    value = getattr(record, name)
    if value is None or name == "history_tags":
        return value
    return [f"{b['name']} ({b['role']})" if b.get("role") else b["name"] for b in value]


def changed_fields(before, after):
    """The names of the fields, bylines and tags that differ between two revisions."""
    found = set(after.diff_against(before, excluded_fields=NOT_SHOWN).changed_fields)
    for name in CREDITS:
        old, new = _credits(before, name), _credits(after, name)
        if old is not None and new is not None and old != new:
            found.add(name)
    return found


def _shown(model_field, value):
    if isinstance(value, DeletedObject):  # a row deleted since, or none at all
        value = None if value.pk is None else f"a deleted {value.model._meta.verbose_name} (#{value.pk})"
    if value is None or value == "":
        return "(none)"
    if model_field.choices:
        return states.LABELS.get(value) or dict(model_field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(model_field, models.DateTimeField):
        return when(value)
    if hasattr(value, "get_full_name"):
        return name_of(value)
    return str(value)


def _marked(name, old, new):
    model_field = Article._meta.get_field(name)
    if isinstance(model_field, models.CharField | models.TextField) and not model_field.choices:
        return textdiff.words(old, new)
    return format_html(
        '<div class="word-diff"><del>{}</del> → <ins>{}</ins></div>', _shown(model_field, old), _shown(model_field, new)
    )


def compare(old, new, records, submission=None):
    """The ``Comparison`` of two revisions, among ``records`` (newest first)."""
    position = {record.history_id: index for index, record in enumerate(records)}
    changes = []
    delta = new.diff_against(old, excluded_fields=NOT_SHOWN, foreign_keys_are_objs=True)
    for change in delta.changes:
        changes.append(Change(change.field, label(change.field), [], _marked(change.field, change.old, change.new)))
    for name in CREDITS:
        before, after = _credits(old, name), _credits(new, name)
        if before is not None and after is not None and before != after:
            changes.append(Change(name, label(name), [], textdiff.words("\n".join(before), "\n".join(after))))
    changes.sort(key=lambda change: ORDER.get(change.name, len(ORDER)))
    # Who changed each field: whoever saved a revision that changed it, between the two compared.
    by_field, everyone = {change.name: change for change in changes}, {}
    newer, older = sorted([position[old.history_id], position[new.history_id]])
    for before, after in pairwise(records[newer : older + 1][::-1]):  # oldest first
        person = name_of(after.history_user)
        for name in changed_fields(before, after) & by_field.keys():
            if person not in by_field[name].people:
                by_field[name].people.append(person)
            everyone.setdefault(person, None)
    if submission is not None:
        since = f"since {name_of(submission.user)} submitted it at {when(submission.at)}"
    elif position[old.history_id] == position[new.history_id] + 1:
        since = f"in revision #{new.history_id}, since the revision before"
    else:
        since = f"from revision #{old.history_id} to #{new.history_id}"
    by = names(everyone)
    summary = (f"Changes by {by} {since}" if by else f"Changes {since}") if changes else f"No changes {since}"
    return Comparison(old, new, summary, changes)
