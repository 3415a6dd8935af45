"""Edge benchmark: the site behind Varnish, purged on commit, against nginx serving the same bytes as files.

usage: python bench/edge_bench.py [--articles 1000] [--duration 2] [--tries 20] [--load-seconds 60]
                                  [--connections 64]

It reuses the site benchmark's seeded database (``bench/site_bench.py``; PostgreSQL when it answers on
127.0.0.1, else SQLite; Redis is needed, as the job queue's broker) through a copy made for the run, and starts
gunicorn with production settings, a Celery worker and varnishd with the repository's VCL, the app sending its
purges to it (``bench/edge_stack.py``). Then:

- share: the home, article, tag, author, section and RSS pages from Varnish's cache, against Debian's nginx
  serving the same bytes as files, in the same run (wrk, 64 connections, gzip asked for as browsers do, each
  server twice in turn); goal 0.8, never below 0.5; a run during which Varnish went to the origin is flagged;
- freshness: a publish, an edit, a withdrawal, a correction, a banner, a pin and a change of the site's name,
  each made through the ORM in this process (``bench/edge_changes.py``; the app sends the purge), every page
  that shows it then polled anonymously through Varnish until it does; the time from the commit until it
  shows on every page, p50 and p99 over 20 tries (goal p99 1 s); and whether an unrelated article's page
  stays in the cache through the publishes (its ``Age``);
- under load: wrk through Varnish over a mix of pages, quiet and then with a publish every 10 s, for the same
  time: the origin's share of the requests (varnishstat; goal under 1 %), p99 with publishes against quiet
  (goal at most 2x), and the app page cache's hits and misses among the requests the origin got (the
  ``cache`` field of gunicorn's request log, the app's ``X-Cache``).

Results go to var/bench/edge-<time>.json. Every process it starts is stopped at the end, after an error or
Ctrl-C too.
"""

import argparse
import json
import os
import re
import shutil
import signal
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from datetime import UTC, datetime

import site_bench
from edge_stack import fetch, start
from site_bench import OUT, ROOT, reachable, wrk

SHARE_PAGES = ["home", "article", "tag", "author", "section", "rss"]
SHARE_GOAL, SHARE_FLOOR = 0.8, 0.5
FRESH_GOAL_MS = 1000
ORIGIN_GOAL = 0.01
LOAD_P99_GOAL = 2.0
GZIP = {"Accept-Encoding": "gzip"}
POLL_SECONDS = 10  # a change not visible on every page by then counts as this long
POLL_EVERY_SECONDS = 0.02  # fine enough against a 1 s goal, and light enough not to slow the render it waits for


def at(edge, path):
    """The address of ``path`` through the edge."""
    return f"http://127.0.0.1:{edge.port}{path}"


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def mean_of(runs):
    """wrk's figures averaged over runs (errors added up)."""
    return {key: sum(run[key] for run in runs) / (1 if key == "errors" else len(runs)) for key in runs[0]}


def measure_share(edge, nginx, pages, args):
    """Each page from Varnish's cache and the same bytes from nginx, in the order edge, nginx, nginx, edge, so
    that the machine's drift from one second to the next weighs on both alike."""
    results = {}
    for name in SHARE_PAGES:
        path = pages[name]
        fetch(at(edge, path), GZIP)
        status, headers, body = fetch(at(edge, path), GZIP)
        url = nginx.serve(f"{name}.html", body)
        before = edge.stats()
        runs = {"edge": [], "nginx": []}
        for server in ("edge", "nginx", "nginx", "edge"):
            target = at(edge, path) if server == "edge" else url
            runs[server].append(wrk(target, GZIP, args.duration, args.connections))
        after = edge.stats()
        cached, plain = mean_of(runs["edge"]), mean_of(runs["nginx"])
        results[name] = {
            "path": path, "status": status, "bytes": len(body), "encoding": headers.get("Content-Encoding", ""),
            "edge": cached, "nginx": plain, "share": cached["rps"] / plain["rps"],
            "origin_requests": after["MAIN.backend_req"] - before["MAIN.backend_req"],
        }  # fmt: skip
        print(f"  {name:<8}{cached['rps']:>9.0f} req/s through Varnish, {plain['rps']:>7.0f} from nginx", flush=True)
    return results


