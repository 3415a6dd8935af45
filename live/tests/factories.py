from datetime import timedelta

from django.utils import timezone

from articles.tests.factories import make_article


def make_live_article(**fields):
    """A published live page whose coverage began ten minutes ago and runs on."""
    fields.setdefault("live_from", timezone.now() - timedelta(minutes=10))
    return make_article(**fields)
