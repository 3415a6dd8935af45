"""A webhook receiver for the tests: a real HTTP server on loopback that keeps what it is sent."""

import http.server
import json
import threading
import time

from standardwebhooks import Webhook


class Receiver:
    """A webhook receiver on loopback: it answers each POST with the next of ``answers`` (a status, or
    "hang" to never answer), then 200s; it keeps every request (headers, body) in ``received`` and the bodies it
    verified against ``secret`` in ``verified``."""

    def __init__(self):
        self.received, self.answers, self.secret = [], [], None
        self.released = threading.Event()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                headers = {name.lower(): value for name, value in self.headers.items()}
                receiver.received.append((headers, body))
                answer = receiver.answers.pop(0) if receiver.answers else 200
                if answer == "hang":
                    receiver.released.wait(30)
                    return
                self.send_response(answer)
                if 300 <= answer < 400:
                    self.send_header("Location", "http://example.com/elsewhere")
                text = f"answer {answer}".encode()
                self.send_header("Content-Length", str(len(text)))
                self.end_headers()
                self.wfile.write(text)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def verified(self):
        """The payloads received, each verified as Standard Webhooks receivers verify them."""
        return [Webhook(self.secret).verify(body, headers) for headers, body in self.received]

    def types(self):
        return [json.loads(body)["type"] for _, body in self.received]

    def ids(self):
        return [headers["webhook-id"] for headers, _ in self.received]

    def stop(self):
        self.released.set()
        self.server.shutdown()
        self.server.server_close()


def wait_for(condition, timeout, message):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(message)
        time.sleep(0.05)
