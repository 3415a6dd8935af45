"""Which keys a change purges, written to the outbox in the transaction of the change.

The content registers each model readers see with ``register(model, keys_of, before=..., links_of=...)``:
``keys_of(instance, before, deleted)`` names the keys a save or a delete purges, ``before(instance)`` (optional)
reads what the row was, just before it is written, and ``links_of(instance, reverse, pk_set)`` (optional, for the
through model of a many-to-many relation) names the keys a link added or removed purges. Nothing is read or
gathered unless an edge is configured (``NEWSROOM_EDGE_PURGE_URLS``).

Keys are purged soft unless named hard. A soft purge (plain keys: a set, a list) expires the pages but lets the
edge serve them a few seconds more while one background fetch refreshes them: right for a change that only
refreshes what a page shows. A hard purge (``hard(keys)``) drops them at once, even from grace: right when
something stopped being shown to readers. ``keys_of`` returns either, or ``Keys(soft=..., hard=...)``; a key
named hard anywhere in a transaction is sent hard only.

Keys named inside a transaction are written to the outbox (``edge.models.Purge``) at once, in that transaction:
they commit with the change or roll back with it (a savepoint rolled back takes its rows along), so nothing that
runs after the commit, and no process dying after it, can lose them. A key already written in the transaction is
not written again. After the commit one job asks a worker to deliver them, merged with whatever else is due.
Outside a transaction (autocommit) a change's keys are written and the job queued at once.
"""

import contextlib
import contextvars
from functools import partial
from typing import NamedTuple

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

SITE = "site"  # the key every page carries: purged when the rows a bulk write changed are not known


class Keys(NamedTuple):
    """Keys to purge soft (the pages are refreshed; the edge may serve them a few seconds more) and hard (the
    pages are gone at once, from grace too)."""

    soft: frozenset = frozenset()
    hard: frozenset = frozenset()

    @classmethod
    def of(cls, keys):
        """``keys`` as ``Keys``: plain keys (any iterable, or None) are soft."""
        if isinstance(keys, Keys):
            return keys
        return cls(soft=frozenset(keys or ()))

    def __or__(self, other):
        other = Keys.of(other)
        return Keys(self.soft | other.soft, self.hard | other.hard)

    __ror__ = __or__

    def __bool__(self):
        return bool(self.soft or self.hard)

    def sent(self):
        """What is sent: a key hard anywhere is hard only."""
        return Keys(self.soft - self.hard, self.hard)


def hard(keys):
    """``keys`` to be purged hard: the pages tagged with them showed something readers are no longer shown."""
    return Keys(hard=frozenset(keys or ()))


EVERY_PAGE = hard((SITE,))  # what a bulk write purges unless the content names fewer

_REGISTERED = {}  # label: (model, keys_of, before, links_of)
_HOLDING = contextvars.ContextVar("edge_holding", default=None)  # a list holding ``Keys`` inside ``holding``


def configured():
    """Whether any edge is to be purged (otherwise nothing is read, gathered or sent)."""
    return bool(settings.NEWSROOM_EDGE_PURGE_URLS)


def register(model, keys_of, *, before=None, links_of=None, bulk_keys=EVERY_PAGE):
    """Purge the keys ``keys_of`` names whenever a row of ``model`` is saved or deleted (see the module's
    docstring); a bulk write to it (``bulk_written``) purges ``bulk_keys`` (by default ``site``, hard: the
    rows it changed are not known, and one may have stopped being shown)."""
    label = model._meta.label
    _REGISTERED[label] = (model, keys_of, before, links_of, Keys.of(bulk_keys))
    if before is not None:
        pre_save.connect(_capture, sender=model, dispatch_uid=f"edge-before-save-{label}")
        pre_delete.connect(_capture, sender=model, dispatch_uid=f"edge-before-delete-{label}")
    post_save.connect(_saved, sender=model, dispatch_uid=f"edge-save-{label}")
    post_delete.connect(_deleted, sender=model, dispatch_uid=f"edge-delete-{label}")
    if links_of is not None:
        m2m_changed.connect(_linked, sender=model, dispatch_uid=f"edge-links-{label}")


