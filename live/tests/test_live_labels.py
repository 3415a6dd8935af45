"""The LIVE label on every list's card and on a banner leading to a live page, while coverage runs: it comes and
goes with the coverage times, through the page cache and the cards kept as fragments."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Banner, Section
from articles.tests.factories import make_article, make_author
from live.tests.factories import make_live_article

pytestmark = pytest.mark.django_db

LABEL = '<span class="live-label">Live</span> <a href="{}">'


@pytest.fixture
def lists():
    """A live page in a section, with a tag and an author, and the addresses of every list showing its card."""
    section = Section.objects.create(name="Elections", position=1)
    author = make_author("Poll Watcher")
    start = timezone.now() + timedelta(minutes=5)
    article = make_live_article(title="Count night", section=section, authors=[author], tags=["Vote"],
                                live_from=start, live_until=start + timedelta(hours=1))  # fmt: skip
    other = make_article(title="Quiet story", section=section, authors=[author], tags=["Vote"])
    urls = ["/", "/latest/", section.get_absolute_url(), "/tags/vote/", author.get_absolute_url(), "/archive/"]
    return article, other, urls


def labelled(client, url, article):
    return LABEL.format(article.get_absolute_url()) in client.get(url).content.decode()


def test_cards_say_live_while_coverage_runs(client, lists, time_machine):
    """Before coverage starts no card says LIVE; while it runs every list's card does; once it ends none does."""
    article, other, urls = lists
    for url in urls:
        assert not labelled(client, url, article), url
    time_machine.move_to(article.live_from + timedelta(seconds=1))
    for url in urls:
        assert labelled(client, url, article), url
        assert not labelled(client, url, other), url
    time_machine.move_to(article.live_until + timedelta(seconds=1))
    for url in urls:
        assert not labelled(client, url, article), url


def test_moving_coverage_times_moves_the_label(client, lists):
    """Ending coverage early takes the label off at once; starting it now puts it on."""
    article, _, urls = lists
    article.live_from = timezone.now() - timedelta(minutes=1)
    article.save()
    assert all(labelled(client, url, article) for url in urls)
    article.live_until = timezone.now()
    article.save()
    assert not any(labelled(client, url, article) for url in urls)


def test_a_banner_leading_to_a_running_live_page_says_live(client, lists):
    """The banner says LIVE instead of Breaking while the page it leads to is running."""
    article, other, _ = lists
    Banner.objects.create(text="Follow the count", article=article, expires_at=timezone.now() + timedelta(hours=2))
    page = client.get(other.get_absolute_url()).content.decode()
    assert "<strong>Breaking</strong>" in page
    article.live_from = timezone.now() - timedelta(minutes=1)
    article.save()
    page = client.get(other.get_absolute_url()).content.decode()
    assert '<strong class="live-label">Live</strong>' in page and "<strong>Breaking</strong>" not in page
