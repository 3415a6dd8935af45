from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, Author, Correction
from articles.tests.factories import make_article, make_author
from articles.workflow import transitions

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    return make_article(title="Harbour reopens", authors=[make_author("Ann Byline")], tags=["Harbour"])


def test_second_anonymous_visit_is_served_from_the_cache(client, story, django_assert_num_queries):
    """The first visit renders; the second costs no query at all."""
    first = client.get("/")
    assert first["X-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get("/")
    assert second["X-Cache"] == "hit" and second.content == first.content


def test_cached_pages_carry_headers_for_a_cdn_and_answer_304(client, story, django_assert_num_queries, time_machine):
    """Shared caches may keep a page briefly; browsers revalidate with the ETag and get a 304 for free."""
    time_machine.move_to(timezone.now() + timedelta(seconds=2))  # Last-Modified counts whole seconds
    first = client.get(story.get_absolute_url())
    cache_control = first["Cache-Control"]
    assert "public" in cache_control and "max-age=0" in cache_control and "s-maxage=30" in cache_control
    assert "Cookie" in first["Vary"] and first["ETag"] and first["Last-Modified"]
    with django_assert_num_queries(0):
        again = client.get(story.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_publishing_shows_at_once_on_every_cached_page(client, story, writer, editor):
    """A new article appears on the cached home page, tag page, author page and feed right away."""
    author = story.authors.get()
    urls = ["/", "/tags/harbour/", author.get_absolute_url(), "/feed/rss/", "/archive/"]
    for url in urls:
        client.get(url)
        assert client.get(url)["X-Cache"] == "hit"
    article = make_article(title="Breaking: bridge shut", status=Article.Status.DRAFT, published_at=None,
                           created_by=writer, tags=["Harbour"], authors=[author])  # fmt: skip
    for url in urls:
        assert "Breaking: bridge shut" not in client.get(url).content.decode()
    transitions.apply(article, "publish", editor)
    for url in urls:
        response = client.get(url)
        assert response["X-Cache"] == "miss" and "Breaking: bridge shut" in response.content.decode(), url


def test_a_bulk_update_retires_cached_pages(client, story):
    """A queryset update, which sends no post_save, still shows on every cached page at once."""
    client.get("/")
    assert client.get("/")["X-Cache"] == "hit"
    assert Author.objects.filter(name="Ann Byline").update(name="Ann Renamed") == 1
    response = client.get("/")
    assert response["X-Cache"] == "miss" and "Ann Renamed" in response.content.decode()


def test_withdrawal_and_corrections_reach_the_cached_article(client, story, editor):
    url = story.get_absolute_url()
    client.get(url)
    Correction.objects.create(article=story, text="An earlier version misnamed the harbour.")
    assert "misnamed the harbour" in client.get(url).content.decode()
    transitions.apply(Article.objects.get(pk=story.pk), "withdraw", editor, public_note="Legal reasons.")
    assert client.get(url).status_code == 410


def test_renaming_a_tag_or_an_author_refreshes_pages(client, story):
    client.get("/tags/")
    client.get(story.get_absolute_url())
    tag = Tag.objects.get(name="Harbour")
    tag.name = "Harbours"
    tag.save()
    author = story.authors.get()
    author.name = "Ann B. Line"
    author.save()
    assert ">Harbours</a>" in client.get("/tags/").content.decode()
    assert "Ann B. Line" in client.get(story.get_absolute_url()).content.decode()


def test_a_scheduled_article_appears_at_its_time(client, story, time_machine):
    """No cached page outlives the next scheduled publication."""
    time_machine.move_to(timezone.now(), tick=False)
    make_article(title="Embargoed results", published_at=timezone.now() + timedelta(minutes=5))
    assert "Embargoed results" not in client.get("/").content.decode()
    assert client.get("/")["X-Cache"] == "hit"
    time_machine.shift(timedelta(minutes=5, seconds=1))
    response = client.get("/")
    assert response["X-Cache"] == "miss" and "Embargoed results" in response.content.decode()


def test_an_expiring_article_leaves_at_its_time(client, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    make_article(title="Road closure today", expires_at=timezone.now() + timedelta(minutes=2))
    assert "Road closure today" in client.get("/").content.decode()
    time_machine.shift(timedelta(minutes=2, seconds=1))
    assert "Road closure today" not in client.get("/").content.decode()


def test_staff_bypass_the_cache_and_never_fill_it(client, story, editor):
    """Signed-in staff get fresh, private pages; what they see is never served to others."""
    client.force_login(editor)
    response = client.get("/")
    assert not response.has_header("X-Cache")
    assert "private" in response["Cache-Control"] and "no-cache" in response["Cache-Control"]
    client.logout()
    assert client.get("/")["X-Cache"] == "miss"


def test_unknown_query_parameters_do_not_split_the_cache(client, story):
    """?utm_source=… and the like share the page's cached copy; they are not echoed in links."""
    client.get("/")
    response = client.get("/", {"utm_source": "newsletter", "fbclid": "x" * 50})
    assert response["X-Cache"] == "hit"


def test_page_cache_can_be_turned_off(client, story, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    client.get("/")
    response = client.get("/")
    assert not response.has_header("X-Cache") and "public" in response["Cache-Control"]


@pytest.mark.parametrize("page_cache", [0, 600])
def test_a_feed_304_costs_at_most_one_query(client, story, settings, page_cache, django_assert_max_num_queries):
    """With the page cache off, one aggregate query decides; with it on, none."""
    settings.NEWSROOM_PAGE_CACHE_SECONDS = page_cache
    url = reverse("articles:feed_atom")
    etag = client.get(url)["ETag"]
    with django_assert_max_num_queries(1 if page_cache == 0 else 0):
        assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_only_successful_pages_are_stored(client, writer):
    """A 404 is not kept: once the article goes live (here without any signal, so the generation stays the
    same), its address answers at once."""
    draft = make_article(title="Unpublished scoop", status=Article.Status.DRAFT, published_at=None, created_by=writer)
    assert client.get(draft.get_absolute_url()).status_code == 404
    Article.objects.filter(pk=draft.pk).update(status=Article.Status.PUBLISHED, published_at=timezone.now())
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200 and response["X-Cache"] == "miss"


class TestOnRedis:
    """The same promises on Redis, shared by every process and server."""

    @pytest.fixture(autouse=True)
    def redis_cache(self, settings, redis_database):
        import uuid

        settings.CACHES = {**settings.CACHES,
                           "default": {"BACKEND": "newsroom.cachebackend.ResilientRedisCache",
                                       "LOCATION": redis_database,
                                       "KEY_PREFIX": f"test-{uuid.uuid4().hex[:8]}"}}  # fmt: skip
        yield
        from django.core.cache import cache

        cache.clear()

    def test_hit_costs_no_query_and_no_read(self, client, story, django_assert_num_queries, monkeypatch):
        """A page this process served lately costs nothing from Redis: the generation comes from this
        process's mirror of it, and the page from this process's copy."""
        from django.core.cache import caches

        client.get("/")
        backend = caches["default"]
        reads = []
        real_get = backend.get
        monkeypatch.setattr(backend, "get", lambda key, *a, **kw: reads.append(key) or real_get(key, *a, **kw))
        with django_assert_num_queries(0):
            response = client.get("/")
        assert response["X-Cache"] == "hit" and reads == []

    def test_an_edit_on_another_server_retires_pages_at_once(self, client, story, redis_database):
        """Another server writes a new generation straight into Redis: the next request here sees it."""
        import pickle

        import redis
        from django.core.cache import cache as shared

        from pagecache.generation import GENERATION_KEY, generation

        client.get("/")
        assert client.get("/")["X-Cache"] == "hit"
        other_server = redis.Redis.from_url(redis_database)
        for n in range(20):
            other_server.set(shared.make_and_validate_key(GENERATION_KEY), pickle.dumps(f"{n:x}-elsewhere"))
            assert generation() == f"{n:x}-elsewhere"
        assert client.get("/")["X-Cache"] == "miss"

    def test_a_lost_mirror_connection_falls_back_to_reading_redis(self, client, story, settings, redis_database):
        """Redis closing the mirror's connection (a restart, a CLIENT KILL) costs the copies, never freshness."""
        import pickle

        import redis
        from django.core.cache import cache as shared

        from pagecache.generation import GENERATION_KEY, generation

        settings.NEWSROOM_CACHE_RETRY_SECONDS = 0
        first = generation()
        assert generation() == first
        other_server = redis.Redis.from_url(redis_database)
        database = str(other_server.connection_pool.connection_kwargs["db"])
        tracking = [c for c in other_server.client_list() if "t" in c["flags"] and c["db"] == database]
        assert tracking, "the mirror tracks the generation key"
        for connection in tracking:
            other_server.client_kill_filter(_id=connection["id"])
        other_server.set(shared.make_and_validate_key(GENERATION_KEY), pickle.dumps("1-after-the-kill"))
        assert generation() == "1-after-the-kill"
        other_server.set(shared.make_and_validate_key(GENERATION_KEY), pickle.dumps("2-tracked-again"))
        assert generation() == "2-tracked-again"

    def test_another_process_finds_the_page_in_redis(self, client, story):
        """With this process's copies gone (as in another worker), the page comes from Redis."""
        from django.core.cache import caches

        first = client.get("/")
        caches["recent"].clear()
        second = client.get("/")
        assert second["X-Cache"] == "hit" and second.content == first.content

    def test_publishing_reaches_the_cached_pages(self, client, story, writer, editor):
        client.get("/")
        assert client.get("/")["X-Cache"] == "hit"
        article = make_article(title="Redis-era scoop", status=Article.Status.DRAFT, published_at=None,
                               created_by=writer, authors=[story.authors.get()])  # fmt: skip
        transitions.apply(article, "publish", editor)
        response = client.get("/")
        assert response["X-Cache"] == "miss" and "Redis-era scoop" in response.content.decode()
        assert client.get("/")["X-Cache"] == "hit"
