"""Reader-facing hardening: uploads that used to 500, validators that change whenever the bytes do, cache
headers on errors, canonical links, request methods, dates and languages."""

import io
import re
import struct
import sys
import threading
import zlib
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from PIL import Image
from taggit.models import Tag

from articles.models import Article, Author, SiteSettings
from articles.tests.factories import draft_by, make_article, make_author, post_image, refresh, upload
from articles.workflow import transitions
from pagecache import generation

pytestmark = pytest.mark.django_db


# Uploads


def _png_with_chunk(kind, payload):
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10), "red").save(buffer, "PNG")
    png = buffer.getvalue()
    chunk = struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))
    return png[:33] + chunk + png[33:]  # after the IHDR chunk


@pytest.mark.parametrize(
    "data",
    [
        _png_with_chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(b"a" * 20_000_000)),
        _png_with_chunk(b"iCCP", b"icc\x00\x00" + zlib.compress(b"\x00" * 20_000_000)),
    ],
    ids=["zTXt", "iCCP"],
)
def test_a_png_with_an_inflating_chunk_is_a_form_error(editor, client_for, data):
    article = draft_by(editor)
    response = post_image(client_for(editor), article, upload(data, "chunk.png", "image/png"))
    assert response.status_code == 200
    assert "cannot be read safely" in response.content.decode()
    assert not refresh(article).lead_image


def test_a_one_pixel_high_strip_is_stored_with_renditions(editor, client_for):
    buffer = io.BytesIO()
    Image.new("RGB", (60000, 1), "red").save(buffer, "PNG")
    article = draft_by(editor)
    response = post_image(client_for(editor), article, upload(buffer.getvalue(), "strip.png", "image/png"))
    assert response.status_code == 302
    renditions = refresh(article).lead_image_renditions
    assert renditions["sources"] and all(source["height"] >= 1 for source in renditions["sources"])


def test_uploads_get_random_names(editor, client_for):
    buffer = io.BytesIO()
    Image.new("RGB", (600, 400), "red").save(buffer, "JPEG")
    article = draft_by(editor)
    post_image(client_for(editor), article, upload(buffer.getvalue(), "minister-resigns-exclusive.jpg"))
    article = refresh(article)
    names = article.lead_image.files()
    assert all("minister" not in name for name in names)
    assert re.fullmatch(r"library/\d{4}/\d{2}/[\w-]{20,}\.jpg", article.lead_image.file.name)


# Methods, archive, dates, language


def test_put_and_delete_on_reader_pages_are_405(client):
    article = make_article(tags=["Harbour"], authors=[make_author("Ann Reporter")])
    csrf_client = Client(enforce_csrf_checks=True)
    for url in ["/", article.get_absolute_url(), "/tags/harbour/", "/feed/atom/", "/search/?q=x", "/archive/"]:
        for method in ("put", "delete"):
            response = getattr(csrf_client, method)(url)
            assert response.status_code == 405 and response["Allow"] == "GET, HEAD", (method, url)


@pytest.mark.parametrize("month", [0, 13, 99])
def test_impossible_months_are_404(client, month):
    make_article(published_at=timezone.now().replace(year=2023) - timedelta(days=1))
    assert client.get(f"/archive/2023/{month}/").status_code == 404


def test_datetime_attributes_are_whole_seconds(client):
    article = make_article(
        published_at=timezone.now() - timedelta(hours=1, microseconds=787017),
        updated_at=timezone.now() - timedelta(microseconds=1234),
    )
    for url in ("/", article.get_absolute_url()):
        values = re.findall(r'datetime="([^"]+)"', client.get(url).content.decode())
        assert values and all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", v) for v in values), values


def test_html_lang_follows_the_site_settings(client):
    make_article()
    site = SiteSettings.load()
    site.language = "de"
    site.save()
    assert '<html lang="de">' in client.get("/").content.decode()
    site.language = "en-gb"
    site.save()
    assert '<html lang="en-gb">' in client.get("/tags/").content.decode()


# Canonical links


