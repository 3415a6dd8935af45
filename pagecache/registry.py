"""What the content tells the page cache, from its ``AppConfig.ready()``: which models' rows readers see
(a change to one retires every cached page once it commits) and which time fields are moments no page
outlives (a scheduled publication, an expiry, a banner's start).

The page cache imports no model: the owner of each model registers it, as Wagtail's images app registers
its models with the reference index.
"""

import contextlib
import contextvars
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import NamedTuple

from django.db.models import Max, Min, Q, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save

from pagecache import generation


class Moments(NamedTuple):
    """When what readers see next changes by itself, and when it last did (None: never)."""

    next_change_at: datetime | None
    last_change_at: datetime | None


class ScheduleProvider(NamedTuple):
    """A model's time fields that are moments (``fields``) and how to find them: ``moments(now)`` gives the
    next of them after ``now`` and the last one at or before it, as ``Moments``."""

    model: type
    fields: tuple[str, ...]
    moments: Callable[[datetime], Moments]


_MODELS = {}  # label: model
_SCHEDULE = []  # ScheduleProvider, in the order registered
_BULK_LISTENERS = []  # callables told of each bulk write, with its model
_ONCE_BLOCKS = []  # context manager factories entered by ``retiring_once``


_RETIRING_ONCE = contextvars.ContextVar("pagecache_retiring_once", default=None)  # [pending] inside retiring_once


def retire():
    """Retire every cached page (``generation.invalidate``), or, inside ``retiring_once``, once at its end."""
    pending = _RETIRING_ONCE.get()
    if pending is None:
        generation.invalidate()
    else:
        pending[0] = True


@contextlib.contextmanager
def retiring_once():
    """Writes made inside (a command rendering thousands of rows again, each with its own ``update``) retire the
    cached pages once when the block ends, not once a row: a retirement is a write to the shared cache and a
    message to every app process."""
    if _RETIRING_ONCE.get() is not None:  # already inside one: the outer block retires
        yield
        return
    token = _RETIRING_ONCE.set([False])
    try:
        with contextlib.ExitStack() as blocks:
            for block in _ONCE_BLOCKS:
                blocks.enter_context(block())
            yield
    finally:
        pending = _RETIRING_ONCE.get()[0]
        _RETIRING_ONCE.reset(token)
        if pending:
            generation.invalidate()


def content_changed(sender, **kwargs):
    """Signal receiver for every registered model: its rows changed, so every cached page is retired."""
    retire()


def register_model(model):
    """Readers see ``model``'s rows: saving or deleting one (or, for the through model of a many-to-many
    relation, adding or removing links) retires every cached page once its transaction commits."""
    label = model._meta.label
    _MODELS[label] = model
    post_save.connect(content_changed, sender=model, dispatch_uid=f"pagecache-save-{label}")
    post_delete.connect(content_changed, sender=model, dispatch_uid=f"pagecache-delete-{label}")
    m2m_changed.connect(content_changed, sender=model, dispatch_uid=f"pagecache-links-{label}")


def on_bulk_write(listener):
    """``listener(model, using, objs)`` is told of every bulk write to a registered model (which sends no
    signal), so that other caches (the edge) can drop what it changed too."""
    if listener not in _BULK_LISTENERS:
        _BULK_LISTENERS.append(listener)


def also_once(block):
    """``retiring_once`` also enters ``block()``, a context manager that batches another cache's work the same
    way (the edge's purges)."""
    if block not in _ONCE_BLOCKS:
        _ONCE_BLOCKS.append(block)


def bulk_written(model, using=None, objs=None):
    """Rows of ``model`` were written in bulk (``objs``: the rows a ``bulk_create`` made; None when the rows are
    not known): every cached page is retired, and the listeners told."""
    retire()
    for listener in _BULK_LISTENERS:
        listener(model, using, objs)


def register_schedule(model, fields, moments):
    """``model``'s time ``fields`` are moments at which what readers see changes by itself; ``moments(now)``
    finds the next and the last of them (``Moments``). No cached page is kept past the next one."""
    if any(provider.model is model and provider.moments == moments for provider in _SCHEDULE):
        return
    _SCHEDULE.append(ScheduleProvider(model, tuple(fields), moments))


def registered_models():
    """The models whose changes retire pages, by label."""
    return dict(_MODELS)


def schedule_providers():
    return list(_SCHEDULE)


def moments_of(queryset, now, fields: Iterable[str]):
    """The ``Moments`` of ``queryset``'s time ``fields`` in one aggregate query: the earliest value after
    ``now`` and the latest at or before it, over all the fields."""
    aggregates = {}
    for name in fields:
        aggregates[f"{name}_next"] = Min(name, filter=Q(**{f"{name}__gt": now}))
        aggregates[f"{name}_last"] = Max(name, filter=Q(**{f"{name}__lte": now}))
    found = queryset.aggregate(**aggregates)
    ahead = [value for name, value in found.items() if name.endswith("_next") and value is not None]
    behind = [value for name, value in found.items() if name.endswith("_last") and value is not None]
    return Moments(min(ahead, default=None), max(behind, default=None))


class PageRetiringQuerySet(QuerySet):
    """The queryset of a registered model: its bulk writes (``update``, ``bulk_create``, ``bulk_update``), which
    send no ``post_save``, retire every cached page as a save does, so no bulk writer has to remember to."""

    def update(self, **kwargs):
        changed = super().update(**kwargs)
        if changed:
            bulk_written(self.model, self.db)
        return changed

    def bulk_create(self, objs, *args, **kwargs):
        made = super().bulk_create(objs, *args, **kwargs)
        if made:
            bulk_written(self.model, self.db, made)
        return made

    def bulk_update(self, objs, fields, *args, **kwargs):
        changed = super().bulk_update(objs, fields, *args, **kwargs)
        if changed:
            bulk_written(self.model, self.db)
        return changed