def poll(edge, check, committed_at):
    """Milliseconds from the commit until ``check``'s page shows the change through Varnish."""
    deadline = committed_at + POLL_SECONDS
    while time.perf_counter() < deadline:
        status, _, body = fetch(at(edge, check.path))
        if check.shows(status, body):
            return (time.perf_counter() - committed_at) * 1000
        time.sleep(POLL_EVERY_SECONDS)
    return None


def cached(edge, path):
    """Whether ``path`` is in the edge's cache once asked for (a second request hits: two ids in X-Varnish)."""
    return any(len(fetch(at(edge, path))[1].get("X-Varnish", "").split()) == 2 for _ in range(2))


def one_change(edge, pool, changes, kind, token):
    """Make one change with the reader pages in the edge's cache; its checks, the milliseconds from its commit
    until each page showed it (None: not within POLL_SECONDS), and how many reader pages the edge did not keep."""
    uncached = sum(not cached(edge, path) for path in changes.warm)
    committed = []
    checks = changes.make(kind, token, lambda: committed.append(time.perf_counter()))
    return checks, list(pool.map(lambda check: poll(edge, check, committed[0]), checks)), uncached


def age_of(edge, path):
    """The page's ``Age``, whether it was a hit, and which fetch stored the copy served (X-Varnish's second id:
    the same before and after means the same copy, however little time passed)."""
    _, headers, _ = fetch(at(edge, path))
    ids = headers.get("X-Varnish", "").split()
    return {"age": int(headers.get("Age") or 0), "hit": len(ids) == 2, "stored_by": ids[-1] if len(ids) == 2 else None}


def measure_freshness(edge, changes, tries):
    """Each kind of change ``tries`` times: milliseconds from its commit until every page shows it; and the age
    of an unrelated article's page before and after the publishes."""
    results, unrelated = {}, {"path": changes.unrelated}
    checks = []
    with ThreadPoolExecutor(max_workers=8) as pool:
        for kind in changes.KINDS:
            if kind == "publish":
                fetch(at(edge, changes.unrelated))
                unrelated["before"] = age_of(edge, changes.unrelated)
            times, missed, uncached = [], 0, 0
            for n in range(tries):
                for check in checks:  # the previous try's pages, in the edge's cache again
                    fetch(at(edge, check.path))
                token = f"q{time.time_ns() // 1000 % 10**10}x{n}"
                checks, seen, not_kept = one_change(edge, pool, changes, kind, token)
                missed, uncached = missed + (None in seen), uncached + not_kept
                times.append(max(POLL_SECONDS * 1000 if ms is None else ms for ms in seen))
            results[kind] = {"p50_ms": percentile(times, 0.5), "p99_ms": percentile(times, 0.99),
                             "max_ms": max(times), "tries": tries, "not_seen": missed, "uncached": uncached,
                             "pages": [check.path for check in checks]}  # fmt: skip
            print(
                f"  {kind:<14} p50 {results[kind]['p50_ms']:>7.1f} ms  p99 {results[kind]['p99_ms']:>7.1f} ms"
                + (f"  ({missed} tries not seen in {POLL_SECONDS} s)" if missed else ""),
                flush=True,
            )
            if kind == "publish":
                unrelated["after"] = age_of(edge, changes.unrelated)
    return results, unrelated


def origin_log(path, offset):
    """The app page cache's answers (``X-Cache``, from the request log) to what the origin served since
    ``offset``: {label: count}."""
    counts = {}
    with open(path, "rb") as log:
        log.seek(offset)
        for line in log:
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if record.get("event") == "request" and record.get("path") not in ("/readyz", "/healthz"):
                label = record.get("cache") or "none"
                counts[label] = counts.get(label, 0) + 1
    return counts


