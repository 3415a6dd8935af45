import http.server
import socket
import threading
import time

import pytest


class StubEdge:
    """A real HTTP server on a spare port of 127.0.0.1 answering purges as Varnish does (200 with X-Purged, 403
    without the secret, 400 without a key), recording each: ``purges`` the keys of each, ``modes`` what each
    asked, ``{"hard": [...], "soft": [...]}``. It can be stopped and started again on the same port."""

    def __init__(self, secret):
        self.secret, self.purges, self.modes, self._server = secret, [], [], None
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/"

    def start(self):
        edge = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_PURGE(self):  # noqa: N802
                allowed = edge.secret and self.headers.get("X-Purge-Secret") == edge.secret
                modes = {
                    mode: (self.headers.get(header) or "").split()
                    for mode, header in (("hard", "xkey-purge"), ("soft", "xkey-softpurge"))
                }
                keys = modes["hard"] + modes["soft"]
                status = 403 if not allowed else 400 if not keys else 200
                if status == 200:
                    edge.purges.append(keys)
                    edge.modes.append(modes)
                self.send_response(status)
                self.send_header("X-Purged", str(len(keys)))
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        http.server.ThreadingHTTPServer.allow_reuse_address = True
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self):
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def purged_keys(self):
        return set().union(*map(set, self.purges)) if self.purges else set()

    def wait_for(self, *keys, timeout=20):
        """Wait until purges of ``keys`` have arrived (a worker delivers them asynchronously)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if set(keys) <= self.purged_keys():
                return self.purged_keys()
            time.sleep(0.05)
        raise AssertionError(f"{set(keys) - self.purged_keys()} never purged; got {self.purges}")


@pytest.fixture
def stub_edge(settings):
    edge = StubEdge("s3cret")
    settings.NEWSROOM_EDGE_PURGE_URLS = [edge.url]
    settings.NEWSROOM_EDGE_PURGE_SECRET = "s3cret"
    edge.start()
    yield edge
    edge.stop()
