"""Put the demo's desk in motion: a few articles at each step of the workflow, so the admin's front page
shows what a working day looks like. Runs once (development only)."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from articles.management.commands.demo_editor import USERNAME, WRITER
from articles.models import Article, Author, Byline, Correction, Image, Section
from articles.workflow import transitions

MARK = "demo:desk:"
BODY = (
    "{dek}\n\nThe decision was taken on Tuesday evening after a debate of two hours.\n\n"
    "## What happens next\n\n- The first works are planned for the spring.\n- A public meeting is due next month.\n\n"
    "> We have waited long enough, said a resident who spoke at the meeting.\n\nMore to follow."
)
STORIES = [
    ("draft", "Ferry operator weighs winter timetable", "Talks with the port continue; a decision is due in January."),
    ("review", "Market hall repairs to start in spring", "The council approved the budget after a two-year delay."),
    ("assigned", "New cycle lanes for the river quarter", "Residents will be asked about three routes next month."),
    ("sent_back", "Library extends weekend opening hours", "A pilot on Sundays starts in the new year."),
    ("embargoed", "Regional jobs report shows steady hiring", "Figures under embargo until the statistics office "
                                                             "publishes them."),
]  # fmt: skip


class Command(BaseCommand):
    help = "Arrange demo articles at each workflow step for the desk (development only, once)."

    def handle(self, **options):
        if not settings.DEBUG:
            raise CommandError("demo_desk arranges demo content: it only runs with DJANGO_DEBUG on.")
        User = get_user_model()
        editor, writer = User.objects.filter(username=USERNAME).first(), User.objects.filter(username=WRITER).first()
        if editor is None or writer is None:
            raise CommandError("run demo_editor first: the desk needs the demo editor and writer accounts.")
        if Article.objects.filter(source_key__startswith=MARK).exists():
            self.stdout.write("Desk already arranged.")
            return
        author = getattr(writer, "author", None) or Author.objects.first()
        section = Section.objects.order_by("position", "pk").first()
        picture = Image.objects.exclude(alt="").order_by("pk").first()
        now = timezone.now()
        # Their e-mails would only fill the console: these steps are the demo's past.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"), transaction.atomic():
            for step, title, dek in STORIES:
                article = Article.objects.create(
                    title=title, dek=dek, body=BODY.format(dek=dek), created_by=writer, section=section,
                    lead_image=picture, source_key=f"{MARK}{step}",
                )  # fmt: skip
                article.tags.add("Local government")
                if author is not None:
                    Byline.objects.create(article=article, author=author)
                if step in ("review", "assigned", "sent_back", "embargoed"):
                    transitions.apply(article, "submit", writer, comment="Quotes checked with the council's office.")
                if step == "assigned":
                    article.refresh_from_db()
                    article.assignee, article._history_user = editor, editor
                    article.save()
                if step == "sent_back":
                    transitions.apply(article, "send_back", editor, comment="Please add the library's own figures.")
                if step == "embargoed":
                    ends = (now + timedelta(hours=20)).replace(minute=0, second=0, microsecond=0)
                    article.refresh_from_db()
                    article.embargo_until = ends
                    article.save()
                    transitions.apply(article, "schedule", editor, when=ends)
            corrected = Article.objects.published().order_by("-published_at").first()
            if corrected is not None:
                Correction.objects.create(
                    article=corrected, created_by=editor,
                    text="An earlier version of this article gave the wrong date for the vote. It is on Thursday.",
                )  # fmt: skip
        self.stdout.write(f"Desk arranged: {len(STORIES)} articles at each step of the workflow, one correction.")
