"""Stored HTML rendered again from its Markdown, without an edit: no version, revision or modification time
changes, and a row saved meanwhile keeps that save (which rendered it with the current renderer anyway).

Two things a rendering depends on besides its text: the renderer (``markdown.RENDERER_VERSION``: after an upgrade
``manage.py rerender_markdown`` renders every row again) and the host of the site's public address, which
decides which links are marked external. When an editor moves the site to another host, the rows whose text
mentions the old or the new one are rendered again at once (``after_move``, a receiver of ``site_moved``, which
the site's settings send without knowing who renders what); no other row can change.
"""

import contextlib
from collections.abc import Callable
from typing import NamedTuple

from django.db import models, transaction
from django.db.models import Q

from articles.markup import markdown
from articles.models.articles import Article
from articles.models.corrections import Correction, record_pictures
from articles.models.people import Author
from pagecache.registry import retiring_once


def _article(row, site_host):
    html, key = Article.rendering(row.body, row.title, row.lead_image_url, site_host=site_host)
    # Only if the row is still the version that was read: a concurrent save wins.
    return {"pk": row.pk, "version": row.version}, {"body_html": html, "body_html_key": key}


def _author(row, site_host):
    return {"pk": row.pk, "bio": row.bio}, {"bio_html": markdown.render_markdown(row.bio, site_host=site_host)}


def _correction(row, site_host):
    return {"pk": row.pk, "text": row.text}, {"text_html": markdown.render_markdown(row.text, site_host=site_host)}


class RenderedKind(NamedTuple):
    """Rows whose HTML is rendered from Markdown: what they are called in progress lines, their model, the
    Markdown field, the fields ``render`` reads, and ``render(row, site_host) -> (where, values)``."""

    label: str
    model: type[models.Model]
    field: str
    fields: list[str]
    render: Callable


KINDS = [
    RenderedKind("articles", Article, "body", ["body", "title", "lead_image_url", "version"], _article),
    RenderedKind("author bios", Author, "bio", ["bio"], _author),
    RenderedKind("corrections", Correction, "text", ["text", "article_id"], _correction),
]


def render_again(model, rows, render, site_host, **values):
    """Render ``rows`` again and store the HTML (with ``values``) where each row is still as read; the number
    stored. Articles' recorded pictures follow their bodies and corrections."""
    stored = 0
    with transaction.atomic(), retiring_once():
        for row in rows:
            where, rendered = render(row, site_host)
            stored += model.objects.filter(**where).update(**rendered, **values)
        if model in (Article, Correction):  # the library pictures each body and correction shows, as rendered now
            articles = [row.pk if model is Article else row.article_id for row in rows]
            record_pictures(list(Article.objects.filter(pk__in=articles).only("pk", "body_html")))
    return stored


def _spellings(host):
    """A host as a text may spell it: as given, and in its Unicode or its ASCII (punycode) form."""
    spellings = {host}
    for spell in (lambda name: name.encode("idna").decode("ascii"), lambda name: name.encode("ascii").decode("idna")):
        with contextlib.suppress(UnicodeError):
            spellings.add(spell(host))
    return {spelling for spelling in spellings if spelling}


def after_move(sender, old_host, new_host, **kwargs):
    """The site's public address moved from ``old_host`` to ``new_host`` (``signals.site_moved``): links to the
    old host now leave the site and links to the new one no longer do, so every text that mentions either is
    rendered again."""
    hosts = _spellings(old_host) | _spellings(new_host)
    for kind in KINDS:
        mentions = Q()
        for host in hosts:
            mentions |= Q(**{f"{kind.field}__icontains": host})
        if mentions:
            rows = list(kind.model.objects.filter(mentions).only(*kind.fields))
            render_again(kind.model, rows, kind.render, new_host)
