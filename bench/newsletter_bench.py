"""An issue sent to 100,000 subscribers end to end: PostgreSQL (a scratch database), Redis, a real Celery worker
(`make worker`'s command) and a local SMTP sink in its own process (``bench/smtp_sink.py``).

usage: python bench/newsletter_bench.py [--subscribers 100000] [--pool threads] [--concurrency 12] [--senders 8]
                                      [--batch N]

The worker runs as `make worker` does, a pool of 12 threads, with 8 senders: a sender spends most of its time
waiting on the database's commit (a flush to disk for each message) and the mail server's answers, so threads
in one process send as much as processes do, and PostgreSQL flushes the commits of several together, for the
memory of one process.

Prints messages a second from "send now" to the last message at the sink (goal >= 500/s on a 2-core machine),
the worker's peak memory (the sum of its processes' peak resident sizes; goal <= 300 MB) and the time from "send
now" to the first message at the sink.
"""

import argparse
import contextlib
import os
import signal
import smtplib
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from edge_stack import scratch_postgres  # noqa: E402
from site_bench import OUT, REDIS_URL, base_env, free_port, manage  # noqa: E402

GOAL_RATE, GOAL_MB = 500, 300


def started(command, env, log, stack):
    """``command`` in a session of its own, its output in ``log``, killed (group and all) when ``stack`` closes."""
    handle = open(log, "wb")  # noqa: SIM115 - closed by the stack
    stack.callback(handle.close)
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT,
                               start_new_session=True)  # fmt: skip

    def stop():
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    stack.callback(stop)
    return process


def sink_figures(port):
    """(messages, first arrival, last arrival) from the sink."""
    with smtplib.SMTP("127.0.0.1", port, timeout=5) as smtp:
        code, text = smtp.docmd("XSTAT")
    messages, first, last = text.decode().split()
    return int(messages), float(first), float(last)


def peak_rss_mb(pgid, peaks):
    """Record each process of group ``pgid``'s peak resident size (VmHWM); the sum so far, in MB."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if os.getpgid(int(entry.name)) != pgid:
                continue
            for line in (entry / "status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks[entry.name] = max(peaks.get(entry.name, 0), int(line.split()[1]))
        except (ProcessLookupError, FileNotFoundError, PermissionError):
            continue
    return sum(peaks.values()) / 1024


def seed(count):
    """A list with ``count`` confirmed subscribers (bulk-created) and an issue of it with one article."""
    from articles.tests.factories import make_article
    from newsletters.tests.factories import make_edition, make_newsletter, make_subscribers

    briefing = make_newsletter("Morning briefing")
    make_subscribers(briefing, count)
    article = make_article(title="Council votes on the budget", body="The council met. " * 200)
    return make_edition(briefing, [article], intro="Good **morning**. " * 20)


def stop_on_signal(number, frame):
    raise SystemExit(f"stopped by signal {number}")


def main():
    signal.signal(signal.SIGTERM, stop_on_signal)
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--pool", default="threads", help="the worker's pool: threads or prefork (processes)")
    parser.add_argument("--concurrency", type=int, default=12, help="the worker's threads or processes")
    parser.add_argument("--senders", type=int, default=8, help="NEWSROOM_NEWSLETTER_SENDERS")
    parser.add_argument("--batch", type=int, help="NEWSROOM_NEWSLETTER_BATCH (the default: the setting's)")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as stack:
        url = scratch_postgres(stack, "newsroom_bench_newsletter")
        env = base_env(url, OUT / "cache-newsletter", 0, redis=True)
        sink_port = free_port()
        env |= {"NEWSROOM_EMAIL_HOST": "127.0.0.1", "NEWSROOM_EMAIL_PORT": str(sink_port), "NEWSROOM_EMAIL_TLS": "0",
                "CELERY_BROKER_URL": REDIS_URL, "CELERY_BEAT_SCHEDULE_FILENAME": str(OUT / "newsletter-beat"),
                "DJANGO_SETTINGS_MODULE": "newsroom.settings"}  # fmt: skip
        if args.senders:
            env["NEWSROOM_NEWSLETTER_SENDERS"] = str(args.senders)
        if args.batch:
            env["NEWSROOM_NEWSLETTER_BATCH"] = str(args.batch)
        manage(env, "migrate", "--noinput")
        import redis

        redis.Redis.from_url(REDIS_URL).flushdb()
        os.environ.update(env)
        import django

        django.setup()
        from django.db import connections

        stack.callback(connections.close_all)
        from django.conf import settings

        from newsletters import sending
        from newsletters.models import Edition

        started_at = time.monotonic()
        edition = seed(args.subscribers)
        with connections["default"].cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would after a list's import: the planner's figures
        print(f"{args.subscribers:,} subscribers written in {time.monotonic() - started_at:.1f} s", flush=True)
        started([sys.executable, "bench/smtp_sink.py", str(sink_port)], env, OUT / "newsletter-sink.log", stack)
        worker = started(
            [sys.executable, "-m", "celery", "-A", "newsroom", "worker", "-B", "--loglevel", "WARNING", "--pool",
             args.pool, "--concurrency", str(args.concurrency)],
            env, OUT / "newsletter-worker.log", stack,
        )  # fmt: skip
        time.sleep(1)
        deadline = time.monotonic() + 30
        while True:
            try:
                sink_figures(sink_port)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        time.sleep(4)  # the worker ready (its processes started and connected to the broker)
        peaks = {}
        base_mb = peak_rss_mb(worker.pid, peaks)
        send_now = time.time()
        sending.queue(edition)
        messages = 0
        while messages < args.subscribers:
            time.sleep(0.5)
            messages, first, last = sink_figures(sink_port)
            peak_rss_mb(worker.pid, peaks)
            if time.time() - send_now > 3600:
                raise SystemExit(f"only {messages} messages after an hour")
        deadline = time.monotonic() + 60
        while Edition.objects.get(pk=edition.pk).status != Edition.Status.SENT and time.monotonic() < deadline:
            time.sleep(0.2)
        peak = peak_rss_mb(worker.pid, peaks)
        rate = messages / (last - send_now)
        status = Edition.objects.get(pk=edition.pk).status
        print(f"senders {settings.NEWSROOM_NEWSLETTER_SENDERS}, batch {settings.NEWSROOM_NEWSLETTER_BATCH}, "
              f"worker {args.pool} x {args.concurrency}; issue {status}")  # fmt: skip
        print(f"messages a second, end to end: {rate:,.0f}/s  (goal >= {GOAL_RATE}/s)  "
              f"[{messages:,} in {last - send_now:.1f} s]")  # fmt: skip
        print(f"worker peak memory: {peak:.0f} MB over {len(peaks)} processes  (goal <= {GOAL_MB} MB; "
              f"{base_mb:.0f} MB before the send)")  # fmt: skip
        print(f'"send now" to the first message: {first - send_now:.2f} s')
        return 0 if rate >= GOAL_RATE and peak <= GOAL_MB else 1


if __name__ == "__main__":
    sys.exit(main())