def test_the_canonical_keeps_only_what_the_page_reads(client):
    for n in range(25):
        make_article(title=f"Story {n}", tags=["Harbour"])
    page = client.get("/latest/?utm_source=evil&page=2&x=1").content.decode()
    assert '<link rel="canonical" href="http://127.0.0.1:8000/latest/?page=2">' in page
    # The poisoned request was cached; every later reader gets the clean canonical too.
    assert "evil" not in client.get("/latest/?page=2").content.decode()
    # The front page's old page numbers lead to the latest list's, without the rest.
    moved = client.get("/?utm_source=evil&page=2")
    assert moved.status_code == 301 and moved["Location"] == "/latest/?page=2"
    assert (
        '<link rel="canonical" href="http://127.0.0.1:8000/tags/harbour/">'
        in client.get("/tags/harbour/?utm_campaign=evil").content.decode()
    )


def test_error_pages_carry_no_canonical(client):
    page = client.get("/articles/nope/?utm_source=evil").content.decode()
    assert "canonical" not in page and "evil" not in page and 'content="noindex"' in page


# Cache headers of redirects and errors


def test_404_410_and_alias_redirects_say_how_long_to_keep_them(client, editor):
    scheduled = make_article(title="Later", published_at=timezone.now() + timedelta(seconds=20))
    gone = make_article(title="Gone")
    transitions.apply(gone, "withdraw", editor, public_note="Pulled.")
    moved = make_article(title="Moved", slug="old-slug")
    moved.slug = "new-slug"
    moved.save()
    answers = [(scheduled.get_absolute_url(), 404), (gone.get_absolute_url(), 410), ("/articles/old-slug/", 301),
               ("/nope/", 404)]  # fmt: skip
    for url, status in answers:
        response = client.get(url)
        assert response.status_code == status, url
        control = response["Cache-Control"]
        assert "no-cache" in control or ("max-age=0" in control and "s-maxage" in control), (url, control)
        if "s-maxage" in control:
            assert int(re.search(r"s-maxage=(\d+)", control).group(1)) <= 20, (url, control)


# Validators


def _validators(response):
    return {"HTTP_IF_NONE_MATCH": response["ETag"], "HTTP_IF_MODIFIED_SINCE": response["Last-Modified"]}


@pytest.fixture
def stories(time_machine):
    ann = make_author("Ann Reporter")
    old = make_article(title="Older", published_at=timezone.now() - timedelta(days=2), authors=[ann], tags=["Harbour"])
    new = make_article(title="Newer", published_at=timezone.now() - timedelta(days=1), authors=[ann], tags=["Harbour"])
    generation.generation()
    time_machine.move_to(timezone.now(), tick=True)
    later = lambda seconds=2: time_machine.shift(timedelta(seconds=seconds))  # noqa: E731
    later()  # HTTP dates count whole seconds: what was just saved has no Last-Modified yet
    return {"ann": ann, "old": old, "new": new, "later": later}


FEEDS = ["/feed/rss/", "/feed/atom/", "/feed/json/", "/tags/harbour/feed/rss/", "/authors/ann-reporter/feed/atom/"]


@pytest.mark.parametrize("url", FEEDS)
def test_renaming_an_author_or_tag_changes_every_feed_validator(client, stories, url):
    first = client.get(url)
    assert client.get(url, **_validators(first)).status_code == 304
    author = Author.objects.get(pk=stories["ann"].pk)
    author.name = "Ann Reporter-Smith"
    author.save()
    tag = Tag.objects.get(slug="harbour")
    tag.name = "Harbour & docks"
    tag.save()
    stories["later"]()
    for header in ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE"):
        response = client.get(url, **{header: _validators(first)[header]})
        assert response.status_code == 200, (url, header)
        assert "Ann Reporter-Smith" in response.content.decode(), (url, header)


@pytest.mark.parametrize("url", ["/feed/rss/", "/sitemap-articles.xml", "/tags/harbour/feed/json/"])
def test_if_modified_since_after_a_withdrawal_is_a_200(client, stories, editor, url):
    first = client.get(url)
    assert first.status_code == 200 and first.has_header("Last-Modified"), url
    since = first["Last-Modified"]
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=since).status_code == 304
    transitions.apply(stories["new"], "withdraw", editor, public_note="Pulled.")
    stories["later"]()
    response = client.get(url, HTTP_IF_MODIFIED_SINCE=since)
    assert response.status_code == 200 and b"Newer" not in response.content


