"""A real ``varnishd`` running the shipped VCL (``deploy/varnish/newsroom.vcl``) in front of a given origin, for
tests: its own spare ports, work directory and purge secret, started, stopped, killed and restarted the way an
operator would, with its shared-memory log and counters read by Varnish's own tools.

``make test`` and ``.ci/run`` install Debian's ``varnish`` and ``varnish-modules`` when they are missing; under CI
(``CI`` set) a missing ``varnishd`` fails the tests that need it, elsewhere it is installed here when the process
may (root), else those tests are skipped with the command that installs it.
"""

import http.client
import json
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
VCL = ROOT / "deploy/varnish/newsroom.vcl"
PARAMS = ROOT / "deploy/varnish/varnishd.params"
SHIPPED_SECRET = "/etc/varnish/newsroom-purge.secret"
SHIPPED_ORIGIN = ('.host = "127.0.0.1";', '.port = "8000";')
APT = "apt-get install varnish varnish-modules"


def require_varnishd():
    """The path of ``varnishd``: installed from Debian when missing and allowed, else the test fails (CI) or
    is skipped."""
    if not shutil.which("varnishd") and not os.environ.get("CI") and os.geteuid() == 0:
        subprocess.run(
            ["apt-get", "-o", "DPkg::Lock::Timeout=600", "install", "-y", "-qq", "varnish", "varnish-modules"],
            capture_output=True,
            check=False,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
    path = shutil.which("varnishd") or (Path("/usr/sbin/varnishd").exists() and "/usr/sbin/varnishd")
    if path:
        return path
    message = f"varnishd is not installed: `make test` and .ci/run install it ({APT})"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def spare_port():
    """A port nothing listens on now (the kernel's choice)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def params():
    """The varnishd parameters the shipped VCL needs (long ``xkey`` headers), as arguments."""
    return PARAMS.read_text().split()


class EdgeServer:
    """``varnishd`` on 127.0.0.1:``port`` (admin on ``admin_port``) in front of ``origin_host:origin_port``,
    with the shipped VCL made to point there and to read its purge secret (``secret``, a random one when not
    given) from this server's own file."""

    def __init__(self, origin_port, origin_host="127.0.0.1", secret=None, storage="malloc,64m"):
        self.varnishd = require_varnishd()
        self.origin = (origin_host, origin_port)
        self.storage = storage
        self.dir = Path(tempfile.mkdtemp(prefix="newsroom-edge-"))
        self.workdir = self.dir / "varnish"
        self.secret_file = self.dir / "purge.secret"
        self.vcl = self.dir / "newsroom.vcl"
        self.port, self.admin_port = spare_port(), spare_port()
        self.process = None
        self.secret = secrets.token_urlsafe(24) if secret is None else secret
        self.set_secret(self.secret)
        self.vcl.write_text(configured_vcl(origin_host, origin_port, self.secret_file))

    def set_secret(self, secret):
        """Write the purge secret (it takes effect at the next start: Varnish reads it once per VCL load)."""
        self.secret_file.write_text(f"{secret}\n")

    # Running as root, varnishd's default jail (`-j unix`) drops to the `varnish` and `vcache` users, which
    # cannot read a test's temporary files or the VCL copy without loosening their modes; `-j none` keeps every
    # process as the user that started it, which is what a throwaway test instance wants (a production
    # varnishd started by systemd keeps the default jail). As another user, `-j none` is the only jail that works.
    def command(self):
        return [
            self.varnishd,
            "-F",
            "-j",
            "none",
            "-n",
            str(self.workdir),
            "-a",
            f"127.0.0.1:{self.port}",
            "-T",
            f"127.0.0.1:{self.admin_port}",
            "-f",
            str(self.vcl),
            "-s",
            self.storage,
            *params(),
        ]

    def start(self):
        """Start varnishd and wait until it answers and its probe has found the origin's state."""
        self.log_file = open(self.dir / "varnishd.out", "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(self.command(), stdout=self.log_file, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"varnishd exited: {(self.dir / 'varnishd.out').read_text()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        return self

    def stop(self):
        """Stop varnishd the way systemd does (SIGTERM) and wait for it."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        self.process = None
        if getattr(self, "log_file", None):
            self.log_file.close()

    def kill(self):
        """SIGKILL to the manager: the child (the cache) dies with it, as in a crash."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)
        self.stop()

    def restart(self):
        """Stop and start again on the same ports and work directory: the cache starts empty, as after any
        restart of varnishd with memory storage."""
        self.stop()
        return self.start()

    def close(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def request(self, method, path, headers=None, body=None):
        """One request over a new connection: (status, headers as a case-insensitive message, body bytes)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()

    def get(self, path, **headers):
        return self.request("GET", path, headers={k.replace("_", "-"): v for k, v in headers.items()})

    def purge(self, keys, secret=None, soft=None):
        """PURGE / with the keys to purge hard (``xkey-purge``) and those to purge soft (``xkey-softpurge``),
        each a list or a string sent as it is (None: no such header), and the secret (None: no secret header).
        Returns (status, headers)."""
        headers = {}
        for name, value in (("xkey-purge", keys), ("xkey-softpurge", soft)):
            if value is not None:
                headers[name] = value if isinstance(value, str) else " ".join(value)
        if secret is not None:
            headers["X-Purge-Secret"] = secret
        status, response_headers, _ = self.request("PURGE", "/", headers=headers)
        return status, response_headers

    def admin(self, *command):
        """A varnishadm command's output."""
        result = subprocess.run(
            ["varnishadm", "-n", str(self.workdir), *command], capture_output=True, text=True, timeout=30
        )
        return result.stdout

    def backend_healthy(self):
        """What the probe says of the origin now."""
        listing = self.admin("backend.list")
        return "healthy" in listing.lower() and "sick" not in listing.lower()

    def wait_backend(self, healthy, timeout=20):
        """Wait until the probe has reached the given verdict about the origin."""
        deadline = time.monotonic() + timeout
        while self.backend_healthy() != healthy:
            if time.monotonic() > deadline:
                raise AssertionError(f"the probe never said healthy={healthy}: {self.admin('backend.list')}")
            time.sleep(0.1)

    def log(self, query):
        """The shared-memory log's transactions matching a varnishlog query (``-q``), grouped by request."""
        result = subprocess.run(
            ["varnishlog", "-n", str(self.workdir), "-d", "-g", "request", "-q", query],
            capture_output=True,
            text=True,
            timeout=30,
        )
        return result.stdout

    def stats(self):
        """varnishstat's counters, by name (``MAIN.cache_hit``...), as numbers."""
        result = subprocess.run(
            ["varnishstat", "-n", str(self.workdir), "-j"], capture_output=True, text=True, timeout=30, check=True
        )
        data = json.loads(result.stdout)
        counters = data.get("counters", data)
        return {name: c["value"] for name, c in counters.items() if isinstance(c, dict) and "value" in c}


def configured_vcl(origin_host, origin_port, secret_file):
    """The shipped VCL with the origin and the secret's path replaced by plain substitution."""
    text = VCL.read_text()
    for shipped in (*SHIPPED_ORIGIN, SHIPPED_SECRET):
        if shipped not in text:
            raise ValueError(f"{VCL.name} no longer contains {shipped!r}: the substitution needs it")
    return (
        text.replace(SHIPPED_ORIGIN[0], f'.host = "{origin_host}";')
        .replace(SHIPPED_ORIGIN[1], f'.port = "{origin_port}";')
        .replace(SHIPPED_SECRET, str(secret_file))
    )