def measure_load(edge, paths, publish, args):
    """wrk over ``paths`` through Varnish, quiet and then with a publish every 10 s, for the same time."""
    script = site_bench.rotation_script(paths, OUT / "edge-mix.lua")
    for path in paths:
        fetch(at(edge, path), GZIP)
    results = {}
    for label in ("quiet", "publishing"):
        before, offset = edge.stats(), (OUT / "gunicorn.log").stat().st_size
        with ThreadPoolExecutor(max_workers=1) as pool:
            load = pool.submit(wrk, at(edge, "/"), GZIP, args.load_seconds, args.connections, script)
            published, started = 0, time.monotonic()
            while label == "publishing" and 10 * (published + 1) < args.load_seconds:
                time.sleep(max(0.0, started + 10 * (published + 1) - time.monotonic()))
                publish()
                published += 1
            figures = load.result()
        after = edge.stats()
        client = after["MAIN.client_req"] - before["MAIN.client_req"]
        backend = after["MAIN.backend_req"] - before["MAIN.backend_req"]
        time.sleep(0.5)  # the request log's last lines
        results[label] = figures | {"publishes": published, "client_req": client, "backend_req": backend,
                                    "origin_share": backend / client if client else 0,
                                    "app_cache": origin_log(OUT / "gunicorn.log", offset)}  # fmt: skip
        print(
            f"  {label:<11}{figures['rps']:>9.0f} req/s  p99 {figures['p99_ms']:.2f} ms  origin {backend} of "
            f"{client}  app cache {results[label]['app_cache']}",
            flush=True,
        )
    return results


def reader_pages(origin, articles):
    """The pages the benchmark reads, found on the running site as a reader would find them (the site
    benchmark's choice), and a mix for the load: those, more lists and feeds, and forty article pages."""
    found = {name: path for name, (path, _) in site_bench.targets(origin, articles).items()}
    pages = {name: found[name] for name in ("home", "section", "article", "tag", "author", "rss")}
    pages["latest"] = "/latest/"
    more = {"/latest/?page=2", "/feed/atom/", "/feed/json/", "/tags/", "/archive/", "/corrections/"}
    for page in (3, 4):
        more |= set(re.findall(r'href="(/articles/[^"]+/)"', origin.get(f"/latest/?page={page}")[0]))
    return pages, sorted(set(pages.values()) | more)


