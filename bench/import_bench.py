"""Import benchmark: N generated Markdown files into a fresh database, SQLite and PostgreSQL.

usage: python bench/import_bench.py [--files 1000] [--words 800] [--runs 3]
                                    [--postgres URL | --no-postgres] [--profile]

The files are what `generate_markdown` writes: about --words words each, 1-3 authors and 3-6 tags. Each
run migrates a new database (a new SQLite file; a new PostgreSQL database, dropped afterwards) and times
`import_markdown` alone, in its own process, with DEBUG off. Prints files per second and peak memory
for every run, then the best and the median; run-to-run differences on a shared machine are large, so
compare medians. --profile also prints where one serial import spends its time (cProfile, top 25).
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"
TIMED = (
    "import resource, subprocess, sys, time; t = time.perf_counter();"
    "subprocess.run(sys.argv[1:], check=True, capture_output=True);"
    "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def environment(database_url):
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-" * 10,
        "NEWSROOM_CACHE_DIR": tempfile.mkdtemp(prefix="newsroom-bench-cache-"),
    }


def manage(*args, env):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True)


def postgres(admin_url, sql):
    """Run one statement against the server's maintenance database (psycopg is a runtime requirement)."""
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(sql)


def fresh_database(kind, workdir, admin_url):
    """(database URL, cleanup) of a new empty database."""
    if kind == "sqlite":
        path = workdir / f"bench-{uuid.uuid4().hex}.sqlite3"
        return f"sqlite:///{path}", lambda: [p.unlink() for p in workdir.glob(path.name + "*")]
    name = f"newsroom_bench_{uuid.uuid4().hex[:12]}"
    postgres(admin_url, f'CREATE DATABASE "{name}"')
    parts = urlsplit(admin_url)
    return urlunsplit(parts._replace(path="/" + name)), lambda: postgres(admin_url, f'DROP DATABASE "{name}"')


def timed_import(content, env):
    result = subprocess.run(
        [sys.executable, "-c", TIMED, sys.executable, "manage.py", "import_markdown", str(content)],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    seconds, peak_kib = result.stdout.split()
    return float(seconds), int(peak_kib) / 1024


def profile(content, env):
    """Where a serial import (one process, so that the profile sees everything) spends its time."""
    code = (
        "import cProfile, io, pstats, django; django.setup();"
        "from django.core.management import call_command;"
        "profile = cProfile.Profile(); out = io.StringIO();"
        f"profile.runcall(call_command, 'import_markdown', {str(content)!r}, workers=1, stdout=out);"
        "pstats.Stats(profile).sort_stats('cumulative').print_stats(25)"
    )
    env = {**env, "DJANGO_SETTINGS_MODULE": "newsroom.settings", "PYTHONPATH": str(ROOT)}
    print(
        subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
        ).stdout
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1_000)
    parser.add_argument("--words", type=int, default=800)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES))
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    kinds = ["sqlite"]
    if not args.no_postgres:
        try:
            postgres(args.postgres, "SELECT 1")
            kinds.append("postgresql")
        except Exception as error:  # noqa: BLE001 - the benchmark says why and goes on with SQLite
            print(f"PostgreSQL not measured ({type(error).__name__}: {error})")
    print(f"import benchmark: {args.files} generated files of ~{args.words} words, a fresh database each run")
    print(f"{'database':<11} {'run':>4} {'seconds':>9} {'files/s':>9} {'peak MiB':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        content = workdir / "content"
        manage(
            "generate_markdown", str(content), "--count", str(args.files), "--seed", "1", "--words", str(args.words),
            env=environment(f"sqlite:///{workdir / 'generate.sqlite3'}"),
        )  # fmt: skip
        summary = []
        for kind in kinds:
            rates = []
            for run in range(1, args.runs + 1):
                url, cleanup = fresh_database(kind, workdir, args.postgres)
                try:
                    env = environment(url)
                    manage("migrate", "--noinput", env=env)
                    seconds, peak = timed_import(content, env)
                    if args.profile and run == args.runs:
                        cleanup()
                        url, cleanup = fresh_database(kind, workdir, args.postgres)
                        env = environment(url)
                        manage("migrate", "--noinput", env=env)
                        print(f"-- profile of a serial import into {kind}")
                        profile(content, env)
                finally:
                    cleanup()
                rates.append(args.files / seconds)
                print(f"{kind:<11} {run:>4} {seconds:>9.2f} {args.files / seconds:>9.0f} {peak:>9.1f}")
            summary.append((kind, max(rates), statistics.median(rates)))
        for kind, best, median in summary:
            print(f"{kind}: best {best:.0f} files/s, median {median:.0f} files/s over {args.runs} runs")


if __name__ == "__main__":
    main()
