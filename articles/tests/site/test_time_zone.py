from datetime import UTC, datetime

import pytest

from articles.models import SiteSettings
from articles.tests.factories import change_url, make_article

pytestmark = pytest.mark.django_db


def test_readers_and_editors_see_times_in_the_sites_time_zone(client, client_for, editor):
    """One middleware shows a reader's article page and the admin's form in the site's display time zone."""
    site = SiteSettings.load()
    site.time_zone = "Asia/Kolkata"  # UTC+05:30: no coincidence with UTC
    site.save()
    article = make_article(title="Tide tables", published_at=datetime(2026, 3, 1, 6, 0, tzinfo=UTC))
    assert "1 March 2026, 11:30 IST" in client.get(article.get_absolute_url()).content.decode()
    form = client_for(editor).get(change_url(article)).content.decode()
    assert 'value="11:30:00"' in form
