"""Fixtures of the desk's e-mail tests."""

import pytest

from articles.models import Article, Byline
from articles.tests.factories import make_article


@pytest.fixture
def story(writer, editor):
    """A writer's draft, bylined to her, with an editor to act on it; both have addresses the desk's e-mail
    goes to."""
    writer.email, editor.email = "wendy@example.org", "eddie@example.org"
    writer.save()
    editor.save()
    article = make_article(title="Pier closes", status=Article.Status.DRAFT, published_at=None, created_by=writer)
    Byline.objects.create(article=article, author=writer.author)
    return article
