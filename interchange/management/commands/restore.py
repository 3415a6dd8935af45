import json
import shutil
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.models import Article
from interchange.management.commands.backup import DATA
from pagecache.registry import retiring_once


class Command(BaseCommand):
    help = "Restore an archive written by the backup command into an empty, migrated database."

    def add_arguments(self, parser):
        parser.add_argument("archive")

    def handle(self, archive, **options):
        path = Path(archive)
        if not path.is_file():
            raise CommandError(f"No backup archive at {path}.")
        if Article.objects.exists() or get_user_model().objects.exists():
            raise CommandError(
                "The database already has articles or users; restore into an empty one "
                "(create a new database, run migrate, then restore)."
            )
        media_root = Path(settings.MEDIA_ROOT)
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            try:
                with tarfile.open(path, "r:gz") as tar:
                    tar.extractall(work, filter="data")  # refuses absolute paths, links out and ../ members
            except (tarfile.TarError, OSError) as error:
                raise CommandError(f"{path} is not a readable backup archive ({error}).") from None
            # Archives made before the exact format hold data.xml, which loaddata still reads.
            data = next((work / name for name in (DATA, "data.xml") if (work / name).is_file()), None)
            if data is None or not (work / "manifest.json").is_file():
                raise CommandError(f"{path} is not a Newsroom backup: its data or manifest.json is missing.")
            manifest = json.loads((work / "manifest.json").read_text())
            copied = []
            try:
                with transaction.atomic(), retiring_once():  # every restored row is a save: pages retire once
                    call_command("loaddata", str(data), verbosity=0)
                    copy_media(work / "media", media_root, copied)
            except Exception:
                for target in copied:  # nothing half-restored: the database rolled back, the files go too
                    target.unlink(missing_ok=True)
                raise
        self.stdout.write(
            f"Restored {manifest['articles']} article(s) and {manifest['authors']} author(s) "
            f"from a backup made {manifest['created']}; {len(copied)} media file(s) copied."
        )


def copy_media(source_root, target_root, copied):
    """Copy the archive's media files that are not already in place, noting each one in ``copied``."""
    files = [path for path in source_root.rglob("*") if path.is_file()] if source_root.exists() else []
    for source in sorted(files):
        target = target_root / source.relative_to(source_root)
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
        copied.append(target)
