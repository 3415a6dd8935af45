"""Make the renditions of the library's pictures again where they are out of date: files that do not carry the
picture's rights as they are now, or that predate a format the site makes (``rights.RENDITIONS_FORMAT``; AVIF).

Run it once after an upgrade that changes what renditions hold. Each picture is rewritten on its own (new files
first, then the row, then the old files are removed), in order of number, with a progress line every batch.
Pictures already up to date are skipped, so a second run does nothing and an interrupted one continues where it
stopped. A picture whose stored file is gone or damaged is named and left as it is. With ``--check-files``, the
renditions' files are read too, and a picture whose renditions are missing a file or hold one that does not
decode whole (a lost disk, a half-copied restore) is rewritten as well: slower, as every file is decoded.
"""

import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from articles.media import renditions
from articles.models import Image
from articles.models.base import StaleEditError


def damaged(image):
    """Whether a file its renditions name is missing or does not decode whole."""
    return not all(map(renditions.rendition_readable, renditions.rendition_files(image.renditions)))


class Command(BaseCommand):
    help = "Rewrite the renditions of pictures whose files are out of date (rights, formats); resumable."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=50, help="Pictures read at a time (default 50).")
        parser.add_argument(
            "--check-files",
            action="store_true",
            help="Also rewrite pictures whose rendition files are missing or damaged.",
        )

    def handle(self, *args, batch_size, check_files, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        total = Image.objects.count()
        rewritten = current = failed = seen = last_pk = 0
        started = time.monotonic()
        while True:
            batch = list(Image.objects.filter(pk__gt=last_pk).order_by("pk")[:batch_size])
            if not batch:
                break
            for image in batch:
                if not image.file or (image.renditions_current() and not (check_files and damaged(image))):
                    current += 1
                    continue
                try:
                    image.rewrite_renditions()
                    rewritten += 1
                except StaleEditError:  # saved meanwhile: that save asked for its own rewrite
                    current += 1
                except (OSError, ValidationError) as error:
                    failed += 1
                    self.stderr.write(f"Picture #{image.pk}: renditions not rewritten ({error})")
            last_pk, seen = batch[-1].pk, seen + len(batch)
            rate = seen / max(time.monotonic() - started, 1e-6)
            self.stdout.write(f"{seen}/{total} pictures ({min(100, 100 * seen // max(total, 1))}%), {rate:.1f}/s")
        summary = f"Rewrote the renditions of {rewritten} picture(s); {current} already up to date"
        self.stdout.write(self.style.SUCCESS(f"{summary}, {failed} failed." if failed else f"{summary}."))
        if failed:
            raise CommandError(f"{failed} picture(s) could not be read; see above.")
