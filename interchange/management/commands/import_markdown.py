import sys
import time
from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from interchange.importing import Importer
from interchange.preparing import find_files


class Command(BaseCommand):
    help = "Import Hugo-style Markdown files (YAML, TOML or JSON front matter) as articles."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Files, or folders searched for *.md, *.markdown, *.txt.")
        parser.add_argument("--as-draft", action="store_true", help="Import everything as drafts.")
        parser.add_argument("--dry-run", action="store_true", help="Validate and report; write nothing.")
        parser.add_argument(
            "--fetch-images", action="store_true", help="Download external lead images into media (URL kept)."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Also update articles edited in the newsroom since they were imported (their text, tags and "
            "bylines; never their workflow state or times).",
        )
        parser.add_argument("--workers", type=int, help="Processes that parse and render (default: up to 2).")

    def handle(self, *args, paths, **options):
        importer = Importer(
            as_draft=options["as_draft"],
            dry_run=options["dry_run"],
            fetch_images=options["fetch_images"],
            force=options["force"],
            workers=options["workers"],
        )
        started = time.perf_counter()
        files = find_files(paths)
        counts = Counter()
        show_progress = self.stdout.isatty() and len(files) > 50
        for number, outcome in enumerate(importer.run(files), 1):
            counts[outcome.result] += 1
            if outcome.result in {"failed", "skipped"}:
                self.stderr.write(f"{outcome.result}: {outcome}")
            elif outcome.result == "kept":
                self.stdout.write(f"kept: {outcome.path}: edited since import (--force updates its text)")
            elif options["verbosity"] > 1:
                self.stdout.write(str(outcome))
            for note in outcome.notes:
                self.stdout.write(f"note: {outcome.path}: {note}")
            if show_progress and (number % 50 == 0 or number == len(files)):
                sys.stdout.write(f"\r{number:,}/{len(files):,} files")
                sys.stdout.flush()
        if show_progress:
            sys.stdout.write("\n")
        summary = ", ".join(
            f"{counts[k]} {k}" for k in ("created", "updated", "unchanged", "kept", "skipped", "failed")
        )
        prefix = "Dry run (nothing written): " if options["dry_run"] else "Imported: "
        seconds = time.perf_counter() - started
        rate = f", {len(files) / seconds:,.0f} files/s" if files and seconds else ""
        self.stdout.write(f"{prefix}{summary} ({seconds:.2f} s{rate})")
        if counts["failed"] or not files:
            raise CommandError("no files found" if not files else f"{counts['failed']} file(s) failed")
