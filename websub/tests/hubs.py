"""A WebSub hub for the tests: a real HTTP server on loopback, in a thread of the test process, that keeps every
publish notice it is sent and answers with the status and body it is told to (202 and none unless told otherwise),
after ``delay`` seconds; and how a feed names its hubs and itself, read as a subscriber reads it."""

import http.server
import json
import threading
import time
from collections import Counter
from urllib.parse import parse_qs

from lxml import etree

ATOM = "{http://www.w3.org/2005/Atom}"
HUBS = ["https://hub.example/", "https://pubsubhubbub.appspot.com/"]


class Hub:
    def __init__(self):
        self.notices, self.status, self.delay, self.lock = [], 202, 0.0, threading.Lock()
        self.body = b""  # what the hub answers with, bytes as they are
        hub = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                form = parse_qs(self.rfile.read(length).decode())
                with hub.lock:
                    status = hub.status
                    hub.notices.append((status, self.headers.get("Content-Type"), form))
                time.sleep(hub.delay)
                self.send_response(status)
                self.send_header("Content-Length", str(len(hub.body)))
                self.end_headers()
                self.wfile.write(hub.body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/publish"

    def start(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def taken(self):
        """How many times each feed was announced in a request the hub answered 2xx."""
        with self.lock:
            return Counter(form["hub.url"][0] for status, _, form in self.notices if 200 <= status < 300)

    def received(self):
        with self.lock:
            return len(self.notices)


def named(body, path):
    """The hubs and the self address a feed's body names, parsed as its format is."""
    if path.rstrip("/").endswith("json"):
        data = json.loads(body)
        return [hub["url"] for hub in data.get("hubs", []) if hub["type"] == "WebSub"], data["feed_url"]
    root = etree.fromstring(body)
    links = root.findall(f"channel/{ATOM}link") if root.tag == "rss" else root.findall(f"{ATOM}link")
    selves = [link.get("href") for link in links if link.get("rel") == "self"]
    assert len(selves) == 1, path
    return [link.get("href") for link in links if link.get("rel") == "hub"], selves[0]


def link_header(response):
    return [part.strip() for part in response.get("Link", "").split(",") if part.strip()]
