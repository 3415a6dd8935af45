"""What the models share: readable unique slugs, stored files that follow their rows, saves that never
overwrite a newer one, and reader addresses worked out once per process."""

import contextlib
import functools
import secrets
from pathlib import PurePosixPath

from django.core.signals import setting_changed
from django.db import models, transaction
from django.dispatch import receiver
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.text import capfirst, slugify

from articles.media import renditions


def unique_slug(model, value, *, exclude_pk=None, max_length=200, fallback="article", allow_unicode=True):
    """A readable slug for ``value`` that no other row of ``model`` has: ``base``, ``base-2``, ... (letters of
    any script, unless ``allow_unicode`` is False: the field then takes ASCII only).

    A model whose old addresses redirect (``redirected_slugs``) counts their slugs as taken too: each
    still leads to the row it was given to.
    """
    base = slugify(value or "", allow_unicode=allow_unicode)[: max_length - 8].strip("-") or fallback
    taken = set(
        model._default_manager.filter(slug__startswith=base).exclude(pk=exclude_pk).values_list("slug", flat=True)
    )
    redirected = getattr(model, "redirected_slugs", None)
    if redirected is not None:
        taken |= redirected(base, exclude_pk)
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


class StaleEditError(Exception):
    """Someone else saved (or deleted) the row after this copy of it was loaded."""

    def __init__(self, instance, message=None):
        super().__init__(
            message
            or f"{capfirst(instance._meta.verbose_name)} #{instance.pk} was saved by someone else after you opened "
            f"version {instance.version}; nothing was overwritten."
        )
        self.instance = instance


def claim_next_version(instance):
    """Move the stored row of ``instance`` to its next version, unless someone saved it since this copy was loaded
    (StaleEditError). Call it inside the saving transaction before writing anything: the conditional UPDATE also
    holds the row until that transaction ends, so of several saves at once exactly one claims each version."""
    # Through the base manager: a part of the save, whose own signal tells the caches, not a bulk write.
    claimed = (
        type(instance)
        ._base_manager.filter(pk=instance.pk, version=instance.version)
        .update(version=models.F("version") + 1)
    )
    if not claimed:
        raise StaleEditError(instance)


@contextlib.contextmanager
def saving_next_version(instance):
    """Around the save of a row that counts its saves in ``version`` and stores files with it: the next version
    is claimed first (``claim_next_version``, so a refused save raises StaleEditError before any file is
    written), and the block gives the list to name each file it writes in. If anything in the block fails, the
    transaction is undone, those files are removed and the copy keeps the version it was loaded at: a refused
    or failed save leaves nothing behind."""
    opened, written = instance.version, []
    try:
        with transaction.atomic():
            if not instance._state.adding:
                claim_next_version(instance)
            instance.version = opened + 1
            yield written
    except Exception:
        instance.version = opened
        renditions.delete_files(written)
        raise


def _delete_replaced(old_names, current_names):
    """Once the transaction commits, remove stored files the row no longer points at."""
    stale = [name for name in old_names if name and name not in current_names]
    if stale:
        transaction.on_commit(lambda: renditions.delete_files(stale))


def _random_name(folder, filename):
    """``folder/YYYY/MM/<random>.<ext>``: nothing about a picture's address can be guessed before it is shown."""
    extension = PurePosixPath(filename).suffix.lower()[:8]
    return f"{folder}/{timezone.now():%Y/%m}/{secrets.token_urlsafe(16)}{extension}"


def author_path(slug):
    return _path("articles:author", slug, get_script_prefix())


def tag_path(slug):
    return _path("articles:tag", slug, get_script_prefix())


def article_path(slug):
    return _path("articles:article", slug, get_script_prefix())


def section_path(slug):
    return _path("articles:section", slug, get_script_prefix())


@functools.lru_cache(maxsize=8192)
def _path(name, slug, prefix):
    """Reader addresses are asked for many times per page: each is worked out once per process."""
    return reverse(name, kwargs={"slug": slug})


@receiver(setting_changed)
def _forget_paths(setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _path.cache_clear()
