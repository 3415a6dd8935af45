import io
import json
import os
import tarfile
import tempfile
from pathlib import Path

import django
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from articles.models import Article, Author

# Transient or rebuilt by `migrate`: not worth keeping, and in the way of a restore.
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "axes", "admin.logentry"]
DATA = "data.exactjsonl"


class Command(BaseCommand):
    help = (
        "Write one archive with everything that matters: the database (every value exactly as stored, ids kept), "
        "the uploaded media, and every article as Markdown. Restore it with the restore command."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="where the archive is written")

    def handle(self, directory, **options):
        out = Path(directory)
        out.mkdir(mode=0o700, parents=True, exist_ok=True)
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        archive = out / f"newsroom-backup-{stamp}.tar.gz"
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            call_command(
                # Every string byte for byte and every time to the microsecond (interchange/exactjsonl.py); ids are
                # kept, as feed GUIDs and links use them; every row, whatever a default manager leaves out.
                "dumpdata", natural_foreign=True, exclude=EXCLUDED, format=DATA.split(".")[-1], all=True,
                output=str(work / DATA), verbosity=0,
            )  # fmt: skip
            errors = io.StringIO()
            try:
                call_command("export_markdown", str(work / "markdown"), stdout=io.StringIO(), stderr=errors)
            except CommandError as error:
                # The database copy is the backup; the Markdown copy is a convenience: say what it lacks.
                self.stderr.write(f"warning: {error}\n{errors.getvalue()}")
            manifest = {
                "created": timezone.now().isoformat(),
                "django": django.get_version(),
                "articles": Article.objects.count(),
                "authors": Author.objects.count(),
            }
            (work / "manifest.json").write_text(json.dumps(manifest, indent=2))
            partial = archive.with_suffix(".partial")
            # Owner-only from the first byte: the archive holds every password hash.
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.fchmod(descriptor, 0o600)
            with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
                for name in ("manifest.json", DATA, "markdown"):
                    tar.add(work / name, arcname=name)
                media = Path(settings.MEDIA_ROOT)
                if media.exists():
                    tar.add(media, arcname="media")
            partial.rename(archive)  # a finished archive or none: never a half-written one
        self.stdout.write(
            f"Backed up {manifest['articles']} article(s), {manifest['authors']} author(s) and the media to {archive}"
        )