def registered_models():
    return {label: entry[0] for label, entry in _REGISTERED.items()}


def _entry(model):
    return _REGISTERED.get(model._meta.label)


def _capture(sender, instance, raw=False, **kwargs):
    if raw or not configured():
        return
    entry = _entry(sender)
    instance._edge_before = entry[2](instance) if entry else None


def _saved(sender, instance, raw=False, using=None, **kwargs):
    if raw or not configured():
        return
    _, keys_of, *_ = _entry(sender)
    gather(keys_of(instance, getattr(instance, "_edge_before", None), False), using)


def _deleted(sender, instance, using=None, **kwargs):
    if not configured():
        return
    _, keys_of, *_ = _entry(sender)
    gather(keys_of(instance, getattr(instance, "_edge_before", None), True), using)


def _linked(sender, instance, action, reverse, pk_set, using=None, **kwargs):
    if action not in ("post_add", "post_remove", "pre_clear") or not configured():
        return
    _, _, _, links_of, _ = _entry(sender)
    gather(links_of(instance, reverse, pk_set), using)


def bulk_written(model, using=None, objs=None):
    """A bulk write (an ``update``, ``bulk_create`` or ``bulk_update``) changed rows of ``model`` that sent no
    signal. Rows just created (``objs``, each with its primary key) purge what each would purge when saved;
    otherwise the write's rows are not known and its ``bulk_keys`` are purged (``site``, every page, hard, unless
    the content named fewer)."""
    entry = _entry(model)
    if entry is None or not configured():
        return
    using = using or router.db_for_write(model)
    if objs is not None and all(obj.pk is not None for obj in objs):
        keys_of, keys = entry[1], Keys()
        for obj in objs:
            keys |= keys_of(obj, None, False)
        gather(keys, using)
    else:
        gather(entry[4], using)


def gather(keys, using=None):
    """Purge ``keys`` (plain keys: soft; or ``hard(...)``, ``Keys``) once the current transaction commits (now,
    outside one): inside one they are written to the outbox now, in it."""
    keys = Keys.of(keys)
    if not keys:
        return
    using = using or DEFAULT_DB_ALIAS
    connection = connections[using]
    if not connection.in_atomic_block:
        _committed(keys)
        return
    if connection.needs_rollback:  # the transaction can only roll back, and its change with it
        return
    held = _HOLDING.get()
    if held is not None:
        transaction.on_commit(partial(_hold, held, keys), using=using, robust=True)
        return
    _write(connection, using, keys)


def _write(connection, using, keys):
    """Write what ``keys`` adds to what this transaction already wrote, and ask for a delivery after the commit,
    once a transaction.

    Django gives each transaction, and what is left of one after a savepoint is rolled back, a new list of
    commit callbacks: the list the delivery was registered in (kept on the connection) tells whether this is
    still the transaction, and the savepoint state, that the keys written so far belong to."""
    from edge import outbox  # the models, once the apps are ready

    state = getattr(connection, "_edge_outbox", None)
    if state is None or state[0] is not connection.run_on_commit:
        transaction.on_commit(outbox.kick, using=using, robust=True)
        state = connection._edge_outbox = (connection.run_on_commit, [Keys()])
    written = state[1][0]
    new = Keys(keys.soft - written.soft - written.hard, keys.hard - written.hard)
    if new:
        outbox.record(soft=new.soft, hard=new.hard, using=using)
        state[1][0] = written | new


def _hold(held, keys):
    held[0] |= keys


def _committed(keys):
    held = _HOLDING.get()
    if held is not None:
        _hold(held, keys)
        return
    from edge import outbox  # the models, once the apps are ready

    keys = keys.sent()
    outbox.send(soft=keys.soft, hard=keys.hard)


@contextlib.contextmanager
def holding():
    """Keys committed inside are kept in memory and written to the outbox once, when the block ends (a command
    writing thousands of rows, each in its own transaction, purges once); keys of a transaction rolled back are
    dropped."""
    if _HOLDING.get() is not None:
        yield
        return
    held = [Keys()]
    token = _HOLDING.set(held)
    try:
        yield
    finally:
        _HOLDING.reset(token)
        if held[0]:
            _committed(held[0])
