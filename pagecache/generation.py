"""Whole pages for anonymous readers, from the shared cache, never staler than the last edit.

Every cached page's key holds the current *generation*, a random token kept in the same cache (Redis in
production, so every app server sees the same one). Any change readers could see (a row of a model registered
with ``registry.register_model``: an article, a byline, a correction, an author, a tag, a section, a pin, the
banner, the site settings) replaces the token once its transaction commits: every page cached before becomes
unreachable at once, on every server. A page is also never kept past the next moment something changes by
itself (``schedule``), so schedules need no invalidation at all.
"""

import functools
import hashlib
import secrets
import sys
import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from newsroom.cachebackend import ResilientRedisCache
from pagecache import local

GENERATION_KEY = "newsroom:generation:v2"


@functools.cache
def release():
    """What this code base is: ``NEWSROOM_RELEASE`` when the deployment names it, else a digest of the code,
    templates and static files. Cache keys carry it, so pages rendered by an earlier release are not served
    after a deploy, and two releases side by side (a rolling deploy) never share pages."""
    if settings.NEWSROOM_RELEASE:
        return settings.NEWSROOM_RELEASE
    base = Path(settings.BASE_DIR)
    digest = hashlib.blake2b(digest_size=8)
    for folder, pattern in release_folders(base):
        for path in sorted(folder.rglob(pattern)):
            if path.is_file() and "tests" not in path.parts and "__pycache__" not in path.parts:
                digest.update(path.relative_to(base).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def release_folders(base):
    """(folder, pattern) of everything a release is made of: the code of every installed app that lives in the
    project (the project's own package, the page cache and whatever apps settings name, so a new app needs no
    edit here) and the templates and static files the settings point at."""
    base, installed = base.resolve(), Path(sys.prefix).resolve()
    folders = {Path(settings.BASE_DIR).resolve() / settings.ROOT_URLCONF.split(".")[0]: "*.py"}
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(base) and not path.is_relative_to(installed):  # not a virtualenv's packages
            folders[path] = "*.py"
    for template in settings.TEMPLATES:
        folders.update({Path(folder).resolve(): "*" for folder in template.get("DIRS", [])})
    folders.update({Path(folder).resolve(): "*" for folder in settings.STATICFILES_DIRS})
    return sorted(folders.items())


def new_token():
    """A new generation: the time it began (milliseconds, hex) and a random part."""
    return f"{time.time_ns() // 1_000_000:x}-{secrets.token_hex(6)}"


def generation_time(token):
    """When generation ``token`` began, as a Unix time."""
    return int(token.split("-", 1)[0], 16) / 1000


def cache_answers():
    """False while the shared cache is known to be down (see newsroom.cachebackend); other backends always answer."""
    return getattr(cache, "available", True)


def generation():
    """The current generation, or None while the shared cache does not answer (pages are then not cached).

    On Redis it is read from this process's mirror of the key, which Redis keeps exact by telling every
    process the moment the key changes (``ResilientRedisCache.get_mirrored``): a cached page costs no round
    trip, and an edit on any server still retires it at once everywhere.
    """
    if not cache_answers():
        return None
    token = cache.get_mirrored(GENERATION_KEY) if hasattr(cache, "get_mirrored") else None
    if token is None:
        token = cache.get_or_set(GENERATION_KEY, new_token, timeout=None)
    return token if cache_answers() else None


def start_new_generation():
    """Retire every cached page and every value this process holds for the pages (the degraded ones too)."""
    local.HELD.clear()
    cache.set(GENERATION_KEY, new_token(), timeout=None)
    if hasattr(cache, "forget_mirrored"):
        cache.forget_mirrored(GENERATION_KEY)  # this process sees its own edit without waiting for Redis's word


# When Redis answers again after an outage, retire what was cached before it (and any invalidation it missed).
if start_new_generation not in ResilientRedisCache.on_recovery:
    ResilientRedisCache.on_recovery.append(start_new_generation)


def invalidate():
    """Retire every cached page now, and again once the current transaction commits.

    Now, so that the editor's own next request sees the change; after the commit too, because a reader
    served between the edit and its commit would have cached the old page under the new generation.
    """
    start_new_generation()
    transaction.on_commit(start_new_generation)
