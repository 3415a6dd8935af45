"""Redis as a cache that degrades instead of failing: while Redis does not answer, reads are misses and writes
are dropped, so the site keeps serving (uncached) and edits keep saving.

After a failure the backend stops asking Redis for ``NEWSROOM_CACHE_RETRY_SECONDS`` (so a hung server does not
cost every request a timeout), logs the outage at most once a minute, and, when Redis answers again, runs the
``on_recovery`` callbacks once (the page cache replaces its generation there: anything cached before the outage,
and any invalidation lost during it, is retired).
"""

import logging
import os
import threading
import time
from functools import partial

import redis
from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
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
_mirrors = {}


class _Mirror:
    """This process's copies of a few keys, as exact as Redis itself to within the network's latency.

    A connection of the mirror's own asks Redis to track the keys (``CLIENT TRACKING ON BCAST``, RESP3):
    Redis then pushes a message down that connection the moment any client changes or evicts one of them.
    Each read first takes in what Redis has pushed (a non-blocking look at the socket); a key changed since
    it was copied is read again. Anything unexpected (the connection closed, Redis restarted, a server
    without RESP3) drops every copy and closes the connection, and reads go to Redis as usual until a new
    connection is tracking again (after ``NEWSROOM_CACHE_RETRY_SECONDS``).
    """

    def __init__(self, url, options, prefix):
        self.url, self.options, self.prefix = url, options, prefix
        self.lock = threading.Lock()
        self.values = {}
        self.epoch = 0  # counts the times the copies were dropped
        self.connection = None
        self.pid = None
        self.retry_at = 0.0

    def get(self, read):
        """The mirrored value, or ``read()`` (the real read, whose result is then mirrored unless the copies
        were dropped while it ran)."""
        with self.lock:
            tracking = self._tracking()
            if tracking and "value" in self.values:
                return self.values["value"]
            epoch = self.epoch
        value = read()  # outside the lock: a read may run callbacks that forget the copies
        with self.lock:
            if tracking and value is not None and epoch == self.epoch and self.connection is not None:
                self.values["value"] = value
        return value

    def forget(self):
        with self.lock:
            self._clear()

    def _clear(self):
        self.values.clear()
        self.epoch += 1

    def _tracking(self):
        """Whether the copies can be trusted now, having taken in every change Redis has pushed so far."""
        if self.pid != os.getpid():  # a forked worker: the parent's connection is not this process's
            self.connection, self.pid = None, os.getpid()
            self._clear()
        if self.connection is None and time.monotonic() >= self.retry_at:
            self._connect()
        if self.connection is None:
            return False
        try:
            while self.connection.can_read(timeout=0):
                self.connection.read_response(push_request=True)
                self._clear()
        except FAILURES + (ValueError,):
            self._drop()
            return False
        return True

    def _connect(self):
        connection = redis.ConnectionPool.from_url(self.url, protocol=3, **self.options).make_connection()
        try:
            connection.connect()
            connection.send_command("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", self.prefix)
            if connection.read_response() not in (b"OK", "OK"):
                raise RedisError("CLIENT TRACKING was refused")
        except FAILURES + (ValueError,):
            connection.disconnect()
            self.retry_at = time.monotonic() + settings.NEWSROOM_CACHE_RETRY_SECONDS
            return
        self.connection = connection
        self._clear()

    def _drop(self):
        self._clear()
        if self.connection is not None:
            self.connection.disconnect()
        self.connection = None
        self.retry_at = time.monotonic() + settings.NEWSROOM_CACHE_RETRY_SECONDS


class _SharedClients(RedisCacheClient):
    """Django's client makes a new ``redis.Redis`` on every call, rebuilding its table of some 170 response
    callbacks each time (a third of a millisecond, twice a page). redis-py's clients are safe to share between
    threads, so one per connection pool is kept."""

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        client = clients.get(id(pool))
        if client is None or client.connection_pool is not pool:
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    on_recovery = []  # callables run once each time Redis answers after an outage
    _class = _SharedClients

    def __init__(self, server, params):
        super().__init__(server, params)
        with _health_lock:
            self._health = _health.setdefault(str(server), _Health())
        self._mirror_of = {}

    def get_mirrored(self, key):
        """``get(key)``, answered from this process's copy while Redis says the key has not changed (see
        ``_Mirror``): for a small key read on every request, such as the page cache's generation."""
        if not self.available:
            return None
        return self._mirror(key).get(lambda: self.get(key))

    def forget_mirrored(self, key):
        self._mirror(key).forget()

    def _mirror(self, key):
        """The process's mirror of ``key`` on this server (one for every thread's instance of the backend),
        looked up once per instance: it is asked on every request."""
        mirror = self._mirror_of.get(key)
        if mirror is None:
            full_key = self.make_and_validate_key(key)
            with _health_lock:
                mirror = _mirrors.get((self._servers[0], full_key))
                if mirror is None:
                    options = {name: self._options[name] for name in ("socket_connect_timeout", "socket_timeout")
                               if name in self._options}  # fmt: skip
                    mirror = _mirrors[self._servers[0], full_key] = _Mirror(self._servers[0], options, full_key)
            self._mirror_of[key] = mirror
        return mirror

    @property
    def available(self):
        """Whether this process currently takes Redis to be answering."""
        return time.monotonic() >= self._health.down_until

    def _call(self, name, default, *args, **kwargs):
        return self._guarded(partial(getattr(super(), name), *args, **kwargs), default)

    def _guarded(self, operation, default):
        """``operation()``, or ``default`` while Redis does not answer."""
        health = self._health
        if time.monotonic() < health.down_until:
            return default
        try:
            result = operation()
            if health.down and self._recovered():
                result = operation()  # again: the recovery may have changed what it read
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

    def count(self, key, delta=1, timeout=60, version=None):
        """Add ``delta`` to the counter ``key`` and return its new value, in one round trip (a counter made by
        its first count expires ``timeout`` seconds later); None while Redis does not answer."""
        full_key = self.make_and_validate_key(key, version=version)

        def counted():
            pipeline = self._cache.get_client(full_key, write=True).pipeline(transaction=False)
            pipeline.incrby(full_key, delta)
            pipeline.expire(full_key, int(timeout), nx=True)
            return pipeline.execute()[0]

        return self._guarded(counted, None)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)

    def clear(self):
        return self._call("clear", False)
