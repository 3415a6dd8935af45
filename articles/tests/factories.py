import functools
import importlib
import io
import itertools
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image as PillowImage

from articles.models import Article, Author, Byline, KindOfWork

_counter = itertools.count(1)


def make_author(name=None, **fields):
    return Author.objects.create(name=name or f"Reporter {next(_counter)}", **fields)


def kind_of_work(name):
    """The kind of work called ``name``: one of those migration 0024 starts the desk with, made again as it makes
    them when a test that empties the database ran before; any other name, a NewsArticle kind."""
    starting = importlib.import_module("articles.migrations.0024_kinds_of_work").KINDS
    found = {row[0]: row for row in starting}
    _, slug, schema_type, sponsored, description = found.get(name, (name, "", "NewsArticle", False, ""))
    defaults = {"slug": slug, "schema_type": schema_type, "sponsored": sponsored, "description": description}
    return KindOfWork.objects.get_or_create(name=name, defaults=defaults)[0]


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


@functools.cache
def picture_bytes(size=(1200, 800), color=(40, 90, 160), fmt="JPEG"):
    """A small photo: two colours, so that crops can be told apart. Made once a test run for each size, colour and
    format (bytes cannot be changed by a test that uses them)."""
    image = PillowImage.new("RGB", size, color)
    image.paste((230, 200, 30), (size[0] * 3 // 4, 0, size[0], size[1] // 4))  # a yellow top-right corner
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return buffer.getvalue()


def make_picture(size=(1200, 800), color=(40, 90, 160), name="photo.jpg", **fields):
    """A library picture, cleaned and with its renditions, as an upload makes it."""
    from articles.models import Image

    picture, _ = Image.objects.add(SimpleUploadedFile(name, picture_bytes(size, color), "image/jpeg"), **fields)
    return picture


def article_form(**fields):
    """What the admin's add form posts for a new article, with ``fields`` typed in."""
    data = {"title": "", "slug": "", "dek": "", "body": "", "tags": "", "version": 0, "lead_image": "",
            "lead_image_url": "", "lead_image_alt": "", "lead_image_caption": "", "lead_image_credit": "",
            "transition_comment": "", "withdrawal_note": ""}  # fmt: skip
    for prefix in ("bylines", "corrections", "share_links", "aliases", "transitions"):
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}
    return {**data, **fields}


def draft_by(user, **fields):
    """A draft the user started, ready for the checklist (dek and byline)."""
    fields.setdefault("status", Article.Status.DRAFT)
    fields.setdefault("published_at", None)
    article = make_article(created_by=user, **fields)
    author = getattr(user, "author", None) or make_author()
    Byline.objects.create(article=article, author=author)
    return article


def refresh(article):
    """The article as stored now."""
    return Article.objects.get(pk=article.pk)


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def form_data(article, **overrides):
    """The article's change form as the admin fills it in, with ``overrides`` posted instead."""
    data = {
        "title": article.title,
        "slug": article.slug,
        "dek": article.dek,
        "body": article.body,
        "kind": article.kind_id or "",
        "sponsor": article.sponsor,
        "tags": "",
        "version": article.version,
        "lead_image": article.lead_image_id or "",
        "lead_image_url": "",
        "lead_image_alt": "",
        "lead_image_caption": "",
        "lead_image_credit": "",
        "transition_comment": "",
        "withdrawal_note": "",
    }
    for name in ("published_at", "expires_at"):
        value = getattr(article, name)
        if value:
            local = timezone.localtime(value)
            data |= {f"{name}_0": local.strftime("%Y-%m-%d"), f"{name}_1": local.strftime("%H:%M:%S.%f")}
    for prefix, rows in (("bylines", article.bylines.all()), ("corrections", []), ("share_links", []),
                         ("aliases", []), ("transitions", [])):  # fmt: skip
        rows = list(rows)
        data |= {f"{prefix}-TOTAL_FORMS": len(rows), f"{prefix}-INITIAL_FORMS": len(rows)}
        for i, row in enumerate(rows):
            data |= {f"{prefix}-{i}-id": row.pk, f"{prefix}-{i}-article": article.pk,
                     f"{prefix}-{i}-author": row.author_id, f"{prefix}-{i}-position": row.position,
                     f"{prefix}-{i}-role": row.role}  # fmt: skip
    data.update(overrides)
    return data


def upload(data, name="photo.jpg", content_type="image/jpeg"):
    """A file as a browser posts it."""
    return SimpleUploadedFile(name, data, content_type=content_type)


def post_image(client, article, file, **fields):
    """Upload ``file`` as the article's lead picture through its change form."""
    data = form_data(refresh(article), lead_image_upload=file, lead_image_alt="Harbour at dawn", **fields)
    return client.post(change_url(article), data)
