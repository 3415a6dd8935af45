"""Publish one new article in the configured database, as an editor's publish would (used by the
publish-under-load benchmark, ``make bench-thundering-herd``)."""

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


def main():
    now = timezone.now()
    with transaction.atomic():
        article = Article(
            title=f"Breaking: harbour bridge shut at {now:%H:%M:%S}",
            dek="Traffic is diverted while engineers inspect the span.",
            body="The harbour bridge was closed this morning.\n\n## What happens next\n\nInspections take a day.",
            status=Article.Status.PUBLISHED,
            published_at=now,
        )
        article.save()
        author = Author.objects.order_by("pk").first()
        if author is not None:
            Byline.objects.create(article=article, author=author, position=0)
        article.tags.add("Topic Harbour")
    print(f"published {article.get_absolute_url()}")


if __name__ == "__main__":
    main()
