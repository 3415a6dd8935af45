"""Varnish against nginx for one large body, without the app: where the edge's share of nginx goes for big pages.

A static origin (nginx, sending the body uncompressed with ``Surrogate-Control`` and 60 surrogate keys, as the
app does) behind varnishd running the shipped VCL and parameters (``tests/edgeserver.py``), and a second nginx
serving the gzipped bytes Varnish stored as a file; ``wrk`` (one thread, 64 connections, 2 s, gzip asked for)
against each in turn, edge, nginx, nginx, edge, three times. Extra ``varnishd`` arguments try other parameters:

    .venv/bin/python bench/edge_bodies.py --kb 400 -- -p fetch_chunksize=256k
"""

import argparse
import random
import shutil
import sys
import tempfile
import urllib.request
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import edgeserver  # noqa: E402
from edge_stack import Nginx  # noqa: E402
from site_bench import wrk  # noqa: E402

GZIP = {"Accept-Encoding": "gzip"}
KEYS = " ".join(f"a{n}" for n in range(60))


class Origin(Nginx):
    """nginx answering as the app does for a page the edge may keep: ``Surrogate-Control`` and ``xkey``."""

    CONFIG = Nginx.CONFIG.replace(
        "root {dir}/root; }}",
        "root {dir}/root; add_header Surrogate-Control max-age=3600; add_header xkey '" + KEYS + "';"
        " location = /readyz {{ return 200 ok; }} }}",
    )


def feed_like(kilobytes):
    """About ``kilobytes`` KB of feed-like text that compresses as prose does (to a quarter or so)."""
    pick = random.Random(29)
    words = ["".join(pick.choices("abcdefghijklmnopqrstuvwxyz", k=pick.randint(2, 9))) for _ in range(60000)]
    items, size = [], 0
    while size < kilobytes * 1024:
        title, text = " ".join(pick.choices(words, k=8)), " ".join(pick.choices(words, k=200))
        item = f"<item><title>{title}</title><p>{text}</p></item>"
        items.append(item)
        size += len(item)
    return ("<rss><channel>" + "".join(items) + "</channel></rss>").encode()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", type=int, default=400, help="the body's size before compression (default 400)")
    parser.add_argument("varnishd", nargs="*", help="extra varnishd arguments, after --")
    args = parser.parse_args()
    if not shutil.which("wrk") or not shutil.which("nginx"):
        sys.exit("needed: wrk and nginx (make bench-edge installs them from Debian)")
    with ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="edge-bodies-")))
        work.chmod(0o755)  # nginx's workers (nobody) read the files under it
        origin = Origin(work / "origin")
        stack.callback(origin.stop)
        origin.serve("feed.xml", feed_like(args.kb))
        plain = Nginx(work / "plain")
        stack.callback(plain.stop)
        shipped = edgeserver.params
        edgeserver.params = lambda: shipped() + args.varnishd
        edge = edgeserver.EdgeServer(origin.port)
        edge.start()
        stack.callback(edge.stop)
        url = f"http://127.0.0.1:{edge.port}/feed.xml"
        for _ in range(2):  # stored, then read from the store
            with urllib.request.urlopen(urllib.request.Request(url, headers=GZIP)) as response:
                body = response.read()
        copy = plain.serve("feed.html", body)
        runs = {"edge": [], "nginx": []}
        for _ in range(3):
            for server in ("edge", "nginx", "nginx", "edge"):
                runs[server].append(wrk(url if server == "edge" else copy, GZIP, 2, 64)["rps"])
        through, direct = (sum(runs[name]) / len(runs[name]) for name in ("edge", "nginx"))
        print(f"{len(body):,} bytes gzipped, varnishd {' '.join(args.varnishd) or '(shipped parameters)'}")
        print(f"through Varnish {through:,.0f} req/s, nginx {direct:,.0f} req/s: share {through / direct:.2f}")


if __name__ == "__main__":
    main()
