"""Purge keys at every edge now, through the outbox (``--all``: every page, for a deploy that changes how
pages look). Hard by default, as a purge by hand is most often for something that must go at once; ``--soft``
refreshes the pages in the background instead (a deploy's ``--all --soft`` keeps readers from waiting)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from edge import outbox
from edge.registry import SITE


class Command(BaseCommand):
    help = "Purge surrogate keys at every edge (NEWSROOM_EDGE_PURGE_URLS); --all purges every page."

    def add_arguments(self, parser):
        parser.add_argument("keys", nargs="*", help="Surrogate keys, e.g. a12 home")
        parser.add_argument("--all", action="store_true", help=f"Purge every page (the key {SITE!r}).")
        parser.add_argument(
            "--soft",
            action="store_true",
            help="Let the edge serve the pages a few seconds more while it refreshes them.",
        )

    def handle(self, *args, keys, all, soft, **options):
        if all:
            keys = [*keys, SITE]
        if not keys:
            raise CommandError("Name keys to purge, or --all.")
        if not settings.NEWSROOM_EDGE_PURGE_URLS:
            raise CommandError("No edge to purge: NEWSROOM_EDGE_PURGE_URLS is empty.")
        rows = outbox.send(**{"soft" if soft else "hard": keys})
        delivered = outbox.deliver([row.pk for row in rows])
        self.stdout.write(f"Purged {' '.join(sorted(set(keys)))} at {delivered} of {len(rows)} edges.")
        if delivered < len(rows):
            self.stdout.write("The others are retried by the workers (make worker).")
