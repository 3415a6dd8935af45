"""Live page benchmark: N readers polling one live page while the desk posts an update every few seconds.

usage: python bench/live_bench.py [--pollers 200] [--seconds 30] [--every 2 3] [--updates 30] [--no-edge]

It starts gunicorn with production settings on a new database (PostgreSQL when it answers on 127.0.0.1, else
SQLite) with the page cache in a Redis database of its own (``BENCH_LIVE_REDIS_URL``, db 13 by default), makes a
live page with ``--updates`` updates, and measures, for ``--seconds`` each:

- floor: wrk against ``/healthz`` (the trivial view the other benchmarks measure against);
- quiet: wrk's ``--pollers`` connections against the poll endpoint (``/articles/<slug>/live/updates.json``),
  nothing posted: throughput as a share of the floor, p50 and p99;
- posting: the same while another process posts an update through ``live.stream`` every 2 to 3 s, and a
  watcher polls the endpoint continuously (every 20 ms) noting when ``seq`` reaches each update's: the time
  from the commit (when ``stream.post`` returned, in the posting process) until a poller first sees it, p50
  and p99;
- the same through Varnish, when ``varnishd`` is installed (the tests' harness, ``tests/edgeserver.py``, with
  the repository's VCL; a Celery worker delivers the purges), against the same floor; else it says so.

Pollers send no ``If-None-Match``: every answer is a whole 200, the dearer case. Results go to
var/bench/live-<time>.json. Every process it starts is stopped at the end, after an error or Ctrl-C too.
"""

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path

from edge_stack import WORKER, Process, scratch_postgres
from site_bench import OUT, ROOT, Server, base_env, free_port, manage, reachable, wrk

REDIS_URL = os.environ.get("BENCH_LIVE_REDIS_URL", "redis://127.0.0.1:6379/13")
DATABASE = "newsroom_bench_live"
SLUG = "bench-live-page"
WATCH_EVERY_SECONDS = 0.02
SEQ = re.compile(rb'class="live-stream"[^>]*data-seq="(\d+)"|data-seq="(\d+)"[^>]*class="live-stream"')


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def new_database(stack):
    """A new, migrated database for this run, dropped at the end; its URL."""
    if not reachable(5432):
        path = Path(stack.enter_context(tempfile.TemporaryDirectory())) / "live.sqlite3"
        return f"sqlite:///{path}"
    return scratch_postgres(stack, DATABASE)


def as_app(env):
    """Set this process up as the app (the env gunicorn runs with), so that its commits retire pages as a
    post made in the admin would."""
    for key in [key for key in os.environ if key.startswith(("DJANGO_", "NEWSROOM_"))]:
        del os.environ[key]
    os.environ.update(env | {"DJANGO_SETTINGS_MODULE": "newsroom.settings", "DJANGO_LOG_LEVEL": "WARNING"})
    import django

    django.setup()


def make_live_page(updates):
    """The live page and the editor who posts to it, with ``updates`` updates already."""
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from articles.models import Article, Author, Byline
    from live import stream

    editor = get_user_model().objects.create_superuser("bench-editor", "bench@example.org", "x" * 20)
    author = Author.objects.get_or_create_by_name("Bench Reporter")[0]
    start = timezone.now() - timedelta(hours=1)
    article = Article.objects.create(
        title="Benchmark live page", slug=SLUG, body="The story so far.", status=Article.Status.PUBLISHED,
        published_at=start, live_from=start,
    )  # fmt: skip
    Byline.objects.create(article=article, author=author)
    for n in range(updates):
        stream.post(article, editor, body=f"Update {n}: *something* happened.", authors=[author],
                    posted_at=start + timedelta(minutes=n * 50 / max(updates, 1)))  # fmt: skip


