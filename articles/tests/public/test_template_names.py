"""The templates name only what an article has: Django renders a misspelt or renamed attribute as nothing."""

import re

from django.conf import settings

from articles.models import Article

ARTICLE_ATTRIBUTE = re.compile(r"\barticle\.(\w+)")


def test_every_article_attribute_a_template_names_exists():
    """Each ``article.<name>`` in the project's templates is a field, property or method of Article."""
    named = {
        (str(path.relative_to(settings.BASE_DIR)), name)
        for directory in settings.TEMPLATES[0]["DIRS"]
        for path in directory.rglob("*")
        if path.is_file()
        for name in ARTICLE_ATTRIBUTE.findall(path.read_text(encoding="utf-8"))
    }
    assert named, "no template names an article attribute: the pattern or the template directory moved"
    assert sorted((path, name) for path, name in named if not hasattr(Article, name)) == []
