"""Nothing worked out from the clock is kept past the moment it depends on, to the millisecond.

A scheduled publication at T is checked on every reader surface a millisecond before T, at T and a millisecond
after, through the test client with the page cache on, on the file cache and on a real Redis (whose own expiry
runs on its own clock, in whole seconds, and knows nothing of the travelling clock here).
"""

import uuid
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from articles.models import Article, Pin, Section
from articles.tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db

MS = timedelta(milliseconds=1)


@pytest.fixture(params=["file", "redis"])
def shared_cache(request, settings, tmp_path):
    """The shared cache of a real deployment: a folder of files, or Redis (keys of this test's own)."""
    if request.param == "file":
        default = {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(tmp_path / "c")}
    else:
        redis_database = request.getfixturevalue("redis_database")
        prefix = f"fresh-{uuid.uuid4().hex[:8]}"
        default = {"BACKEND": "newsroom.cachebackend.ResilientRedisCache",
                   "LOCATION": redis_database, "KEY_PREFIX": prefix}  # fmt: skip
    settings.CACHES = {**settings.CACHES, "default": default}
    assert settings.NEWSROOM_PAGE_CACHE_SECONDS > 0
    yield request.param
    if request.param == "redis":
        import redis

        server = redis.Redis.from_url(redis_database)
        keys = list(server.scan_iter(f"{prefix}:*"))
        if keys:
            server.delete(*keys)
    else:
        cache.clear()


@pytest.fixture
def moment():
    """T, a few minutes ahead: the scheduled moment of every test here."""
    return timezone.now().replace(microsecond=0) + timedelta(minutes=5)


@pytest.fixture
def scheduled(moment):
    """What goes live at T, and the pages that show it: (url, text shown from T) for every reader surface."""
    old = timezone.now().replace(year=2020, month=3)
    desk = make_author("Ann Desk")
    known = make_article(title="Harbour reopens", published_at=old, authors=[desk], tags=["Harbour"])
    make_article(title="Older harbour news", published_at=old - timedelta(days=1), authors=[desk], tags=["Harbour"])
    section = Section.objects.create(name="Night desk", slug="night-desk", in_navigation=True)
    byline = make_author("Tess Scheduled")
    article = make_article(title="Lead at the stroke", published_at=moment, section=section, authors=[byline],
                           tags=["Harbour", "Stroke only"])  # fmt: skip
    Pin.objects.create(article=article, place=Pin.Place.LEAD)
    url = article.get_absolute_url()
    return [
        ("/", "Lead at the stroke"),  # the pinned lead, placed by the front page's layout
        (known.get_absolute_url(), f'href="{url}"'),  # the related list
        ("/archive/", f'href="/archive/{moment.year}/{moment.month}/"'),  # the archive's months
        ("/corrections/", 'href="/sections/night-desk/"'),  # the navigation, on a page that shows nothing else of it
        ("/sections/night-desk/", "Lead at the stroke"),
        ("/tags/stroke-only/", "Lead at the stroke"),
        ("/tags/", 'href="/tags/stroke-only/"'),
        (byline.get_absolute_url(), "Lead at the stroke"),
        (url, "Lead at the stroke"),
        ("/latest/", "Lead at the stroke"),
        ("/feed/rss/", "Lead at the stroke"),
        ("/sections/night-desk/feed/atom/", "Lead at the stroke"),
        ("/tags/harbour/feed/json/", "Lead at the stroke"),
        ("/sitemap-articles.xml", url),
        ("/sitemap-news.xml", url),
    ]


def _shows(client, url, text):
    response = client.get(url)
    assert response.status_code in (200, 404), url
    return response.status_code == 200 and text in response.content.decode()


def test_a_scheduled_publication_shows_everywhere_from_its_moment(client, shared_cache, moment, scheduled,
                                                                  time_machine):  # fmt: skip
    time_machine.move_to(moment - MS, tick=False)
    for url, text in scheduled:
        assert not _shows(client, url, text), url
        assert not _shows(client, url, text), url  # and from the cache
    for now in (moment, moment + MS):
        time_machine.move_to(now, tick=False)
        for url, text in scheduled:
            assert _shows(client, url, text), (url, now - moment)
            assert _shows(client, url, text), (url, now - moment)


def test_a_page_rendered_around_the_moment_is_not_kept_with_what_was_true_before(client, shared_cache, moment,
                                                                                 scheduled, time_machine):  # fmt: skip
    """What every page reads worked out 900 ms before T, the front page's layout 500 ms before, the front page
    rendered again 200 ms after T: it shows the new lead, and so does every later visit."""
    time_machine.move_to(moment - timedelta(milliseconds=900), tick=False)
    assert not _shows(client, "/corrections/", 'href="/sections/night-desk/"')
    time_machine.move_to(moment - timedelta(milliseconds=500), tick=False)
    assert not _shows(client, "/", "Lead at the stroke")
    for later in (timedelta(milliseconds=200), timedelta(seconds=2), timedelta(minutes=5)):
        time_machine.move_to(moment + later, tick=False)
        assert _shows(client, "/", "Lead at the stroke"), later


def test_an_embargo_ending_shows_the_article_from_its_moment(client, shared_cache, moment, time_machine):
    article = make_article(title="Results under embargo", embargo_until=moment)
    time_machine.move_to(moment - MS, tick=False)
    for _ in range(2):
        assert not _shows(client, "/", "Results under embargo")
        assert client.get(article.get_absolute_url()).status_code == 404
    time_machine.move_to(moment, tick=False)
    assert _shows(client, "/", "Results under embargo")
    assert client.get(article.get_absolute_url()).status_code == 200


def test_an_expiring_article_leaves_every_list_at_its_moment(client, shared_cache, moment, time_machine):
    make_article(title="Road closure today", expires_at=moment, tags=["Roads"])
    time_machine.move_to(moment - MS, tick=False)
    for url in ("/", "/tags/roads/", "/feed/atom/"):
        assert _shows(client, url, "Road closure today") and _shows(client, url, "Road closure today"), url
    time_machine.move_to(moment, tick=False)
    for url in ("/", "/tags/roads/", "/feed/atom/"):
        assert not _shows(client, url, "Road closure today"), url
    assert Article.objects.published().filter(title="Road closure today").count() == 0


@pytest.mark.parametrize("page_cache", [0, 600])
def test_a_cdn_is_told_to_keep_a_page_no_longer_than_the_next_moment(client, settings, moment, page_cache,
                                                                     time_machine):  # fmt: skip
    """Pages for readers carry s-maxage for a CDN in front, with the page cache on or off."""
    settings.NEWSROOM_PAGE_CACHE_SECONDS = page_cache
    make_article(title="Lead at the stroke", published_at=moment)
    time_machine.move_to(moment - timedelta(seconds=10), tick=False)
    assert "s-maxage=10" in client.get("/")["Cache-Control"]
    time_machine.move_to(moment - MS, tick=False)
    assert "s-maxage=0" in client.get("/")["Cache-Control"]
    time_machine.move_to(moment, tick=False)
    assert "s-maxage=30" in client.get("/")["Cache-Control"]