def table(figures):
    flagged = 0

    def flag(bad, text):
        nonlocal flagged
        flagged += bool(bad)
        return f"   ! {text}" if bad else ""

    meta = figures["meta"]
    print(
        f"\nshare of nginx: wrk -c{meta['connections']}, 2 x {meta['duration']} s a page and server, gzip, same bytes"
    )
    print(f"{'page':<9}{'varnish req/s':>14}{'p50 ms':>8}{'p99 ms':>8}{'nginx req/s':>12}{'p50 ms':>8}{'p99 ms':>8}"
          f"{'share':>7}{'bytes':>8}")  # fmt: skip
    for name, row in figures["share"].items():
        edge, plain = row["edge"], row["nginx"]
        print(f"{name:<9}{edge['rps']:>14.0f}{edge['p50_ms']:>8.2f}{edge['p99_ms']:>8.2f}{plain['rps']:>12.0f}"
              f"{plain['p50_ms']:>8.2f}{plain['p99_ms']:>8.2f}{row['share']:>7.2f}{row['bytes']:>8}"
              + flag(row["share"] < SHARE_GOAL, "below 0.8" + (" and 0.5" if row["share"] < SHARE_FLOOR else ""))
              + flag(row["origin_requests"], f"{row['origin_requests']} misses went to the origin")
              + flag(row["edge"]["errors"], f"{row['edge']['errors']} errors"))  # fmt: skip
    print(f"\nfreshness: from the commit until every page shows it, through Varnish, {meta['tries']} tries")
    print(f"{'change':<15}{'p50 ms':>8}{'p99 ms':>8}  pages")
    for kind, row in figures["freshness"].items():
        print(f"{kind:<15}{row['p50_ms']:>8.0f}{row['p99_ms']:>8.0f}  {len(row['pages'])}"
              + flag(row["p99_ms"] > FRESH_GOAL_MS, "p99 over 1 s")
              + flag(row["not_seen"], f"{row['not_seen']} not seen in {POLL_SECONDS} s")
              + flag(row["uncached"], f"{row['uncached']} reader pages not in the edge's cache before"))  # fmt: skip
    before, after = figures["unrelated"]["before"], figures["unrelated"]["after"]
    kept = after["hit"] and after["stored_by"] == before["stored_by"]
    print(f"an unrelated article's page across {meta['tries']} publishes: Age {before['age']} -> {after['age']}, "
          f"{'the same copy, a hit' if kept else 'stored again'}"
          + flag(not kept, "purged by a publish that did not touch it"))  # fmt: skip
    load = figures["load"]
    print(
        f"\nunder load: wrk -c{meta['connections']} through Varnish over {meta['mix']} pages, "
        f"{meta['load_seconds']} s each"
    )
    print(f"{'run':<12}{'req/s':>9}{'p50 ms':>8}{'p99 ms':>8}{'publishes':>10}{'origin':>14}{'app cache hit/miss':>20}")
    for label, row in load.items():
        cache = row["app_cache"]
        print(f"{label:<12}{row['rps']:>9.0f}{row['p50_ms']:>8.2f}{row['p99_ms']:>8.2f}{row['publishes']:>10}"
              f"{row['backend_req']:>7} {row['origin_share']:>6.2%}{cache.get('hit', 0):>13}/{cache.get('miss', 0)}"
              + flag(row["origin_share"] >= ORIGIN_GOAL, "origin share 1% or more")
              + flag(row["errors"], f"{row['errors']} errors"))  # fmt: skip
    ratio = load["publishing"]["p99_ms"] / load["quiet"]["p99_ms"]
    print(f"p99 publishing / quiet: {ratio:.2f}" + flag(ratio > LOAD_P99_GOAL, "over 2x"))
    print(f"\n{flagged} figure(s) short of their goal (marked !)" if flagged else "\nevery figure meets its goal")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--duration", type=int, default=2, help="seconds of each of wrk's four runs a page")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--tries", type=int, default=20, help="of each kind of change")
    parser.add_argument("--load-seconds", type=int, default=60, help="of each run under load")
    args = parser.parse_args()
    missing = [tool for tool in ("wrk", "varnishd", "varnishstat", "nginx") if not shutil.which(tool)]
    if missing:
        sys.exit(f"needed: {', '.join(missing)} (make bench-edge installs them from Debian)")
    if not reachable(6379):
        sys.exit("the edge benchmark needs Redis on 127.0.0.1:6379: the job queue that sends purges runs on it")
    kind = "postgres" if reachable(5432) else "sqlite"
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stopped like Ctrl-C: everything started stops
    OUT.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with ExitStack() as stack:
        origin, edge, nginx = start(kind, args, stack)
        import edge_changes
        from publish import publish

        pages, mix = reader_pages(origin, args.articles)
        changes = edge_changes.Changes(pages)
        figures = {"meta": {"when": datetime.now(UTC).strftime("%Y%m%d-%H%M%S"), "database": kind,
                            "articles": args.articles, "cpus": os.cpu_count(), "connections": args.connections,
                            "duration": args.duration, "tries": args.tries, "load_seconds": args.load_seconds,
                            "mix": len(mix)}}  # fmt: skip
        print("share of nginx", flush=True)
        figures["share"] = measure_share(edge, nginx, pages, args)
        print("under load", flush=True)
        figures["load"] = measure_load(edge, mix, lambda: publish(section=changes.section), args)
        print("freshness", flush=True)
        figures["freshness"], figures["unrelated"] = measure_freshness(edge, changes, args.tries)
    figures["meta"]["seconds"] = round(time.monotonic() - started)
    output = OUT / f"edge-{figures['meta']['when']}.json"
    output.write_text(json.dumps(figures, indent=2))
    table(figures)
    print(f"\nresults written to {output.relative_to(ROOT)} ({figures['meta']['seconds']} s)")


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit("interrupted: every process the benchmark started is stopped")
