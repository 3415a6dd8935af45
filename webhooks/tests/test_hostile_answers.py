"""A receiver's answer is whatever it chose to send: bytes that are no text, a NUL in its body or in its status
line. The attempt is recorded all the same (PostgreSQL refuses a NUL in text), and the delivery moves on."""

import socket
import threading

import pytest

from webhooks import sending
from webhooks.models import Delivery, Endpoint

pytestmark = pytest.mark.django_db


class RawReceiver:
    """A loopback server that reads a request and answers ``answer``, bytes as they are."""

    def __init__(self, answer):
        self.answer = answer
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/hooks"
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                connection, _ = self.sock.accept()
            except OSError:
                return
            with connection:
                connection.recv(65536)
                connection.sendall(self.answer)


def delivered(settings, answer):
    settings.NEWSROOM_WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    receiver = RawReceiver(answer)
    try:
        endpoint = Endpoint.objects.create(url=receiver.url, events=[])
        delivery = Delivery.objects.create(endpoint=endpoint, event_id="00000000-0000-4000-8000-000000000001",
                                           kind="webhook.test", body="{}")  # fmt: skip
        attempt = sending.deliver(delivery.pk)
    finally:
        receiver.sock.close()
    delivery.refresh_from_db()
    return delivery, attempt


def test_a_nul_in_the_answers_body_is_recorded(settings):
    answer = b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\nConnection: close\r\n\r\nok\x00\xff-body"
    delivery, attempt = delivered(settings, answer)
    assert delivery.status == Delivery.Status.SUCCEEDED
    assert attempt.response_excerpt.startswith("ok") and "\x00" not in attempt.response_excerpt


def test_a_nul_in_the_status_line_is_recorded(settings):
    delivery, attempt = delivered(settings, b"\x00\x01 garbage\r\n\r\n")
    assert delivery.status == Delivery.Status.FAILED and delivery.attempts == 1
    assert attempt.error and "\x00" not in attempt.error and "\x00" not in delivery.last_result
