"""The demo's newsletters: a morning briefing (a digest of every section, weekday mornings) and breaking news,
three dozen confirmed subscribers at example.com (their consent recorded with the source "demo"), this morning's
briefing as sent and a breaking-news issue as a draft.

No mail is sent, and no job is asked for: the sent issue is rendered as a worker renders it, and its delivery rows
are written as sent directly. Running it again changes nothing (development only)."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from articles.management.commands.demo_editor import USERNAME
from articles.models import Article
from newsletters import messages, sending
from newsletters.models import Delivery, Edition, EditionArticle, Newsletter, Subscriber, SubscriberEvent, Subscription

SOURCE = "demo"
BRIEFING = {
    "slug": "morning-briefing", "name": "Morning briefing", "cadence": "Weekday mornings", "position": 0,
    "description": "What happened overnight and what to watch today, from every section, before 7am.",
}  # fmt: skip
BREAKING = {
    "slug": "breaking-news", "name": "Breaking news", "cadence": "When news breaks", "position": 1,
    "description": "One e-mail when a big story breaks, and only then.",
}  # fmt: skip
READERS = (
    "ada", "ben", "chloe", "dev", "elif", "farah", "gus", "hana", "ivo", "jana", "kofi", "lea", "marek", "nina",
    "omar", "paula", "quinn", "rosa", "sami", "tara", "umar", "vera", "wim", "xena", "yusuf", "zoe", "anouk",
    "bruno", "carla", "dario", "emma", "felix", "greta", "hugo", "ines", "jonas",
)  # fmt: skip
SENT_SUBJECT = "Your morning briefing: storm on the coast, ceasefire talks resume"
SENT_INTRO = "Good morning. Storm Elin reached the coast last night; our live page follows it. Here is the rest."
DIGEST_ARTICLES = 6  # the sent digest starts just before the sixth newest story, whatever the demo's dates
DRAFT_SUBJECT = "Breaking: Storm Elin reaches the coast"
DRAFT_INTRO = "Storm Elin is reaching the coast with gusts of over 100 km/h. Follow it as it happens."


class Command(BaseCommand):
    help = (
        "Add the demo's newsletters: a morning briefing and breaking news, three dozen confirmed subscribers at "
        "example.com, one briefing sent (no mail: its deliveries are written as sent) and one draft "
        "(development only; running it again changes nothing)."
    )

    def handle(self, **options):
        if not settings.DEBUG:
            raise CommandError("demo_newsletters arranges demo content: it only runs with DJANGO_DEBUG on.")
        editor = get_user_model().objects.filter(username=USERNAME).first()
        with transaction.atomic():  # all of it or nothing
            briefing, made_briefing = Newsletter.objects.get_or_create(slug=BRIEFING["slug"], defaults=BRIEFING)
            breaking, made_breaking = Newsletter.objects.get_or_create(slug=BREAKING["slug"], defaults=BREAKING)
            added = sum(self.subscriber(name, briefing, breaking if n % 3 == 0 else None)
                        for n, name in enumerate(READERS))  # fmt: skip
            sent = self.sent_issue(briefing, editor)
            draft = self.draft(breaking, editor)
        if not (made_briefing or made_breaking or added or sent or draft):
            self.stdout.write("Newsletters already there.")
            return
        self.stdout.write(
            f"Newsletters: “{briefing}” and “{breaking}”, {added} subscribers added"
            + (", this morning's briefing marked sent (no mail)" if sent else "")
            + (", a breaking-news draft" if draft else "")
        )

    def subscriber(self, name, *lists):
        """A confirmed address on ``lists`` with its consent as the sign-up records it; False when it was there."""
        email = f"{name}@example.com"
        if Subscriber.objects.filter(email__iexact=email).exists():
            return False
        asked = timezone.now() - timedelta(days=20 + len(name))
        confirmed = asked + timedelta(minutes=4)
        subscriber = Subscriber.objects.create(email=email, status=Subscriber.Status.ACTIVE, created_at=asked,
                                               confirmed_at=confirmed, source=SOURCE)  # fmt: skip
        for newsletter in filter(None, lists):
            Subscription.objects.create(
                subscriber=subscriber, newsletter=newsletter, status=Subscription.Status.ACTIVE,
                requested_at=asked, source=SOURCE, consented_at=confirmed,
            )  # fmt: skip
            SubscriberEvent.objects.create(subscriber=subscriber, at=asked, kind="asked", newsletter=newsletter,
                                           detail=SOURCE)  # fmt: skip
            SubscriberEvent.objects.create(subscriber=subscriber, at=confirmed, kind="confirmed", newsletter=newsletter)
        return True

    def sent_issue(self, briefing, editor):
        """This morning's digest, rendered and written as sent to every subscriber of the list; None when there."""
        if Edition.objects.filter(newsletter=briefing, subject=SENT_SUBJECT).exists():
            return None
        newest = list(Article.objects.published().order_by("-published_at").values_list("published_at", flat=True)
                      [:DIGEST_ARTICLES])  # fmt: skip
        now = timezone.now()
        started = now - timedelta(hours=2)
        since = newest[-1] - timedelta(minutes=1) if newest else started - timedelta(days=1)
        edition = Edition.objects.create(
            newsletter=briefing, subject=SENT_SUBJECT, intro=SENT_INTRO, mode=Edition.Mode.DIGEST, created_by=editor,
            created_at=started - timedelta(minutes=30), send_at=started,
        )  # fmt: skip
        rendered = messages.render(edition, since=since)
        finished = started + timedelta(seconds=40)
        audience = list(sending.audience(briefing.pk, started).values_list("pk", flat=True))
        Delivery.objects.bulk_create(
            Delivery(
                edition=edition,
                subscriber_id=pk,
                status=Delivery.Status.SENT,
                attempts=1,
                due_at=started,
                sent_at=finished,
            )  # fmt: skip
            for pk in audience
        )
        edition.status, edition.started_at, edition.finished_at = Edition.Status.SENT, started, finished
        edition.digest_since, edition.total = since, len(audience)
        edition.html, edition.text = rendered.html, rendered.text
        edition.carry(rendered.article_pks, timezone.now())
        edition.save()
        return edition

    def draft(self, breaking, editor):
        """A breaking-news issue with the live page, not sent; None when there."""
        if Edition.objects.filter(newsletter=breaking, subject=DRAFT_SUBJECT).exists():
            return None
        edition = Edition.objects.create(newsletter=breaking, subject=DRAFT_SUBJECT, intro=DRAFT_INTRO,
                                         created_by=editor)  # fmt: skip
        live = Article.objects.published().filter(live_from__isnull=False).order_by("-published_at").first()
        if live is not None:
            EditionArticle.objects.create(edition=edition, article=live)
        return edition
