"""Stored HTML rendered again from its Markdown, without an edit: no version, revision or modification time
changes, and a row saved meanwhile keeps that save (which rendered it with the current renderer anyway)."""

from . import markup
from .models import Article, Author, Correction


def _article(row):
    html, key = Article.rendering(row.body, row.title, row.lead_image_url)
    # Only if the row is still the version that was read: a concurrent save wins.
    return {"pk": row.pk, "version": row.version}, {"body_html": html, "body_html_key": key}


def _author(row):
    return {"pk": row.pk, "bio": row.bio}, {"bio_html": markup.render_markdown(row.bio)}


def _correction(row):
    return {"pk": row.pk, "text": row.text}, {"text_html": markup.render_markdown(row.text)}


KINDS = [
    ("articles", Article, ["body", "title", "lead_image_url", "version"], _article),
    ("author bios", Author, ["bio"], _author),
    ("corrections", Correction, ["text"], _correction),
]
