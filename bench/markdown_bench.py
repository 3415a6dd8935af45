"""Markdown benchmark: how long each hostile body takes through the reader pipeline (render + sanitise).

usage: python bench/markdown_bench.py [--repeat 5] [--limit 0.5]

Prints each body's size and its best time of --repeat runs (the least disturbed by other work on the
machine), slowest first: the hostile constructions, with the slowest against --limit, then bodies at the
size limit, whose time is the renderer's speed (KB/s). Exits 1 when a construction is over the limit.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

from articles.markup import markdown  # noqa: E402
from articles.tests.hostile import constructions, volume  # noqa: E402


def best_time(body, repeat):
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        markdown.render_markdown(body)
        best = min(best, time.perf_counter() - started)
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--limit", type=float, default=0.5, help="seconds allowed per body (default 0.5)")
    args = parser.parse_args()
    print(f"markdown benchmark: renderer {markdown.RENDERER_VERSION}, best of {args.repeat}, render + sanitise")
    print(f"{'seconds':>8} {'bytes':>10} {'KB/s':>8}  body")
    slowest = None
    for title, group in (("hostile constructions", constructions()), ("bodies at the size limit", volume())):
        print(f"-- {title}")
        results = sorted(((best_time(body, args.repeat), name, body) for name, body in group), reverse=True)
        for seconds, name, body in results:
            size = len(body.encode())
            print(f"{seconds:>8.3f} {size:>10,} {size / 1024 / seconds:>8,.0f}  {name}")
        slowest = slowest or results[0]
    seconds, name, _ = slowest
    verdict = "within" if seconds <= args.limit else "OVER"
    print(f"slowest hostile construction: {name}: {seconds:.3f} s, {verdict} the {args.limit} s limit")
    return 0 if seconds <= args.limit else 1


if __name__ == "__main__":
    sys.exit(main())
