"""The demo's newsroom pages: about us, the masthead, the ethics and corrections policies, contact and tips and
the accessibility statement, published and linked from every page's footer (their texts in demo/pages).

A page is added only for a role no page has yet: an editor's edit of a demo page (or a page of their own in its
role) is never overwritten, and running it again changes nothing (development only)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from about.models import NewsroomPage, Role

TEXTS = Path(settings.BASE_DIR) / "demo" / "pages"
PAGES = [  # role, title, slug, summary (the order is the footer's)
    (Role.ABOUT, "About us", "about-us", "Who we are, what we cover and who pays for it."),
    (Role.MASTHEAD, "Masthead", "masthead", "The editors responsible for what we publish, and the desks."),
    (Role.ETHICS, "Ethics policy", "ethics-policy", "How we keep our reporting accurate, fair and independent."),
    (Role.CORRECTIONS, "Corrections policy", "corrections-policy",
     "How we correct our mistakes, and how to ask for a correction."),
    (Role.CONTACT, "Contact and tips", "contact-and-tips",
     "How to reach the newsroom, send us a tip or ask for a correction."),
    (Role.ACCESSIBILITY, "Accessibility statement", "accessibility-statement",
     "How we make the site usable by everyone, and what is not right yet."),
]  # fmt: skip


class Command(BaseCommand):
    help = (
        "Add the demo's newsroom pages (about us, masthead, ethics and corrections policies, contact and tips, "
        "accessibility statement), published and in the footer; a role that already has a page is left as it is "
        "(development only; running it again changes nothing)."
    )

    def handle(self, **options):
        if not settings.DEBUG:
            raise CommandError("demo_about adds demo content: it only runs with DJANGO_DEBUG on.")
        added = []
        with transaction.atomic():  # all of them or none
            taken = set(NewsroomPage.objects.values_list("role", flat=True))
            for position, (role, title, slug, summary) in enumerate(PAGES):
                if role in taken:
                    continue
                if NewsroomPage.objects.filter(slug=slug).exists():
                    slug = ""  # another page has the address: the title gives a free one
                body = (TEXTS / f"{role}.md").read_text(encoding="utf-8")
                NewsroomPage.objects.create(role=role, title=title, slug=slug, summary=summary, body=body,
                                            published=True, in_footer=True, position=position)  # fmt: skip
                added.append(title)
        if added:
            self.stdout.write(f"Newsroom pages added: {', '.join(added)}.")
        else:
            self.stdout.write("Newsroom pages: each role already has its page; nothing changed.")
