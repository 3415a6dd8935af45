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
import contextlib
import os
import re
import statistics
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"
# Runs the command in a child, so that its peak memory is the import's alone; prints the command's wall time,
# its peak RSS, and its own report line (which gives the import's time without the start of Python and Django).
TIMED = (
    "import resource, subprocess, sys, time; t = time.perf_counter();"
    "out = subprocess.run(sys.argv[1:], check=True, capture_output=True, text=True).stdout;"
    "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss);"
    "print(out.strip().splitlines()[-1])"
)


def environment(database_url, workdir):
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-" * 10,
        "NEWSROOM_CACHE_DIR": str(workdir / "cache"),
    }


def manage(*args, env):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True)


def postgres(admin_url, sql):
    """Run one statement against the server's maintenance database (psycopg is a runtime requirement)."""
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(sql)


@contextlib.contextmanager
def migrated_database(kind, workdir, admin_url):
    """The environment for a new, migrated, empty database, which is removed afterwards."""
    if kind == "sqlite":
        path = workdir / f"bench-{uuid.uuid4().hex}.sqlite3"
        url = f"sqlite:///{path}"
    else:
        name = f"newsroom_bench_{uuid.uuid4().hex[:12]}"
        postgres(admin_url, f'CREATE DATABASE "{name}"')
        url = urlunsplit(urlsplit(admin_url)._replace(path="/" + name))
    try:
        env = environment(url, workdir)
        manage("migrate", "--noinput", env=env)
        yield env
    finally:
        if kind == "sqlite":
            for file in workdir.glob(path.name + "*"):  # the database and its WAL files
                file.unlink()
        else:
            postgres(admin_url, f'DROP DATABASE "{name}"')


def timed_import(content, env):
    result = subprocess.run(
        [sys.executable, "-c", TIMED, sys.executable, "manage.py", "import_markdown", str(content)],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    first, report = result.stdout.splitlines()[:2]
    seconds, peak_kib = first.split()
    import_seconds = float(re.search(r"\(([0-9.]+) s", report).group(1))
    return float(seconds), import_seconds, int(peak_kib) / 1024


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
    print("command: the whole `manage.py import_markdown` process, Python and Django start included;")
    print("import: the import itself, as the command reports it")
    print(
        f"{'database':<11} {'run':>4} {'command s':>10} {'files/s':>8} {'import s':>9} {'files/s':>8} {'peak MiB':>9}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        content = workdir / "content"
        manage(
            "generate_markdown", str(content), "--count", str(args.files), "--seed", "1", "--words", str(args.words),
            env=environment(f"sqlite:///{workdir / 'generate.sqlite3'}", workdir),
        )  # fmt: skip
        summary = []
        for kind in kinds:
            rates = []
            for run in range(1, args.runs + 1):
                with migrated_database(kind, workdir, args.postgres) as env:
                    seconds, import_seconds, peak = timed_import(content, env)
                rates.append((args.files / seconds, args.files / import_seconds))
                print(
                    f"{kind:<11} {run:>4} {seconds:>10.2f} {args.files / seconds:>8.0f} {import_seconds:>9.2f} "
                    f"{args.files / import_seconds:>8.0f} {peak:>9.1f}"
                )
            summary.append((kind, rates))
            if args.profile:
                with migrated_database(kind, workdir, args.postgres) as env:
                    print(f"-- profile of a serial import into {kind}")
                    profile(content, env)
        for kind, rates in summary:
            command, alone = [r[0] for r in rates], [r[1] for r in rates]
            print(
                f"{kind}: import median {statistics.median(alone):.0f} files/s (best {max(alone):.0f}); "
                f"whole command median {statistics.median(command):.0f} files/s, over {args.runs} runs"
            )


if __name__ == "__main__":
    main()