def test_if_modified_since_after_an_expiry_is_a_200(client, stories):
    Article.objects.filter(pk=stories["new"].pk).update(expires_at=timezone.now() + timedelta(minutes=5))
    generation.invalidate()
    stories["later"]()
    first = client.get("/feed/atom/")
    since = first["Last-Modified"]
    assert client.get("/feed/atom/", HTTP_IF_MODIFIED_SINCE=since).status_code == 304
    stories["later"](6 * 60)
    response = client.get("/feed/atom/", HTTP_IF_MODIFIED_SINCE=since)
    assert response.status_code == 200 and b"Newer" not in response.content


def test_an_article_page_after_an_author_rename_is_a_200(client, stories):
    url = stories["new"].get_absolute_url()
    first = client.get(url)
    since = first["Last-Modified"]
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=since).status_code == 304
    author = Author.objects.get(pk=stories["ann"].pk)
    author.name = "Ann Reporter-Smith"
    author.save()
    stories["later"]()
    response = client.get(url, HTTP_IF_MODIFIED_SINCE=since)
    assert response.status_code == 200 and b"Ann Reporter-Smith" in response.content


def test_feeds_use_the_page_header_rules(client, stories):
    make_article(title="Soon", published_at=timezone.now() + timedelta(seconds=12))
    control = client.get("/feed/rss/")["Cache-Control"]
    assert "max-age=0" in control and "must-revalidate" in control
    assert int(re.search(r"s-maxage=(\d+)", control).group(1)) <= 12


def test_a_new_release_never_serves_pages_of_the_old_one(client, settings, stories):
    assert client.get("/")["X-Cache"] == "miss"
    assert client.get("/")["X-Cache"] == "hit"
    settings.NEWSROOM_RELEASE = "next-release"
    generation.release.cache_clear()
    try:
        assert client.get("/")["X-Cache"] == "miss"
    finally:
        generation.release.cache_clear()


def test_the_release_is_a_digest_of_the_code_when_not_named(settings):
    settings.NEWSROOM_RELEASE = ""
    generation.release.cache_clear()
    try:
        first = generation.release()
        assert re.fullmatch(r"[0-9a-f]{16}", first) and generation.release() == first
    finally:
        generation.release.cache_clear()


# Threads


@pytest.mark.django_db(transaction=True)
def test_concurrent_tag_feeds_name_their_own_address():
    """Feeds served by threads at once: each names its own address (one feed object per request)."""
    for name in ("Harbour", "Rail"):
        make_article(title=f"{name} story", tags=[name])
    old_interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible: any shared state shows
    wrong = []

    def read(slug):
        client = Client()
        for _ in range(15):
            text = client.get(f"/tags/{slug}/feed/atom/", HTTP_IF_NONE_MATCH="x").content.decode()
            self_link = re.search(r'<link href="([^"]+)" rel="self"', text).group(1)
            if f"/tags/{slug}/" not in self_link:
                wrong.append((slug, self_link))

    try:
        threads = [threading.Thread(target=read, args=(slug,)) for slug in ("harbour", "rail") * 3]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(old_interval)
    assert not wrong


# Logs


def test_share_tokens_never_reach_the_request_log(client, caplog, settings):
    import logging

    from articles.models import ShareLink

    article = make_article(status=Article.Status.DRAFT, published_at=None)
    url = ShareLink.objects.create(article=article).get_absolute_url()
    token = url.rstrip("/").rsplit("/", 1)[-1]
    logging.getLogger("newsroom.request").setLevel(logging.INFO)
    try:
        with caplog.at_level(logging.INFO, logger="newsroom.request"):
            assert client.get(url).status_code == 200
            assert client.get(url[:-5] + "nope/").status_code == 404
    finally:
        logging.getLogger("newsroom.request").setLevel(logging.WARNING)
    records = [r for r in caplog.records if r.name == "newsroom.request"]
    assert records and all(token not in r.getMessage() and token not in r.path for r in records)
    assert any(r.path == "/share/[token]/" for r in records)


def test_the_error_log_filter_hides_share_tokens():
    import logging

    from newsroom.logs import DropUnserialisable

    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: %s", ("/share/abc:def/",), None
    )
    DropUnserialisable().filter(record)
    assert record.getMessage() == "Not Found: /share/[token]/"
