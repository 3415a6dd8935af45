"""Articles in every state readers cannot see, each with things seen only through it."""

import itertools
from datetime import timedelta

from django.utils import timezone

from articles.models import Article, Correction, Section
from articles.tests.factories import make_article, make_author, make_picture
from live.models import Update

_shades = itertools.count(20, 3)
HIDDEN_STATES = ("draft", "review", "scheduled", "embargoed", "expired", "withdrawn")


def _state_fields(state):
    now = timezone.now()
    return {
        "draft": {"status": Article.Status.DRAFT, "published_at": None},
        "review": {"status": Article.Status.REVIEW, "published_at": None},
        "scheduled": {"published_at": now + timedelta(days=1)},
        "embargoed": {"published_at": now - timedelta(hours=1), "embargo_until": now + timedelta(days=1)},
        "expired": {"published_at": now - timedelta(days=2), "expires_at": now - timedelta(days=1)},
        "withdrawn": {"status": Article.Status.WITHDRAWN, "published_at": now - timedelta(days=3)},
    }[state]


def make_story(marker, **fields):
    """An article of its own section, tag and author, with a lead picture, a picture in its body, a correction
    and, as a live page, an update: each named after ``marker``."""
    section = Section.objects.create(name=f"Section {marker}", slug=f"section-{marker}")
    shade = next(_shades)
    lead, inline = make_picture(color=(shade, 10, 10)), make_picture(color=(10, shade, 10))  # not the same bytes
    article = make_article(
        title=f"Headline {marker}",
        slug=f"headline-{marker}",
        body=f"Text of {marker}.\n\n![A picture of {marker}](image:{inline.pk})",
        section=section,
        lead_image=lead,
        authors=[make_author(f"Author {marker}", slug=f"author-{marker}")],
        tags=[f"tag-{marker}"],
        live_from=timezone.now() - timedelta(minutes=5),
        **fields,
    )
    Correction.objects.create(article=article, text=f"Correction of {marker}.")
    Update.objects.create(article=article, headline=f"Update {marker}", body=f"Update text of {marker}.")
    return article


def make_hidden_stories():
    """{state: article} for every state readers cannot see."""
    return {state: make_story(state, **_state_fields(state)) for state in HIDDEN_STATES}
