"""Which keys a change purges, gathered per transaction and handed to the outbox once it commits.

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

Keys named inside a transaction are sent once, after it commits, in one batch: each change registers an
``on_commit`` callback carrying its keys (Django drops those of a savepoint rolled back, and all of them on a
rollback), and one more callback, kept last, sends what the others collected.
"""

import contextlib
import contextvars
import threading
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
_BATCHES = threading.local()  # alias: the ``Keys`` committed so far in the commit being run


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
    outside one)."""
    keys = Keys.of(keys)
    if not keys:
        return
    using = using or DEFAULT_DB_ALIAS
    connection = connections[using]
    if not connection.in_atomic_block:
        _committed(keys)
        return
    transaction.on_commit(partial(_collect, using, keys), using=using, robust=True)
    _keep_send_last(connection, using)


def _collect(using, keys):
    batches = getattr(_BATCHES, "by_alias", None)
    if batches is None:
        batches = _BATCHES.by_alias = {}
    batches[using] = batches.get(using, Keys()) | keys


def _send(using):
    batches = getattr(_BATCHES, "by_alias", {})
    keys = batches.pop(using, None)
    if keys:
        _committed(keys)


def _keep_send_last(connection, using):
    """Keep one ``_send`` callback at the end of the connection's commit callbacks, outside every savepoint
    (a savepoint rolled back drops the keys, not the sending of the others)."""
    sender = getattr(connection, "_edge_send", None)
    if sender is None:
        sender = connection._edge_send = partial(_send, using)
    hooks = connection.run_on_commit
    hooks[:] = [hook for hook in hooks if hook[1] is not sender]
    hooks.append((set(), sender, True))


def _committed(keys):
    held = _HOLDING.get()
    if held is not None:
        held[0] |= keys
        return
    from edge import outbox  # the models, once the apps are ready

    keys = keys.sent()
    outbox.send(soft=keys.soft, hard=keys.hard)


@contextlib.contextmanager
def holding():
    """Keys committed inside are sent once when the block ends (a command writing thousands of rows, each in
    its own transaction, purges once)."""
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
