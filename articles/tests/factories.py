import itertools
from datetime import timedelta

from django.utils import timezone

from articles.models import Article, Author, Byline

_counter = itertools.count(1)


def make_author(name=None, **fields):
    return Author.objects.create(name=name or f"Reporter {next(_counter)}", **fields)


def make_article(*, authors=(), tags=(), **fields):
    """An article, published an hour ago unless told otherwise."""
    n = next(_counter)
    fields.setdefault("title", f"Headline number {n}")
    fields.setdefault("dek", f"Summary of story {n}.")
    fields.setdefault("body", f"Body of story {n}.\n\nA second paragraph.")
    fields.setdefault("status", Article.Status.PUBLISHED)
    fields.setdefault("published_at", timezone.now() - timedelta(hours=1))
    article = Article.objects.create(**fields)
    for position, author in enumerate(authors):
        Byline.objects.create(article=article, author=author, position=position)
    if tags:
        article.tags.add(*tags)
    return article
