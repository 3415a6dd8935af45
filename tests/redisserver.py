"""A redis-server of a test's own, on a spare port, that the test starts, stops and starts again: the shared
cache's failures made for real."""

import socket
import subprocess
import time


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """A redis-server of this test's own on a spare port, keeping its data on disk across restarts."""

    def __init__(self, folder):
        self.port, self.folder, self.process = free_port(), folder, None

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "yes",
                "--appendfsync",
                "always",
                "--dir",
                str(self.folder),
            ],  # fmt: skip
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        self.process.terminate()  # SIGTERM: Redis flushes its append-only file and exits
        self.process.wait(timeout=10)

    def keys(self, pattern):
        import redis

        return redis.Redis(port=self.port).keys(pattern)


def use_as_cache(server, settings):
    """Make ``server`` the site's shared cache for the test (``settings`` is pytest-django's fixture), asked
    again soon after it fails."""
    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.cachebackend.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{server.port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
        "recent": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "faults-recent"},
    }
    settings.NEWSROOM_CACHE_RETRY_SECONDS = 0.3
