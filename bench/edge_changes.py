"""The changes the edge benchmark times (``bench/edge_bench.py``), each made through the ORM in one transaction as the
admin would make it, with the pages that must show it and how a reader tells that they do.

Imported once Django is set up with the benchmark's settings, so the app's own on-commit work (the page cache's
new generation, the purge sent to the edge) runs here as it would in the admin.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from publish import HARBOUR, publish

from articles.models import Article, Banner, Correction, Pin, Section, SiteSettings


@dataclass
class Check:
    """A page that must show a change, and whether an answer (status, body) shows it."""

    path: str
    shows: Callable[[int, bytes], bool]


def showing(text):
    needle = text.encode()
    return lambda status, body: status == 200 and needle in body


def without(text):
    needle = text.encode()
    return lambda status, body: status == 200 and needle not in body


def gone(status, body):
    return status in (404, 410)


class Changes:
    """The seven kinds of change. Each method makes one, calls ``committed`` the moment its transaction
    commits (before the app's own on-commit work, which sends the purge), and returns the checks.

    ``pages`` names the pages a reader would visit: home, latest, section, article, tag, author, rss."""

    KINDS = ["publish", "edit", "withdrawal", "correction", "banner", "pin", "site settings"]

    def __init__(self, pages):
        self.pages = pages
        self.section = Section.objects.get(slug=pages["section"].strip("/").rsplit("/", 1)[-1])
        self.published = []  # the articles the publishes made: edited, then withdrawn, newest first
        shown = set(Pin.objects.values_list("article_id", flat=True))
        # Old articles for the pins: far down the archive, so none is on the front page before it is pinned.
        self.old = [pk for pk in Article.objects.published().newest_first().values_list("pk", flat=True)[300:400]
                    if pk not in shown]  # fmt: skip
        # An article no publish touches (not in the section they go to, without their tag): its page should
        # stay in the edge's cache through them.
        self.unrelated = (
            Article.objects.published().filter(pk__in=self.old).exclude(section=self.section)
            .exclude(tags__name=HARBOUR).order_by("pk").first().get_absolute_url()
        )  # fmt: skip
        self.reader_pages = [pages[name] for name in ("home", "latest", "section", "article", "tag", "author")]
        self.warm = [*self.reader_pages, pages["rss"], "/corrections/"]  # in the edge's cache before each change

    def make(self, kind, token, committed):
        with transaction.atomic():
            transaction.on_commit(committed)
            return getattr(self, kind.replace(" ", "_"))(token)

    def publish(self, token):
        article = publish(title=f"Harbour ferry {token} returns", section=self.section)
        self.published.append(article)
        path = article.get_absolute_url()
        return [Check(self.pages[name], showing(path)) for name in ("home", "section", "latest", "rss")]

    def edit(self, token):
        article = Article.objects.get(pk=self.published[-1].pk)
        article.title = f"Harbour ferry {token} edited"
        article.save()
        return [
            Check(article.get_absolute_url(), showing(article.title)),
            Check(self.pages["home"], showing(article.title)),
        ]

    def withdrawal(self, token):
        article = Article.objects.get(pk=self.published.pop().pk)
        article.status = Article.Status.WITHDRAWN
        article.withdrawal_note = f"Withdrawn {token}."
        article.save()
        path = article.get_absolute_url()
        return [Check(path, gone), Check(self.pages["home"], without(f'href="{path}"'))]

    def correction(self, token):
        article = Article.objects.get(slug=self.pages["article"].strip("/").rsplit("/", 1)[-1])
        Correction.objects.create(article=article, text=f"The ferry sails at nine, not ten ({token}).")
        return [Check(self.pages["article"], showing(token)), Check("/corrections/", showing(token))]

    def banner(self, token):
        now = timezone.now()
        Banner.objects.create(text=f"Ferry strike {token}", link="/sections/world/", starts_at=now,
                              expires_at=now + timedelta(hours=2))  # fmt: skip
        return [Check(path, showing(token)) for path in self.reader_pages]

    def pin(self, token):
        article = Article.objects.get(pk=self.old.pop())
        Pin.objects.create(article=article, place=Pin.Place.LEAD, position=0)
        return [Check(self.pages["home"], showing(f'href="{article.get_absolute_url()}"'))]

    def site_settings(self, token):
        site = SiteSettings.objects.get(pk=SiteSettings.SINGLETON)
        site.name = f"Harbour Times {token}"
        site.save()
        return [Check(path, showing(token)) for path in [*self.reader_pages, self.pages["rss"]]]