def post_updates(seconds, every, record):
    """The posting process: an update every ``every`` (low, high) seconds for ``seconds``, each line of
    ``record`` the update's seq and when ``stream.post`` returned (its commit made)."""
    from django.contrib.auth import get_user_model

    from articles.models import Article
    from live import stream

    article, editor = Article.objects.get(slug=SLUG), get_user_model().objects.get(username="bench-editor")
    deadline = time.time() + seconds
    with open(record, "a") as out:
        while time.time() + every[1] < deadline:
            time.sleep(random.uniform(*every))  # noqa: S311 - spacing, not secrets
            update = stream.post(article, editor, body=f"Posted at {time.time():.3f}.", headline="Latest")
            out.write(json.dumps({"seq": update.seq, "committed": time.time()}) + "\n")
            out.flush()


def seq_of(body):
    """The stream's position an answer shows: the poll's ``seq``, else the page's ``data-seq``."""
    try:
        return int(json.loads(body)["seq"])
    except (ValueError, KeyError, TypeError):
        found = SEQ.search(body)
        return int(found.group(1) or found.group(2)) if found else None


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except OSError:
        return None, b""


def watch(url, stop, seen):
    """Poll ``url`` continuously until ``stop`` is set; ``seen``: {seq: the first time an answer showed it}."""
    while not stop.is_set():
        _, body = get(url)
        seq = seq_of(body)
        if seq is not None and seq not in seen:
            now = time.time()
            for position in range(max(seen or [seq - 1]) + 1, seq + 1):
                seen.setdefault(position, now)
        time.sleep(WATCH_EVERY_SECONDS)


def with_posts(url, env, args, name):
    """wrk against ``url`` while another process posts and a watcher polls; wrk's figures and the delays."""
    record = OUT / f"live-{name}-posts.jsonl"
    record.unlink(missing_ok=True)
    seen, stop = {}, threading.Event()
    watcher = threading.Thread(target=watch, args=(url, stop, seen), daemon=True)
    watcher.start()
    poster = subprocess.Popen(
        [sys.executable, __file__, "--post", str(record), "--seconds", str(args.seconds), "--every",
         *map(str, args.every)],
        cwd=ROOT, env=env | {"DJANGO_SETTINGS_MODULE": "newsroom.settings"},
    )  # fmt: skip
    try:
        figures = wrk(url, {}, args.seconds, args.pollers)
        poster.wait(timeout=args.seconds + 60)
        time.sleep(3)  # the last update's poll
    finally:
        if poster.poll() is None:
            poster.kill()
        stop.set()
        watcher.join()
    posts = [json.loads(line) for line in record.read_text().splitlines()] if record.exists() else []
    delays = [(seen[p["seq"]] - p["committed"]) * 1000 for p in posts if p["seq"] in seen]
    missed = len(posts) - len(delays)
    figures |= {"posts": len(posts), "missed": missed}
    if delays:
        figures |= {"seen_p50_ms": percentile(delays, 0.5), "seen_p99_ms": percentile(delays, 0.99),
                    "seen_max_ms": max(delays)}  # fmt: skip
    return figures


def line(name, figures, floor):
    text = f"  {name:<22}{figures['rps']:>9.0f} req/s {figures['rps'] / floor:>6.2f} x floor"
    text += f"   p50 {figures['p50_ms']:>7.2f} ms  p99 {figures['p99_ms']:>7.2f} ms  errors {figures['errors']}"
    if "posts" in figures:
        text += f"\n  {'':<22}{figures['posts']} updates posted, {figures['missed']} never seen"
        if "seen_p50_ms" in figures:
            text += f"; commit to first poller p50 {figures['seen_p50_ms']:.0f} ms, p99 {figures['seen_p99_ms']:.0f} ms"
    print(text, flush=True)


