"""Malformed input to a live page and its permalinks: a 404 on the site's own error page, never a 500."""

import pytest

from live import stream
from live.tests.factories import make_live_article

pytestmark = pytest.mark.django_db

PAGES = ["-1", "0", "abc", "1e9", "9" * 40, "2", " 1", "١", "1.0", ""]
PKS = ["0", "9" * 40, "-1", "abc", "1.5", "%ff%fe"]


@pytest.fixture
def live(editor):
    article = make_live_article(slug="count-night")
    stream.post(article, editor, body="One.")
    return article


@pytest.mark.parametrize("page", PAGES)
def test_a_bad_page_of_updates_is_a_404(client, live, page):
    """A page number that is no page of the stream is a 404 saying so."""
    response = client.get(f"/articles/{live.slug}/", {"page": page})
    assert response.status_code == 404 and '<header class="site-header">' in response.content.decode()


@pytest.mark.parametrize("pk", PKS)
def test_a_bad_update_number_is_a_404(client, live, pk):
    """An update number that names no update is a 404, however large or malformed."""
    response = client.get(f"/articles/{live.slug}/updates/{pk}/")
    assert response.status_code == 404 and '<header class="site-header">' in response.content.decode()
