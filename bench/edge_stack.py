"""The processes of the edge benchmark (``bench/edge_bench.py``), each stopped when the benchmark's exit stack
closes, after an error or Ctrl-C too: gunicorn with production settings on a copy of the site benchmark's seeded
database, the Celery worker that sends purges, varnishd with the repository's VCL (the tests' harness,
``tests/edgeserver.py``), and Debian's nginx serving files; and this process set up as the app, so that the
changes it commits send their purges as an editor's would.
"""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import site_bench
from site_bench import OUT, ROOT, Server, base_env, free_port, manage, prepare_database

WORKER = [sys.executable, "-m", "celery", "-A", "newsroom", "worker", "-B", "--loglevel", "INFO"]  # as `make worker`


class Process:
    """A process of the benchmark's own, in a session of its own (so Ctrl-C reaches only this script, which
    stops it), its output in a log file under var/bench/; ready once ``ready_url`` answers 200 (or the log
    says ``ready_line``), else stopped."""

    def __init__(self, name, command, env=None, ready_url=None, ready_line=None):
        self.name, self.log_path = name, OUT / f"edge-{name}.log"
        self.log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True, stdout=self.log,
                                        stderr=subprocess.STDOUT)  # fmt: skip
        try:
            self.wait_ready(ready_url, ready_line)
        except BaseException:
            self.stop()
            raise

    def wait_ready(self, url, line, seconds=60):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited while starting; see {self.log_path}")
            try:
                if url and fetch(url)[0] == 200 or line and line in self.log_path.read_bytes():
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} was not ready in {seconds} s; see {self.log_path}")

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


def fetch(url, headers=None):
    """(status, headers, body) of an anonymous GET, error statuses included."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


class Nginx(Process):
    """Debian's nginx serving files from a directory of its own, on a spare port, with its own pid and logs."""

    CONFIG = """worker_processes 2;
pid {dir}/nginx.pid;
error_log {dir}/error.log;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    keepalive_requests 1000000;
    default_type text/html;
    server {{ listen 127.0.0.1:{port}; root {dir}/root; }}
}}
"""

    def __init__(self, workdir):
        self.port, self.dir = free_port(), Path(workdir)
        self.base = f"http://127.0.0.1:{self.port}"
        self.root = self.dir / "root"
        self.root.mkdir(parents=True)
        for path in (self.dir, self.root):
            path.chmod(0o755)  # nginx's workers run as nobody, and read what is under it
        (self.dir / "nginx.conf").write_text(self.CONFIG.format(dir=self.dir, port=self.port))
        self.serve("index.html", b"ready")
        command = ["nginx", "-p", str(self.dir), "-e", str(self.dir / "error.log"), "-c", str(self.dir / "nginx.conf"),
                   "-g", "daemon off;"]  # fmt: skip
        super().__init__("nginx", command, ready_url=self.base + "/")

    def serve(self, name, body):
        (self.root / name).write_bytes(body)
        (self.root / name).chmod(0o644)
        return f"{self.base}/{name}"


def scratch_postgres(stack, name, template=None):
    """A new PostgreSQL database ``name`` (a copy of ``template`` when given), dropped when ``stack`` closes (and
    first, if an earlier run left it); its URL."""
    import psycopg

    def drop():
        with psycopg.connect(site_bench.PG_ADMIN_URL, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    drop()
    copy = f' TEMPLATE "{template}"' if template else ""
    with psycopg.connect(site_bench.PG_ADMIN_URL, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"{copy}')
    stack.callback(drop)
    return site_bench.PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def database_copy(kind, url, stack):
    """A copy of the seeded database for this run, whose changes are thrown away at the end, and its URL."""
    if kind == "sqlite":
        copy = Path(stack.enter_context(tempfile.TemporaryDirectory())) / "edge.sqlite3"
        shutil.copy(url.removeprefix("sqlite:///"), copy)
        return f"sqlite:///{copy}"
    return scratch_postgres(stack, "newsroom_bench_edge", template=url.rsplit("/", 1)[1])


def start(kind, args, stack):
    """The stack on a copy of the seeded database, each part stopped when ``stack`` closes: gunicorn, the
    Celery worker, varnishd (the tests' harness, with the repository's VCL) and nginx; this process set up as
    the app, so that its commits send purges. Returns the origin, the edge, nginx."""
    url = database_copy(kind, prepare_database(kind, args.articles), stack)
    work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="newsroom-edge-bench-")))
    work.chmod(0o755)  # nginx's workers (nobody) read the files under it
    sys.path.insert(0, str(ROOT))
    from tests.edgeserver import EdgeServer

    origin_port = free_port()
    edge = EdgeServer(origin_port, storage="malloc,256m")
    stack.callback(edge.close)
    env = base_env(url, work / "cache", 600, redis=kind == "postgres", release=f"bench-edge-{time.time_ns()}")
    env |= {"NEWSROOM_EDGE_PURGE_URLS": f"http://127.0.0.1:{edge.port}/", "NEWSROOM_EDGE_PURGE_SECRET": edge.secret,
            "CELERY_BROKER_URL": site_bench.REDIS_URL}  # fmt: skip
    subprocess.run(["redis-cli", "-n", site_bench.REDIS_URL.rsplit("/", 1)[1], "flushdb"], check=False,
                   capture_output=True)  # fmt: skip
    manage(env, "migrate", "--noinput")  # the seeded database may predate the newest migrations
    manage(env, "collectstatic", "--noinput")
    (OUT / "gunicorn.log").unlink(missing_ok=True)
    print(f"{kind}, {args.articles} articles: gunicorn, a Celery worker, varnishd and nginx", flush=True)
    origin = Server(env, port=origin_port)
    stack.callback(origin.stop)
    # The periodic sweep's schedule file goes with the run's other files, not into the checkout.
    worker = Process("worker", [*WORKER, "--schedule", str(work / "celerybeat-schedule")], env, ready_line=b" ready.")
    stack.callback(worker.stop)
    edge.start()
    edge.wait_backend(True)
    nginx = Nginx(work / "nginx")
    stack.callback(nginx.stop)
    for key in [key for key in os.environ if key.startswith(("DJANGO_", "NEWSROOM_"))]:
        del os.environ[key]
    # This process's own log records (the workflow's) stay out of the figures.
    os.environ.update(env | {"DJANGO_SETTINGS_MODULE": "newsroom.settings", "DJANGO_LOG_LEVEL": "WARNING"})
    import django

    django.setup()
    from django.db import connections

    stack.callback(connections.close_all)
    return origin, edge, nginx
