"""A live page in progress for the demo: coverage of a storm that began an hour ago and runs on, with a dozen
updates over that hour (two key events, one pinned), posted through the stream as the desk posts them. Runs
once (development only)."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from articles.management.commands.demo_editor import USERNAME
from articles.management.commands.demo_site import picture
from articles.models import Article, Author, Byline, Image, Section
from live import stream

MARK = "demo:live"
SLUG = "storm-elin-reaches-the-coast-live"
AUTHORS = ("Ana Ruiz", "Jonas Weber", "Lena Hoffmann")
# (minutes after coverage starts, author, headline, body, key event, pinned)
UPDATES = [
    (2, 0, "", "Good evening. We are following Storm Elin as it reaches the coast tonight; the weather service "
               "has raised its warning to **red** for the three coastal districts.", False, False),
    (7, 1, "", "Gusts of 110 km/h were measured at the lighthouse on the northern breakwater a few minutes ago.",
     False, False),
    (12, 0, "Ferries cancelled", "The ferry operator has cancelled every crossing until tomorrow noon. Passengers "
                                 "holding tickets can change them free of charge.", True, False),
    (16, 2, "", "Schools in the three districts will stay closed tomorrow, the regional council says.", False, False),
    (21, 1, "Where to find shelter",
     "Shelters are open at:\n\n- the sports hall on Harbour Road\n- the old grammar school\n- the community centre "
     "in the river quarter\n\nEach takes pets. Call 112 only in an emergency.", False, True),
    (25, 0, "", "Trains between the coast and the capital run at reduced speed; expect delays of an hour.",
     False, False),
    (30, 2, "", "Our reporter on the promenade: the sea is over the wall in two places and the police have closed "
                "the coast road.", False, False),
    (36, 1, "Power cut in the river quarter", "About 4,000 homes are without power after a line came down near "
                                              "the old mill. The grid operator says crews are on their way.",
     True, False),
    (41, 0, "", "The mayor asks residents not to drive unless they must, and to keep away from the sea front.",
     False, False),
    (47, 2, "", "The airport has diverted its last two arrivals of the evening; departures resume at 6am.",
     False, False),
    (52, 1, "", "Power is back for about half of the homes in the river quarter.", False, False),
    (57, 0, "", "The worst of the wind is expected between 10pm and 2am. We will keep this page updated through "
                "the night.", False, False),
]  # fmt: skip


class Command(BaseCommand):
    help = (
        "Add a live page in progress to the demo: coverage that began an hour ago with a dozen updates, two key "
        "events and a pinned one, posted by the demo editor (development only, once)."
    )

    def handle(self, **options):
        if not settings.DEBUG:
            raise CommandError("demo_live arranges demo content: it only runs with DJANGO_DEBUG on.")
        editor = get_user_model().objects.filter(username=USERNAME).first()
        if editor is None:
            raise CommandError("run demo_editor first: the demo's updates are posted by the demo editor.")
        if Article.objects.filter(source_key=MARK).exists() or Article.objects.filter(slug=SLUG).exists():
            self.stdout.write("Live page already there.")
            return
        now = timezone.now()
        start = (now - timedelta(hours=1)).replace(second=0, microsecond=0)
        with transaction.atomic():  # all of it or nothing, so that a second run finds the page whole or not at all
            authors = [Author.objects.get_or_create_by_name(name)[0] for name in AUTHORS]
            lead, _ = Image.objects.add(
                picture(SLUG, 3), alt="Waves breaking over a harbour wall at dusk",
                credit="Illustration: Newsroom demo", licence="CC0",
            )  # fmt: skip
            article = Article.objects.create(
                title="Storm Elin reaches the coast: live", slug=SLUG, source_key=MARK,
                dek="Red warning for the coastal districts; ferries cancelled, shelters open.",
                body="Storm Elin is reaching the coast tonight with gusts of over 100 km/h. Follow the latest "
                     "below.\n\nThe weather service expects the wind to ease by morning.",
                status=Article.Status.PUBLISHED, published_at=start, live_from=start, lead_image=lead,
                section=Section.objects.filter(slug="world").first(), created_by=editor,
            )  # fmt: skip
            for position, author in enumerate(authors):
                Byline.objects.create(article=article, author=author, position=position)
            for minutes, author, headline, body, key_event, pinned in UPDATES:
                stream.post(
                    article, editor, body=body, headline=headline, authors=[authors[author]], key_event=key_event,
                    pinned=pinned, posted_at=start + timedelta(minutes=minutes),
                )  # fmt: skip
        self.stdout.write(f"Live page in progress: {article.get_absolute_url()} with {len(UPDATES)} updates.")
