"""Render the stored HTML of every article body, author bio and correction again with the current renderer.

Run it after an upgrade that changes markdown.RENDERER_VERSION. It works in batches, one transaction each,
and prints a progress line per batch. Rows already rendered by the current version are skipped, so an
interrupted run simply continues where it stopped when started again. Re-rendering is not an edit: no
version, revision or modification time changes. A row that an editor saves while the command runs keeps
the editor's save (which rendered it with the current version anyway).
"""

import time

from django.core.management.base import BaseCommand, CommandError

from articles.markup import markdown
from articles.models import site_host
from articles.models.rendering import KINDS, render_again


class Command(BaseCommand):
    help = "Render stored Markdown HTML again with the current renderer, in resumable batches."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=200, help="Rows per transaction (default 200).")
        parser.add_argument(
            "--all",
            action="store_true",
            dest="everything",
            help="Render every row, not only those an older renderer made.",
        )

    def handle(self, *args, batch_size, everything, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        version, host = markdown.RENDERER_VERSION, site_host()
        total_rendered = 0
        for kind in KINDS:
            label, model = kind.label, kind.model
            # `--all` marks every row as needing it first, so that an interrupted run still resumes.
            if everything:
                model.objects.update(html_renderer="")
            pending = model.objects.exclude(html_renderer=version)
            total, done, last_pk, started = pending.count(), 0, 0, time.monotonic()
            if not total:
                self.stdout.write(f"{label}: nothing to render (all by renderer {version})")
                continue
            while True:
                batch = list(pending.filter(pk__gt=last_pk).order_by("pk").only(*kind.fields)[:batch_size])
                if not batch:
                    break
                # A row saved meanwhile is not stored: that save rendered it with this version.
                total_rendered += render_again(model, batch, kind.render, host, html_renderer=version)
                last_pk, done = batch[-1].pk, done + len(batch)
                rate = done / max(time.monotonic() - started, 1e-6)
                self.stdout.write(f"{label}: {done}/{total} ({min(100, 100 * done // total)}%), {rate:.0f}/s")
        self.stdout.write(self.style.SUCCESS(f"Rendered {total_rendered} row(s) with renderer {version}."))
