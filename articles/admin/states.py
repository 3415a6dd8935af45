"""The article list's view of states: its filter, its counts and each row's badge, all from ``models.states``."""

from django.contrib import admin
from django.db.models import Count
from django.utils import timezone
from django.utils.html import format_html

from articles.models import states
from articles.workflow import transitions


class StateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return list(states.LABELS.items())

    def queryset(self, request, queryset):
        if self.value() in states.LABELS:
            return queryset.filter(states.state(self.value(), timezone.now()))
        return queryset


def state_counts(queryset):
    """[(key, label, count)] for every state, in one query."""
    now = timezone.now()
    counts = queryset.order_by().aggregate(
        **{key: Count("pk", filter=states.state(key, now)) for key in states.LABELS}
    )  # one row per article (ownership is an EXISTS): nothing is counted twice
    return [(key, label, counts[key]) for key, label in states.LABELS.items()]


def state_badge(article):
    """The article's state as a coloured badge (colours in editor.css: the CSP allows no inline style), with
    when its embargo ends for an article under one."""
    current = article.state()
    if current == states.EMBARGOED:
        label = f"Embargoed until {transitions.shown(article.embargo_until)}"
        return format_html('<span class="state-badge state-{}">{}</span>', current, label)
    badge = format_html('<span class="state-badge state-{}">{}</span>', current, states.LABELS[current])
    if article.is_embargoed:  # a draft or an article in review can be under embargo too
        badge = format_html(
            '{} <span class="state-badge state-embargoed">Embargoed until {}</span>',
            badge,
            transitions.shown(article.embargo_until),
        )
    return badge
