"""Requests to other hosts, made safely: public addresses only, no redirects, bounded in bytes and seconds. A
picture downloaded for an import (``fetch``), a webhook or a WebSub hub's notice sent (``post``).

The host name is resolved once, every address it gives is checked, and the connection goes to the checked
address (so a name cannot point elsewhere between the check and the request). Private, loopback, link-local
and other non-public addresses are refused unless the host is allowed: named in ``NEWSROOM_FETCH_ALLOWED_HOSTS``
for pictures, in the setting each caller of ``post`` names for the rest.
"""

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
import time
from typing import NamedTuple
from urllib.parse import urlsplit

from django.conf import settings

CHUNK = 64 * 1024


class FetchError(Exception):
    """The download was refused or failed; the message says why."""


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


NAT64 = ipaddress.ip_network("64:ff9b::/96")
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


def _carried(ip):
    """The IPv4 address an IPv6 one carries (mapped, compatible, NAT64, 6to4), which is where it may lead."""
    if ip.ipv4_mapped or ip.sixtofour:
        return ip.ipv4_mapped or ip.sixtofour
    if ip in NAT64 or ip in IPV4_COMPATIBLE:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def _public(address):
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and _carried(ip) is not None:
        ip = _carried(ip)
    return ip.is_global and not ip.is_multicast


def _address_for(host, port, allowed_hosts=None, setting="NEWSROOM_FETCH_ALLOWED_HOSTS"):
    """A checked address for ``host``: every address it resolves to must be public, unless it is allowed."""
    if allowed_hosts is None:
        allowed_hosts = getattr(settings, setting)
    allowed = {name.lower() for name in allowed_hosts}
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise FetchError(f"cannot resolve {host}: {getattr(error, 'strerror', None) or error}") from None
    addresses = [info[4][0] for info in infos]
    if not addresses:
        raise FetchError(f"cannot resolve {host}")
    if host.lower() not in allowed:
        refused = [address for address in addresses if not _public(address)]
        if refused:
            public = f"{host} resolves to a non-public address ({refused[0]})"
            raise FetchError(f"{public}; whoever runs the site can allow it in {setting}")
    return addresses[0]


class Answer(NamedTuple):
    """What a host answered a ``post``: its status, headers, the start of its body, and the seconds it took."""

    status: int
    headers: dict
    body: bytes
    seconds: float


def _target(url):
    """(the parts of ``url``, its port): an http(s) address with a host and a valid port, else ``FetchError``."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"not an http(s) address: {url[:200]}")
    try:
        return parts, parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise FetchError(f"bad port in {url[:200]}") from None


def check_address(url, *, allowed_hosts, setting):
    """Raise ``FetchError`` unless ``url`` is an http(s) address ``post`` would send to (its host resolves to
    public addresses only, or is allowed): for a form to refuse a private address before anything is sent."""
    parts, port = _target(url)
    _address_for(parts.hostname, port, allowed_hosts, setting)


def post(url, body, *, headers, allowed_hosts, setting, connect_timeout, timeout, max_bytes=64 * 1024):
    """POST ``body`` to ``url`` and return the ``Answer``, whatever its status (a redirect is answered, never
    followed). Only the first ``max_bytes`` of the answer's body are read. Raises ``FetchError`` when the
    address is refused, the host cannot be reached, or the whole exchange takes more than ``timeout``."""
    parts, port = _target(url)
    started = time.monotonic()
    deadline = started + timeout
    address = _address_for(parts.hostname, port, allowed_hosts, setting)
    connection_class = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(parts.hostname, port, address, timeout=min(connect_timeout, timeout))
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    watchdog = None
    try:
        connection.connect()
        connection.sock.settimeout(max(0.1, deadline - time.monotonic()))
        watchdog = threading.Timer(max(0.0, deadline - time.monotonic()), _cut, args=(connection.sock,))
        watchdog.daemon = True
        watchdog.start()
        connection.request("POST", target, body=body, headers=headers)
        response = connection.getresponse()
        excerpt = response.read(max_bytes)
        answer = Answer(response.status, dict(response.getheaders()), excerpt, time.monotonic() - started)
    except (OSError, http.client.HTTPException) as error:
        if time.monotonic() >= deadline:
            raise FetchError(f"{url[:200]} took more than {timeout} seconds") from None
        said = str(error or type(error).__name__).replace("\x00", "\ufffd")  # a bad status line, as it came
        raise FetchError(f"cannot reach {url[:200]}: {said}") from None
    finally:
        if watchdog is not None:
            watchdog.cancel()
        connection.close()
    return answer


def fetch(url, *, max_bytes, timeout):
    """The body of ``url`` (http or https), at most ``max_bytes`` long, within ``timeout`` seconds overall."""
    parts, port = _target(url)
    deadline = time.monotonic() + timeout
    address = _address_for(parts.hostname, port)
    connection_class = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(parts.hostname, port, address, timeout=max(0.1, deadline - time.monotonic()))
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    watchdog = None
    try:
        connection.connect()  # bounded by the connection's timeout
        # A server can keep every single read under a socket timeout and still never finish (a byte at a
        # time): at the deadline the socket is shut, whatever it is doing.
        watchdog = threading.Timer(max(0.0, deadline - time.monotonic()), _cut, args=(connection.sock,))
        watchdog.daemon = True
        watchdog.start()
        connection.request("GET", target, headers={"User-Agent": "Newsroom importer", "Accept": "image/*"})
        response = connection.getresponse()
        if 300 <= response.status < 400:
            raise FetchError(f"{url[:200]} redirects (HTTP {response.status}); redirects are not followed")
        if response.status != 200:
            raise FetchError(f"{url[:200]} answered HTTP {response.status}")
        declared = response.getheader("Content-Length")
        if declared and declared.isdigit() and int(declared) > max_bytes:
            raise FetchError(f"{url[:200]} is {int(declared):,} bytes; the limit is {max_bytes:,}")
        chunks, size = [], 0
        while chunk := response.read1(CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise FetchError(f"{url[:200]} is over the {max_bytes:,}-byte limit")
            chunks.append(chunk)
    except (OSError, http.client.HTTPException) as error:
        if time.monotonic() >= deadline:
            raise FetchError(f"{url[:200]} took more than {timeout} seconds") from None
        raise FetchError(f"cannot download {url[:200]}: {error or type(error).__name__}") from None
    finally:
        if watchdog is not None:
            watchdog.cancel()
        connection.close()
    if time.monotonic() >= deadline:  # the watchdog cut the body short
        raise FetchError(f"{url[:200]} took more than {timeout} seconds")
    return b"".join(chunks)


def _cut(sock):
    with contextlib.suppress(OSError):  # already closed
        sock.shutdown(socket.SHUT_RDWR)