def run(args):
    OUT.mkdir(parents=True, exist_ok=True)
    results = {"when": datetime.now(UTC).isoformat(), "pollers": args.pollers, "seconds": args.seconds,
               "every": args.every, "cores": os.cpu_count()}  # fmt: skip
    with ExitStack() as stack:
        url = new_database(stack)
        results["database"] = url.split(":", 1)[0]
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="newsroom-live-bench-")))
        subprocess.run(["redis-cli", "-n", REDIS_URL.rsplit("/", 1)[1], "flushdb"], check=False, capture_output=True)
        env = base_env(url, work / "cache", 600, release=f"bench-live-{time.time_ns()}") | {"REDIS_URL": REDIS_URL}
        edge = None
        if args.edge and shutil.which("varnishd"):
            sys.path.insert(0, str(ROOT))
            from tests.edgeserver import EdgeServer

            origin_port = free_port()
            edge = EdgeServer(origin_port, storage="malloc,256m")
            stack.callback(edge.close)
            env |= {"NEWSROOM_EDGE_PURGE_URLS": f"http://127.0.0.1:{edge.port}/",
                    "NEWSROOM_EDGE_PURGE_SECRET": edge.secret, "CELERY_BROKER_URL": REDIS_URL}  # fmt: skip
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")
        as_app(env)
        make_live_page(args.updates)
        from django.db import connections

        connections.close_all()
        print(f"{results['database']}, {os.cpu_count()} cores: gunicorn on a live page with {args.updates} updates, "
              f"{args.pollers} pollers, an update every {args.every[0]:g}-{args.every[1]:g} s", flush=True)  # fmt: skip
        origin = Server(env, port=edge and origin_port)
        stack.callback(origin.stop)
        poll = f"/articles/{SLUG}/live/updates.json"
        if get(origin.base + poll)[0] != 200:  # the poll endpoint is not there: the page itself
            poll = f"/articles/{SLUG}/"
            print(f"  (no poll endpoint: polling the article page {poll})", flush=True)
        results["path"] = poll
        floor = results["floor"] = wrk(origin.base + "/healthz", {}, args.seconds, args.pollers)
        line("floor (/healthz)", floor, floor["rps"])
        results["quiet"] = wrk(origin.base + poll, {}, args.seconds, args.pollers)
        line("polls, quiet", results["quiet"], floor["rps"])
        results["posting"] = with_posts(origin.base + poll, env, args, "origin")
        line("polls, posting", results["posting"], floor["rps"])
        if edge is None:
            results["edge"] = "not measured: " + ("--no-edge" if not args.edge else "varnishd is not installed")
            print(f"  through Varnish: {results['edge']}", flush=True)
        else:
            worker = Process("live-worker", [*WORKER, "--schedule", str(work / "celerybeat-schedule")], env,
                             ready_line=b" ready.")  # fmt: skip
            stack.callback(worker.stop)
            edge.start()
            edge.wait_backend(True)
            through = f"http://127.0.0.1:{edge.port}{poll}"
            get(through)
            results["edge_quiet"] = wrk(through, {}, args.seconds, args.pollers)
            line("Varnish, quiet", results["edge_quiet"], floor["rps"])
            before = edge.stats()
            results["edge_posting"] = with_posts(through, env, args, "edge")
            after = edge.stats()
            results["edge_posting"]["origin_requests"] = after["MAIN.backend_req"] - before["MAIN.backend_req"]
            line("Varnish, posting", results["edge_posting"], floor["rps"])
    path = OUT / f"live-{datetime.now(UTC).strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(results, indent=2))
    print(f"Results: {path}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pollers", type=int, default=200, help="wrk connections polling at once")
    parser.add_argument("--seconds", type=int, default=30, help="each measurement's length")
    parser.add_argument("--every", type=float, nargs=2, default=[2.0, 3.0], help="seconds between updates")
    parser.add_argument("--updates", type=int, default=30, help="updates on the page before it starts")
    parser.add_argument("--no-edge", dest="edge", action="store_false", help="skip the run through Varnish")
    parser.add_argument("--post", help=argparse.SUPPRESS)  # the posting process: the file it records to
    args = parser.parse_args()
    if args.post:  # started by with_posts, in the app's environment
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        post_updates(args.seconds, args.every, args.post)
        return
    run(args)


if __name__ == "__main__":
    main()
