"""Publish one new article in the configured database, as an editor's publish would (used by the
publish-under-load benchmarks, ``make bench-thundering-herd`` and ``make bench-edge``)."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from articles.models import Article, Author, Byline  # noqa: E402

HARBOUR = "Topic Harbour"  # the tag every published article gets


def publish(title=None, section=None, on_commit=None):
    """A new published article with a byline and a tag, in one transaction; ``on_commit`` is called the moment
    it commits, before the app's own on-commit work (what a purge is timed from)."""
    now = timezone.now()
    with transaction.atomic():
        if on_commit is not None:
            transaction.on_commit(on_commit)
        article = Article(
            title=title or f"Breaking: harbour bridge shut at {now:%H:%M:%S}",
            dek="Traffic is diverted while engineers inspect the span.",
            body="The harbour bridge was closed this morning.\n\n## What happens next\n\nInspections take a day.",
            status=Article.Status.PUBLISHED,
            published_at=now,
            section=section,
        )
        article.save()
        author = Author.objects.order_by("pk").first()
        if author is not None:
            Byline.objects.create(article=article, author=author, position=0)
        article.tags.add(HARBOUR)
    return article


def main():
    print(f"published {publish().get_absolute_url()}")


if __name__ == "__main__":
    main()
