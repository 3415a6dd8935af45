"""An update's permalink, and what keeps a live page's cached and validated copies true to its stream: the page
cache's token, Last-Modified and the surrogate keys."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from articles.models import surrogates as names
from articles.tests.factories import make_article, make_author
from live import stream
from live.public.page import PER_PAGE
from live.tests.factories import make_live_article, make_updates

pytestmark = pytest.mark.django_db


def permalink(article, update):
    return f"/articles/{article.slug}/updates/{update.pk}/"


def test_a_permalink_leads_to_the_page_that_holds_the_update_now(client, editor):
    """On page 1 the permalink leads to the page itself; after 25 more updates, to ?page=2."""
    article = make_live_article()
    update = stream.post(article, editor, body="Early news.")
    response = client.get(permalink(article, update))
    assert response.status_code == 302 and response["Location"] == f"{article.get_absolute_url()}#update-{update.pk}"
    make_updates(article, 25, start=timezone.now() + timedelta(seconds=1))
    response = client.get(permalink(article, update))
    assert response["Location"] == f"{article.get_absolute_url()}?page=2#update-{update.pk}"
    page = client.get(response["Location"].split("#")[0]).content.decode()
    assert f'id="update-{update.pk}"' in page


def test_a_permalink_counts_pinned_updates_and_the_ended_order(client, editor):
    """Pinned updates lead page 1; once coverage ends oldest first, the oldest update is on page 1 again."""
    article = make_live_article(live_oldest_first=True)
    oldest = stream.post(article, editor, body="First.", posted_at=timezone.now() - timedelta(days=1))
    pinned = stream.post(article, editor, body="Pinned.", pinned=True, posted_at=timezone.now() - timedelta(days=2))
    made = make_updates(article, PER_PAGE)
    assert client.get(permalink(article, pinned))["Location"].endswith(f"/#update-{pinned.pk}")
    # Newest first: the pinned one and twenty newer push the oldest to page 2; so is the 20th newest.
    assert f"?page=2#update-{oldest.pk}" in client.get(permalink(article, oldest))["Location"]
    assert f"?page=2#update-{made[0].pk}" in client.get(permalink(article, made[0]))["Location"]
    assert "?page=" not in client.get(permalink(article, made[1]))["Location"]
    article.live_until = timezone.now() - timedelta(seconds=1)
    article.save()
    assert "?page=" not in client.get(permalink(article, oldest))["Location"]
    assert f"?page=2#update-{made[-1].pk}" in client.get(permalink(article, made[-1]))["Location"]


def test_a_permalink_of_an_update_readers_may_not_see_is_a_404(client, editor, writer):
    """A deleted or pending update, an update of another page, or a page that is not live: 404."""
    article = make_live_article(authors=[writer.author], live_moderated=True)
    deleted = stream.post(article, editor, body="Gone.")
    stream.delete(deleted, editor, version=1)
    pending = stream.post(article, writer, body="Waiting.")
    other = make_live_article()
    shown = stream.post(other, editor, body="Elsewhere.")
    elsewhere = f"/articles/{make_article().slug}/updates/{shown.pk}/"
    missing = f"/articles/{article.slug}/updates/999999/"
    hidden = (permalink(article, deleted), permalink(article, pending), permalink(article, shown))
    for url in (*hidden, elsewhere, missing):
        assert client.get(url).status_code == 404, url
    assert client.post(permalink(other, shown)).status_code == 405


def test_last_modified_moves_when_the_stream_changes(client, editor, time_machine):
    """A conditional GET from before an update gets the page again, not a 304."""
    article = make_live_article()
    time_machine.move_to(timezone.now() + timedelta(minutes=1))
    first = client.get(article.get_absolute_url())
    assert client.get(article.get_absolute_url(), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    time_machine.move_to(timezone.now() + timedelta(minutes=1))
    stream.post(article, editor, body="Fresh-7Q.")
    time_machine.move_to(timezone.now() + timedelta(seconds=2))
    again = client.get(article.get_absolute_url(), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 200 and b"Fresh-7Q." in again.content
    assert again["Last-Modified"] != first["Last-Modified"]


def test_an_update_refreshes_its_cached_page_and_leaves_others_cached(client, editor, settings):
    """Through the page cache: the live page is rendered again after a post, an unrelated page stays a hit."""
    assert settings.NEWSROOM_PAGE_CACHE_SECONDS > 0
    article, other = make_live_article(), make_article()
    for url in (article.get_absolute_url(), other.get_absolute_url(), "/latest/"):
        client.get(url)
        assert client.get(url)["X-Cache"] == "hit", url
    stream.post(article, editor, body="Breaking-7Q.")
    fresh = client.get(article.get_absolute_url())
    assert fresh["X-Cache"] == "miss" and b"Breaking-7Q." in fresh.content
    assert client.get(other.get_absolute_url())["X-Cache"] == "hit"
    assert client.get("/latest/")["X-Cache"] == "hit"


def test_the_page_carries_the_keys_of_its_stream_and_its_update_authors(client, editor, settings):
    """The page is tagged with its stream's key and the keys of the authors its updates credit."""
    settings.NEWSROOM_EDGE_PURGE_URLS = ["http://127.0.0.1:6081/"]
    settings.NEWSROOM_EDGE_PURGE_SECRET = "test-secret"
    article = make_live_article()
    reporter = make_author("Field Reporter")
    stream.post(article, editor, body="From the scene.", authors=[reporter])
    found = set(client.get(article.get_absolute_url())["xkey"].split())
    assert {names.stream(article.pk), names.author(reporter.pk), names.article(article.pk)} <= found


