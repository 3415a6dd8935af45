"""Import benchmark: N generated Markdown files into a fresh SQLite database.

usage: python bench/import_bench.py [--files 10000] [--words 300]

Prints files per second and the import process's peak memory, for N and for N/10 files,
so that memory growth with the number of files shows.
"""

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, env):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True)


def run(files, words, workdir):
    content = workdir / f"content-{files}"
    db = workdir / f"bench-{files}.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "bench-" * 8}
    manage("generate_markdown", str(content), "--count", str(files), "--seed", "1", "--words", str(words), env=env)
    manage("migrate", "--noinput", env=env)
    # Peak memory of the import alone: a fresh child whose own maximum RSS we read back.
    probe = (
        "import resource, subprocess, sys, time; t = time.perf_counter();"
        "subprocess.run(sys.argv[1:], check=True, capture_output=True);"
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, sys.executable, "manage.py", "import_markdown", str(content)],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    seconds, peak_kib = result.stdout.split()
    return float(seconds), int(peak_kib) / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--words", type=int, default=300)
    args = parser.parse_args()
    print(f"import benchmark: generated files of ~{args.words} words, fresh SQLite database each run")
    print(f"{'files':>8} {'seconds':>9} {'files/s':>9} {'peak MiB':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        for files in (max(1, args.files // 10), args.files):
            seconds, peak = run(files, args.words, Path(tmp))
            print(f"{files:>8} {seconds:>9.2f} {files / seconds:>9.0f} {peak:>9.1f}")


if __name__ == "__main__":
    main()
