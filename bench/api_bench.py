"""Content API benchmark: the API's list and detail endpoints under gunicorn with production settings, driven by
wrk, as shares of the floor (/healthz, measured in the same run) with the page cache off and on, on the databases
and article counts of the site benchmark (``site_bench.py``, whose seeded databases, server and wrk it shares).

usage: python bench/api_bench.py [--articles 1000,100000] [--databases sqlite,postgres] [--duration 5]
                                 [--connections 16] [--cache off,on] [--compare earlier.json]

Measured: the first page of articles, the tenth (reached by its cursor), a filtered list, one article, one
article again with its ETag (304), and the list and the article with a read-public key. Rate limits stay on
(counted in the shared cache on every call, as in production) with limits too high to refuse. Goals (GOALS and
site_bench's CACHED_GOAL, shares of the floor; lists at the largest count at most GROWTH times slower than at the
smallest) are flagged with "!". Results go to var/bench/api-<time>.json.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from site_bench import CACHED_GOAL, GROWTH, OUT, ROOT, Server, base_env, prepare_database, reachable, table, wrk

PAGES = ["floor", "list", "list p10", "list filtered", "detail", "detail 304", "list key", "detail key"]
LISTS = ("list", "list p10", "list filtered", "list key")
GOALS = {"list": 0.15, "list p10": 0.15, "list filtered": 0.15, "list key": 0.15, "detail": 0.3, "detail key": 0.3}
CACHED = ("list", "list p10", "list filtered", "detail")  # anonymous calls: the ones a page cache may keep
MAKE_KEY = "from api.models import ApiKey\nprint(ApiKey.issue('Benchmark', 'read-public')[1])"
NO_LIMIT = str(10**9)


def api_env(url, cache_dir, page_cache, kind, release):
    env = base_env(url, cache_dir, page_cache, redis=kind == "postgres", release=release)
    return env | {"NEWSROOM_API_ANONYMOUS_PER_MINUTE": NO_LIMIT, "NEWSROOM_API_KEY_PER_MINUTE": NO_LIMIT}


def manage(env, *args):
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True)
    return done.stdout.decode()


def read(server, path, headers=None):
    body, found = server.get(path, headers)
    return json.loads(body), found


def targets(server, key):
    """The calls to measure, read off the running API as a client would find them."""
    first, _ = read(server, "/api/v1/articles")
    tenth = page_path(server, first, 9)
    article = first["data"][0]
    detail = f"/api/v1/articles/{article['id']}"
    _, headers = server.get(detail)
    section = next((item["slug"] for item in read(server, "/api/v1/sections")[0]["data"]), "")
    keyed = {"Authorization": f"Bearer {key}"}
    return {
        "floor": ("/healthz", {}),
        "list": ("/api/v1/articles", {}),
        "list p10": (tenth, {}),
        "list filtered": (f"/api/v1/articles?section={section}", {}),
        "detail": (detail, {}),
        "detail 304": (detail, {"If-None-Match": headers["ETag"]}),
        "list key": ("/api/v1/articles", keyed),
        "detail key": (detail, keyed),
    }


def page_path(server, first, hops):
    """The path of the page ``hops`` pages after ``first``, following each page's ``next``."""
    page, path = first, "/api/v1/articles"
    for _ in range(hops):
        path = "/" + page["next"].split("://", 1)[-1].split("/", 1)[-1]  # the address made relative
        page, _ = read(server, path)
    return path


def measure(kind, articles, page_cache, args):
    url = prepare_database(kind, articles)
    seed_env = base_env(url, OUT / "cache-seed", 0)
    manage(seed_env, "migrate", "--noinput")  # a database seeded before the API's tables existed gets them
    key = manage(seed_env, "shell", "--no-imports", "-c", MAKE_KEY).strip().splitlines()[-1]
    with tempfile.TemporaryDirectory() as cache_dir:
        env = api_env(url, cache_dir, page_cache, kind, f"bench-api-{time.time_ns()}")
        if kind == "postgres":
            subprocess.run(["redis-cli", "-n", "15", "flushdb"], check=False, capture_output=True)
        server = Server(env)
        try:
            calls = targets(server, key)
            results = {}
            for page, (path, headers) in calls.items():
                server.get(path, headers)
                results[page] = wrk(server.base + path, headers, args.duration, args.connections)
                results[page]["path"] = path
            return results
        finally:
            server.stop()


def shortfalls(run, runs):
    """{call: reason} for each figure of ``run`` below its goal."""
    floor = run["results"]["floor"]["rps"]
    smallest = min(r["articles"] for r in runs)
    found = {}
    for page, figures in run["results"].items():
        share = figures["rps"] / floor
        if run["cache"] == "off" and share < GOALS.get(page, 0):
            found[page] = f"goal {GOALS[page]}"
        if run["cache"] == "on" and run["database"] == "postgres" and page in CACHED and share < CACHED_GOAL:
            found[page] = f"goal {CACHED_GOAL}"
        if page in LISTS and run["articles"] > smallest:
            base = next(r for r in runs if (r["database"], r["cache"], r["articles"]) ==
                        (run["database"], run["cache"], smallest))  # fmt: skip
            if base["results"][page]["rps"] > figures["rps"] * GROWTH:
                found[page] = (found.get(page, "") + f" {GROWTH}x of {smallest:,}").strip()
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", default="1000,100000", help="one count, or several separated by commas")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--cache", default="off,on")
    parser.add_argument("--duration", type=int, default=5, help="seconds of load per call")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--compare", type=Path, help="an earlier results file to show beside this run")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk (make bench installs it)")
    kinds = [kind.strip() for kind in args.databases.split(",")]
    if "postgres" in kinds and not (reachable(5432) and reachable(6379)):
        print("PostgreSQL or Redis not reachable on 127.0.0.1: measuring SQLite only")
        kinds = [kind for kind in kinds if kind != "postgres"]
    OUT.mkdir(parents=True, exist_ok=True)
    manage(base_env("sqlite://:memory:", OUT / "cache-static", 0), "collectstatic", "--noinput")
    runs = []
    for kind in kinds:
        for articles in (int(count) for count in args.articles.split(",")):
            for cache in (setting.strip() for setting in args.cache.split(",")):
                print(f"measuring the API on {kind}, {articles} articles, page cache {cache}", flush=True)
                results = measure(kind, articles, 600 if cache == "on" else 0, args)
                runs.append({"database": kind, "articles": articles, "cache": cache, "results": results})
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    output = OUT / f"api-{stamp}.json"
    meta = {"when": stamp, "cpus": os.cpu_count(), "duration": args.duration, "connections": args.connections}
    output.write_text(json.dumps({"meta": meta, "runs": runs}, indent=2))
    earlier = json.loads(args.compare.read_text())["runs"] if args.compare else []
    table(runs, earlier, PAGES, shortfalls, column="call", cold=False)
    print(f"\nresults written to {output.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
