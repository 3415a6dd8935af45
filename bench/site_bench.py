"""Site benchmark: the reader pages and feeds under gunicorn with production settings, driven by wrk.

usage: python bench/site_bench.py [--articles 10000] [--databases sqlite,postgres] [--duration 5]
                                  [--connections 8] [--compare earlier.json]

For each database (PostgreSQL with Redis only when both answer on 127.0.0.1) and each article count
(``--articles 1000,100000`` measures growth), it seeds a database once (kept under var/bench/ and reused
by later runs), starts gunicorn with DEBUG off, and measures every page with the page cache off and on:
requests per second, p50 and p99 latency, and throughput as a share of /healthz, the floor endpoint
that touches nothing, measured in the same run. Results go to var/bench/site-<time>.json; with
--compare, each figure is shown beside the same one from an earlier file.
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
PAGES = ["floor", "home", "article", "tag", "author", "page 50", "search", "rss", "rss 304"]


def reachable(port):
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def base_env(database_url, cache_dir, page_cache, redis=False):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "NEWSROOM_"))}
    env.pop("REDIS_URL", None)
    env |= {
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "benchmark-only-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_STATIC_ROOT": str(OUT / "static"),
        "NEWSROOM_CACHE_DIR": str(cache_dir),
        "NEWSROOM_PAGE_CACHE_SECONDS": str(page_cache),
        "GUNICORN_ACCESSLOG": "",
        "GUNICORN_LOG_LEVEL": "warning",
    }
    if redis:
        env["REDIS_URL"] = REDIS_URL
    return env


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def prepare_database(kind, articles):
    """A seeded database for this kind and size, made once and reused."""
    OUT.mkdir(parents=True, exist_ok=True)
    if kind == "sqlite":
        path = OUT / f"bench-{articles}.sqlite3"
        url, marker = f"sqlite:///{path}", OUT / f"{path.name}.done"
        ready = marker.exists() and path.exists()
        if not ready:
            for stale in OUT.glob(f"{path.name}*"):
                stale.unlink()
    else:
        import psycopg

        name = f"newsroom_bench_{articles}"
        url, marker = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}", OUT / f"{name}.done"
        ready = marker.exists()
        if not ready:
            with psycopg.connect(PG_ADMIN_URL, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
                connection.execute(f'CREATE DATABASE "{name}"')
    if not ready:
        env = base_env(url, OUT / "cache-seed", 0)
        manage(env, "migrate", "--noinput")
        started = time.perf_counter()
        subprocess.run([sys.executable, "bench/seed.py", "--articles", str(articles)], cwd=ROOT, env=env, check=True)
        if kind == "postgres":
            with psycopg.connect(url, autocommit=True) as connection:
                connection.execute("VACUUM ANALYZE")
        else:
            import sqlite3

            with sqlite3.connect(path) as connection:
                connection.execute("ANALYZE")
        print(f"  seeded {articles} articles on {kind} in {time.perf_counter() - started:.0f} s")
        marker.touch()
    return url


class Server:
    def __init__(self, env):
        self.port = free_port()
        # The JSON request log stays on, as in production; it goes to a file, not the terminal.
        self.log = open(OUT / "gunicorn.log", "ab")  # noqa: SIM115 - closed in stop()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{self.port}",
             "newsroom.wsgi"],
            cwd=ROOT, env=env, start_new_session=True, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.base + "/readyz", timeout=2).read()
                return
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(f"gunicorn exited while starting; see {OUT / 'gunicorn.log'}") from None
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not become ready in 60 s")

    def get(self, path, headers=None):
        request = urllib.request.Request(self.base + path, headers=headers or {})
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.read().decode(), dict(response.headers)

    def stop(self):
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)
        self.log.close()


def targets(server, articles):
    """The URLs to measure, read off the running site as a reader would find them."""
    home, _ = server.get("/")
    article = re.search(r'href="(/articles/[^"]+/)"', home).group(1)
    page, _ = server.get(article)
    tag = re.search(r'href="(/tags/[^"]+/)"', page).group(1)
    author = re.search(r'href="(/authors/[^"]+/)"', page).group(1)
    _, headers = server.get("/feed/rss/")
    return {
        "floor": ("/healthz", {}),
        "home": ("/", {}),
        "article": (article, {}),
        "tag": (tag, {}),
        "author": (author, {}),
        "page 50": (f"/?page={min(50, int(articles * 0.9) // 20)}", {}),  # page 45 of a 1,000-article site
        "search": ("/search/?q=harbour+ferry", {}),
        "rss": ("/feed/rss/", {}),
        "rss 304": ("/feed/rss/", {"If-None-Match": headers["ETag"]}),
    }


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def wrk(url, headers, duration, connections):
    command = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s", url]
    for name, value in headers.items():
        command[1:1] = ["-H", f"{name}: {value}"]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout

    def latency(percent):
        value, unit = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M).groups()
        return float(value) * UNITS[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": latency(50),
        "p99_ms": latency(99),
        "errors": int(errors.group(1)) if errors else 0,
    }


def measure(kind, articles, page_cache, args):
    url = prepare_database(kind, articles)
    with tempfile.TemporaryDirectory() as cache_dir:
        env = base_env(url, cache_dir, page_cache, redis=kind == "postgres")
        if kind == "postgres":
            subprocess.run(["redis-cli", "-n", "15", "flushdb"], check=False, capture_output=True)
        server = Server(env)
        try:
            results = {}
            for page, (path, headers) in targets(server, articles).items():
                server.get(path, headers) if "If-None-Match" not in headers else None  # warm the page
                results[page] = wrk(server.base + path, headers, args.duration, args.connections)
                results[page]["path"] = path
            return results
        finally:
            server.stop()


def table(runs, earlier):
    print(f"\n{'database':<9}{'articles':>9} {'cache':<6}{'page':<9}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}"
          f"{'× floor':>9}{'errors':>7}" + ("   earlier req/s, × floor" if earlier else ""))  # fmt: skip
    for run in runs:
        floor = run["results"]["floor"]["rps"]
        before = next((e for e in earlier if (e["database"], e["articles"], e["cache"]) ==
                       (run["database"], run["articles"], run["cache"])), None)  # fmt: skip
        for page in PAGES:
            figures = run["results"][page]
            line = (f"{run['database']:<9}{run['articles']:>9} {run['cache']:<6}{page:<9}{figures['rps']:>9.0f}"
                    f"{figures['p50_ms']:>9.2f}{figures['p99_ms']:>9.2f}{figures['rps'] / floor:>9.2f}"
                    f"{figures['errors']:>7}")  # fmt: skip
            if before:
                old = before["results"][page]
                line += f"   {old['rps']:>8.0f} {old['rps'] / before['results']['floor']['rps']:>6.2f}"
            print(line)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", default="10000", help="one count, or several separated by commas")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--cache", default="off,on")
    parser.add_argument("--duration", type=int, default=5, help="seconds of load per page")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--compare", type=Path, help="an earlier results file to show beside this run")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk (make bench installs it)")
    kinds = [kind.strip() for kind in args.databases.split(",")]
    if "postgres" in kinds and not (reachable(5432) and reachable(6379)):
        print("PostgreSQL or Redis not reachable on 127.0.0.1: measuring SQLite only")
        kinds = [kind for kind in kinds if kind != "postgres"]
    env = base_env("sqlite://:memory:", OUT / "cache-static", 0)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "gunicorn.log").unlink(missing_ok=True)
    manage(env, "collectstatic", "--noinput")
    runs = []
    for kind in kinds:
        for articles in (int(count) for count in args.articles.split(",")):
            for cache in (setting.strip() for setting in args.cache.split(",")):
                print(f"measuring {kind}, {articles} articles, page cache {cache}", flush=True)
                results = measure(kind, articles, 600 if cache == "on" else 0, args)
                runs.append({"database": kind, "articles": articles, "cache": cache, "results": results})
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    output = OUT / f"site-{stamp}.json"
    meta = {"when": stamp, "cpus": os.cpu_count(), "duration": args.duration, "connections": args.connections}
    output.write_text(json.dumps({"meta": meta, "runs": runs}, indent=2))
    earlier = json.loads(args.compare.read_text())["runs"] if args.compare else []
    table(runs, earlier)
    print(f"\nresults written to {output.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
