"""Redis as a cache that degrades instead of failing: while Redis does not answer, reads are misses and writes
are dropped, so the site keeps serving (uncached) and edits keep saving.

After a failure the backend stops asking Redis for ``NEWSROOM_CACHE_RETRY_SECONDS`` (so a hung server does not
cost every request a timeout), logs the outage at most once a minute, and, when Redis answers again, runs the
``on_recovery`` callbacks once (the page cache replaces its generation there: anything cached before the outage,
and any invalidation lost during it, is retired).
"""

import logging
import threading
import time

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger("newsroom.cache")

LOG_EVERY_SECONDS = 60
FAILURES = (RedisError, OSError)


class _Health:
    """One Redis server's state as this process has seen it (shared by every thread's backend instance)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.down_until = 0.0  # monotonic time before which Redis is not asked
        self.down = False  # a failure has been seen and no success since
        self.logged_at = -float(LOG_EVERY_SECONDS)
        self.failures = 0


_health = {}
_health_lock = threading.Lock()


class ResilientRedisCache(RedisCache):
    on_recovery = []  # callables run once each time Redis answers after an outage

    def __init__(self, server, params):
        super().__init__(server, params)
        with _health_lock:
            self._health = _health.setdefault(str(server), _Health())

    @property
    def available(self):
        """Whether this process currently takes Redis to be answering."""
        return time.monotonic() >= self._health.down_until

    def _call(self, name, default, *args, **kwargs):
        health = self._health
        if time.monotonic() < health.down_until:
            return default
        operation = getattr(super(), name)
        try:
            result = operation(*args, **kwargs)
            if health.down and self._recovered():
                result = operation(*args, **kwargs)  # again: the recovery may have changed what it read
        except FAILURES as error:
            self._failed(error)
            return default
        return result

    def _failed(self, error):
        health = self._health
        now = time.monotonic()
        with health.lock:
            health.down = True
            health.failures += 1
            health.down_until = now + settings.NEWSROOM_CACHE_RETRY_SECONDS
            log = now - health.logged_at >= LOG_EVERY_SECONDS
            if log:
                health.logged_at = now
                failures, health.failures = health.failures, 0
        if log:
            logger.warning(
                "cache unavailable (%s: %s): serving without it; %d failure(s) since the last report",
                type(error).__name__,
                error,
                failures,
                extra={"event": "cache_down"},
            )

    def _recovered(self):
        """Note that Redis answers again and run the recovery callbacks; True if this call did so."""
        health = self._health
        with health.lock:
            if not health.down:
                return False
            health.down = False
        logger.warning("cache answers again", extra={"event": "cache_up"})
        for callback in list(self.on_recovery):
            callback()
        return True

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def incr(self, key, delta=1, version=None):
        result = self._call("incr", None, key, delta, version)
        if result is None:
            raise ValueError(f"Key '{key}' not found (the cache is unavailable)")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)

    def clear(self):
        return self._call("clear", False)