READER_RULE_CASES = [
    ({"status": Article.Status.DRAFT}, "draft"),
    ({"embargo_until": timezone.now() + timedelta(days=1)}, "embargoed"),
    ({"status": Article.Status.WITHDRAWN}, "withdrawn"),
    ({"live_from": None}, "not-live"),
]


def test_one_rule_says_which_live_pages_readers_see_on_every_surface(client, editor):
    """``Article.objects.live_pages()`` is every live page, whatever its state; readers see a stream only on a
    published one, through its poll, its feeds and its permalinks alike."""
    shown = make_live_article()
    hidden = [make_live_article() for _ in READER_RULE_CASES]
    plain = make_article()
    assert set(Article.objects.live_pages()) == {shown, *hidden}
    updates = {article: stream.post(article, editor, body="Seen-4K.") for article in (shown, *hidden)}
    for (fields, _), article in zip(READER_RULE_CASES, hidden, strict=True):
        Article.objects.filter(pk=article.pk).update(**fields)
    assert set(Article.objects.live_pages()) == {shown, *hidden[:3]}
    assert plain not in Article.objects.live_pages()
    for article, update in updates.items():
        expected = 200 if article == shown else 404
        addresses = (
            f"/articles/{article.slug}/live/updates.json",
            *(f"/articles/{article.slug}/live/feed/{fmt}/" for fmt in ("rss", "atom", "json")),
        )
        for url in addresses:
            assert client.get(url).status_code == expected, url
        assert client.get(permalink(article, update)).status_code == (302 if article == shown else 404)


def test_a_permalink_is_kept_by_shared_caches_and_purged_with_the_stream(client, editor, writer, settings):
    """The permalink every feed entry and the structured data point at is public for a CDN and the edge, under
    the stream's key (a post that moves the update to an older page purges it); so is the 404 of an update
    waiting for approval, which approval purges."""
    settings.NEWSROOM_EDGE_PURGE_URLS = ["http://127.0.0.1:9/"]
    article = make_live_article(authors=[writer.author], live_moderated=True)
    update = stream.post(article, editor, body="Early news.")
    pending = stream.post(article, writer, body="Waiting.")
    for url, status in ((permalink(article, update), 302), (permalink(article, pending), 404)):
        response = client.get(url)
        assert response.status_code == status, url
        assert "public" in response["Cache-Control"] and "no-cache" not in response["Cache-Control"], url
        assert names.stream(article.pk) in response["xkey"].split(), url
        assert "Surrogate-Control" in response, url
    stream.approve(pending, editor, version=pending.version)
    assert client.get(permalink(article, pending)).status_code == 302
