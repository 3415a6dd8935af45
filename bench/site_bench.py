"""Site benchmark: the reader pages and feeds under gunicorn with production settings, driven by wrk.

usage: python bench/site_bench.py [--articles 1000,100000] [--databases sqlite,postgres] [--duration 5]
                                  [--connections 16] [--compare earlier.json]
       python bench/site_bench.py --herd [--articles 1000] [--connections 16]

For each database (PostgreSQL with Redis only when both answer on 127.0.0.1) and each article count
(``--articles 1000,100000`` measures growth), it seeds a database once (kept under var/bench/ and reused
by later runs), starts gunicorn with DEBUG off, and measures every page with the page cache off and on:
requests per second, p50 and p99 latency, and throughput as a share of /healthz, the floor endpoint
that touches nothing, measured in the same run. "Page cache off" means whole pages are not kept; the
fragment caches stay on (they are the path every page miss takes). Each server starts as a new release, so
the first request for each page finds no fragment: its time is printed as the cold figure. Figures below
the goals (GOALS, as shares of the floor; cached pages CACHED_GOAL; growth from the smallest to the largest
article count GROWTH) are flagged with "!". Results go to var/bench/site-<time>.json; with --compare, each
figure is shown beside the same one from an earlier file.

--herd measures a publish under load instead: wrk drives ten page types over PostgreSQL and Redis with the
page cache on; an article is published after five seconds, and the p99 latency of the five seconds after the
publish is printed beside the five seconds before.
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
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
PAGES = ["floor", "home", "section", "article", "tag", "author", "page 50", "search", "rss", "atom", "json",
         "rss 304"]  # fmt: skip
# Page cache off: the least share of the floor each page should reach (search: on PostgreSQL).
GOALS = {"home": 0.15, "section": 0.15, "article": 0.3, "tag": 0.15, "author": 0.15, "page 50": 0.15,
         "rss": 0.3, "atom": 0.3, "json": 0.3, "search": 0.1}  # fmt: skip
CACHED_GOAL = 0.85  # page cache on, PostgreSQL and Redis: every cached page
GROWTH = 1.25  # a figure at the largest article count is at most this much slower than at the smallest


def reachable(port):
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def base_env(database_url, cache_dir, page_cache, redis=False, release=""):
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
        "NEWSROOM_RELEASE": release,
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
    def __init__(self, env, port=None):
        self.port = port or free_port()
        # The JSON request log stays on, as in production; it goes to a file, not the terminal.
        self.log = open(OUT / "gunicorn.log", "ab")  # noqa: SIM115 - closed in stop()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{self.port}",
             "newsroom.wsgi"],
            cwd=ROOT, env=env, start_new_session=True, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            self.wait_ready()
        except BaseException:
            self.stop()  # a server that failed to start (or was interrupted starting) is not left running
            raise

    def wait_ready(self):
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
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as error:
            if error.code != 304:
                raise
            return "", dict(error.headers)

    def stop(self):
        if self.process.poll() is None:
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
        "section": ("/sections/politics/", {}),
        "article": (article, {}),
        "tag": (tag, {}),
        "author": (author, {}),
        "page 50": (f"/latest/?page={min(50, int(articles * 0.9) // 20)}", {}),  # page 45 of a 1,000-article site
        "search": ("/search/?q=harbour+ferry", {}),
        "rss": ("/feed/rss/", {}),
        "atom": ("/feed/atom/", {}),
        "json": ("/feed/json/", {}),
        "rss 304": ("/feed/rss/", {"If-None-Match": headers["ETag"]}),
    }


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def wrk(url, headers, duration, connections, script=None):
    command = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s", url]
    if script:
        command[1:1] = ["-s", str(script)]
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


def rotation_script(paths, script):
    """A wrk script (written to ``script``) whose requests go round ``paths`` in turn."""
    script.write_text(
        "paths = {" + ", ".join(json.dumps(path) for path in paths) + "}\n"
        'i = 0\nrequest = function()\n  i = i % #paths + 1\n  return wrk.format("GET", paths[i])\nend\n'
    )
    return script


def measure(kind, articles, page_cache, args):
    url = prepare_database(kind, articles)
    with tempfile.TemporaryDirectory() as cache_dir:
        # A release of its own: no fragment rendered by an earlier run is found, so first requests are cold.
        release = f"bench-{time.time_ns()}"
        env = base_env(url, cache_dir, page_cache, redis=kind == "postgres", release=release)
        if kind == "postgres":
            subprocess.run(["redis-cli", "-n", "15", "flushdb"], check=False, capture_output=True)
        server = Server(env)
        try:
            pages = targets(server, articles)  # reads the home and article pages: their timings are not cold
            server.stop()
            env["NEWSROOM_RELEASE"] = release + "-cold"
            server = Server(env)
            results = {}
            for page, (path, headers) in pages.items():
                if "If-None-Match" in headers:  # the ETag of this server's release
                    headers = {"If-None-Match": server.get(path)[1]["ETag"]}
                started = time.perf_counter()
                server.get(path, headers)  # the first request for the page: cold
                cold_ms = (time.perf_counter() - started) * 1000
                results[page] = wrk(server.base + path, headers, args.duration, args.connections)
                results[page] |= {"path": path, "cold_ms": cold_ms}
            return results
        finally:
            server.stop()


def shortfalls(run, runs):
    """{page: reason} for each figure of ``run`` below its goal."""
    floor = run["results"]["floor"]["rps"]
    found = {}
    for page, figures in run["results"].items():
        share = figures["rps"] / floor
        counted = page != "search" or run["database"] == "postgres"  # the search goal is PostgreSQL's
        if run["cache"] == "off" and counted and share < GOALS.get(page, 0):
            found[page] = f"goal {GOALS[page]}"
        cached = run["cache"] == "on" and run["database"] == "postgres"
        if cached and page not in ("floor", "search", "rss 304") and share < CACHED_GOAL:
            found[page] = f"goal {CACHED_GOAL}"
        smallest = min(r["articles"] for r in runs)
        if run["articles"] > smallest:
            base = next(r for r in runs if (r["database"], r["cache"], r["articles"]) ==
                        (run["database"], run["cache"], smallest))  # fmt: skip
            if base["results"][page]["rps"] > figures["rps"] * GROWTH:
                found[page] = (found.get(page, "") + f" {GROWTH}x of {smallest:,}").strip()
    return found


def table(runs, earlier, pages=None, below_goal=None, column="page", cold=True):
    """Print each run's figures beside an earlier run's, flagging those below their goal (``below_goal``, by
    default this benchmark's ``shortfalls``). The API's benchmark prints its calls with it too."""
    pages, below_goal = pages or PAGES, below_goal or shortfalls
    width = max(9, max(len(page) for page in pages) + 1)
    print(f"\n{'database':<9}{'articles':>9} {'cache':<6}{column:<{width}}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}"
          f"{'× floor':>9}" + (f"{'cold ms':>9}" if cold else "") + f"{'errors':>7}"
          + ("   earlier req/s, × floor" if earlier else ""))  # fmt: skip
    flagged = 0
    for run in runs:
        floor = run["results"]["floor"]["rps"]
        before = next((e for e in earlier if (e["database"], e["articles"], e["cache"]) ==
                       (run["database"], run["articles"], run["cache"])), None)  # fmt: skip
        below = below_goal(run, runs)
        for page in pages:
            figures = run["results"][page]
            line = (f"{run['database']:<9}{run['articles']:>9} {run['cache']:<6}{page:<{width}}{figures['rps']:>9.0f}"
                    f"{figures['p50_ms']:>9.2f}{figures['p99_ms']:>9.2f}{figures['rps'] / floor:>9.2f}"
                    + (f"{figures.get('cold_ms', 0):>9.1f}" if cold else "") + f"{figures['errors']:>7}")  # fmt: skip
            if before and page in before["results"]:
                old = before["results"][page]
                line += f"   {old['rps']:>8.0f} {old['rps'] / before['results']['floor']['rps']:>6.2f}"
            if page in below:
                flagged += 1
                line += f"   ! below {below[page]}"
            print(line)
    print(f"\n{flagged} figure(s) below their goal (marked !)" if flagged else "\nevery figure meets its goal")


HERD_PAGES = ["/", "/latest/?page=2", "/latest/?page=20", "/sections/world/", "/tags/", "/archive/", "/feed/rss/",
              "/feed/atom/", "/feed/json/"]  # fmt: skip


def herd(args):
    """Publish an article while wrk drives ten page types; p99 before and after the publish."""
    if not (reachable(5432) and reachable(6379)):
        sys.exit("the publish-under-load benchmark needs PostgreSQL and Redis on 127.0.0.1")
    articles = int(args.articles.split(",")[0])
    url = prepare_database("postgres", articles)
    with tempfile.TemporaryDirectory() as cache_dir:
        env = base_env(url, cache_dir, 600, redis=True, release=f"bench-{time.time_ns()}")
        subprocess.run(["redis-cli", "-n", "15", "flushdb"], check=False, capture_output=True)
        server = Server(env)
        try:
            pages = targets(server, articles)
            paths = [pages[name][0] for name in ("article", "tag", "author")] + HERD_PAGES[:7]
            script = rotation_script(paths, OUT / "herd.lua")
            for path in paths:
                server.get(path)
            print(f"{len(paths)} page types, {args.connections} connections, page cache on, PostgreSQL and Redis")
            before = wrk(server.base + "/", {}, args.duration, args.connections, script=script)
            publishing = subprocess.Popen([sys.executable, "bench/publish.py"], cwd=ROOT, env=env)
            after = wrk(server.base + "/", {}, args.duration, args.connections, script=script)
            publishing.wait(timeout=60)
            if publishing.returncode:
                sys.exit("publishing the article failed")
        finally:
            server.stop()
    print(f"{'':<28}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>7}")
    for label, figures in ((f"{args.duration} s before the publish", before),
                           (f"{args.duration} s after the publish", after)):  # fmt: skip
        print(f"{label:<28}{figures['rps']:>9.0f}{figures['p50_ms']:>9.2f}{figures['p99_ms']:>9.2f}"
              f"{figures['errors']:>7}")  # fmt: skip
    print(f"p99 after / before: {after['p99_ms'] / before['p99_ms']:.2f}")
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    output = OUT / f"herd-{stamp}.json"
    output.write_text(json.dumps({"paths": paths, "before": before, "after": after}, indent=2))
    print(f"results written to {output.relative_to(ROOT)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", default="1000,100000", help="one count, or several separated by commas")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--cache", default="off,on")
    parser.add_argument("--duration", type=int, default=5, help="seconds of load per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--compare", type=Path, help="an earlier results file to show beside this run")
    parser.add_argument("--herd", action="store_true", help="publish under load: p99 before and after")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk (make bench installs it)")
    if args.herd:
        env = base_env("sqlite://:memory:", OUT / "cache-static", 0)
        OUT.mkdir(parents=True, exist_ok=True)
        manage(env, "collectstatic", "--noinput")
        return herd(args)
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
