import json
from datetime import timedelta
from xml.etree import ElementTree

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.http import parse_http_date

from articles.models import Article
from articles.tests.factories import make_article, make_author
from articles.workflow import transitions
from pagecache.generation import invalidate

pytestmark = pytest.mark.django_db
FORMATS = ("rss", "atom", "json")


@pytest.fixture
def stories():
    """Three published stories with two bylines each, oldest first, plus a hostile one."""
    ann, bob = make_author("Ann Reporter"), make_author("Bob Photographer")
    now = timezone.now()
    made = [
        make_article(
            title=f"Story {n}",
            dek=f"Dek {n}",
            body=f"Body {n} with [a link](/articles/other/) and ![img](/media/p{n}.jpg) and [^1]\n\n[^1]: Note.",
            authors=[ann, bob],
            tags=["Harbour", "Weather"],
            published_at=now - timedelta(hours=10 - n),
            lead_image_url=f"https://img.example/lead{n}.jpg",
            lead_image_alt="Alt",
        )
        for n in range(3)
    ]
    return {"articles": made, "authors": (ann, bob)}


def feed_urls(stories):
    ann = stories["authors"][0]
    for fmt in FORMATS:
        yield fmt, reverse(f"articles:feed_{fmt}")
        yield fmt, reverse(f"articles:tag_feed_{fmt}", args=["harbour"])
        yield fmt, reverse(f"articles:author_feed_{fmt}", args=[ann.slug])


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response, feedparser.parse(response.content)


def test_every_feed_parses_cleanly_with_all_fields(client, stories):
    """feedparser reads each of the nine feeds without error, newest first, with every field a reader uses."""
    for fmt, url in feed_urls(stories):
        response, feed = parse(client, url)
        if fmt == "json":
            data = json.loads(response.content)
            assert data["version"] == "https://jsonfeed.org/version/1.1"
            entries = data["items"]
            assert [e["title"] for e in entries] == ["Story 2", "Story 1", "Story 0"]
            first = entries[0]
            assert first["id"].startswith("tag:") and first["url"].startswith("http://127.0.0.1:8000/articles/")
            assert [a["name"] for a in first["authors"]] == ["Ann Reporter", "Bob Photographer"]
            assert first["tags"] == ["Harbour", "Weather"] and first["summary"] == "Dek 2"
            assert 'href="http://127.0.0.1:8000/articles/other/"' in first["content_html"]
            assert first["image"] == "https://img.example/lead2.jpg"
            assert first["date_published"] and first["date_modified"]
            continue
        assert not feed.bozo, (url, feed.get("bozo_exception"))
        assert [e.title for e in feed.entries] == ["Story 2", "Story 1", "Story 0"], url
        entry = feed.entries[0]
        assert entry.link == "http://127.0.0.1:8000" + stories["articles"][2].get_absolute_url()
        assert entry.id.startswith("tag:127.0.0.1,")
        assert entry.published_parsed and entry.updated_parsed
        if fmt == "rss":  # one creator naming both (test_rss_names_every_byline_in_one_creator)
            assert [a.get("name") for a in entry.authors] == ["Ann Reporter and Bob Photographer"]
        else:
            assert [a.get("name") for a in entry.authors] == ["Ann Reporter", "Bob Photographer"]
        assert [t.term for t in entry.tags] == ["Harbour", "Weather"]
        assert entry.summary == "Dek 2"
        content = entry.content[0].value
        assert 'href="http://127.0.0.1:8000/articles/other/"' in content
        assert 'src="http://127.0.0.1:8000/media/p2.jpg"' in content
        assert f'href="{entry.link}#md-fn:1"' in content
        assert entry.media_content[0]["url"] == "https://img.example/lead2.jpg"


def _last_creator_of_each_item(rss):
    """What a reader that keeps one creator per item shows (newsboat keeps the last ``dc:creator`` it reads)."""
    creators = []
    for item in ElementTree.fromstring(rss).iter("item"):  # noqa: S314 (the feed under test is our own)
        found = item.findall("{http://purl.org/dc/elements/1.1/}creator")
        creators.append((len(found), found[-1].text if found else None))
    return creators


def test_rss_names_every_byline_in_one_creator(client, stories):
    """A reader that keeps a single creator per RSS item still credits every author, in the lead author's own feed
    too; Atom and JSON Feed keep one author per byline."""
    ann = stories["authors"][0]
    for url in (reverse("articles:feed_rss"), reverse("articles:author_feed_rss", args=[ann.slug])):
        creators = _last_creator_of_each_item(client.get(url).content)
        assert creators == [(1, "Ann Reporter and Bob Photographer")] * 3, url
    three = make_article(title="Three hands", authors=[ann, stories["authors"][1], make_author("Cy Editor")])
    creators = _last_creator_of_each_item(client.get(reverse("articles:feed_rss")).content)
    assert creators[0] == (1, "Ann Reporter, Bob Photographer and Cy Editor"), three
    atom = feedparser.parse(client.get(reverse("articles:feed_atom")).content).entries[0]
    assert [a.name for a in atom.authors] == ["Ann Reporter", "Bob Photographer", "Cy Editor"]
    data = json.loads(client.get(reverse("articles:feed_json")).content)
    assert [a["name"] for a in data["items"][0]["authors"]] == ["Ann Reporter", "Bob Photographer", "Cy Editor"]


def test_content_types(client, stories):
    """Each format says what it is, with its charset."""
    expected = {
        "rss": "application/rss+xml; charset=utf-8",
        "atom": "application/atom+xml; charset=utf-8",
        "json": "application/feed+json; charset=utf-8",
    }
    for fmt, url in feed_urls(stories):
        assert client.get(url)["Content-Type"] == expected[fmt]


def test_guid_survives_title_and_slug_changes(client, stories):
    """Renaming and re-slugging an article keeps its feed id, so readers do not see it twice."""
    url = reverse("articles:feed_rss")
    before = parse(client, url)[1].entries[0].id
    article = Article.objects.get(pk=stories["articles"][2].pk)
    article.title, article.slug = "Renamed story", "renamed-story"
    article.save()
    after = parse(client, url)[1].entries[0]
    assert after.id == before and after.title == "Renamed story"


def test_only_published_articles_appear(client, stories, editor):
    """Drafts, scheduled-before-time, withdrawn and expired articles are absent from every feed."""
    ann = stories["authors"][0]
    make_article(title="Draft-x", status=Article.Status.DRAFT, authors=[ann], tags=["Harbour"])
    make_article(title="Scheduled-x", published_at=timezone.now() + timedelta(hours=1), authors=[ann], tags=["Harbour"])
    make_article(title="Expired-x", expires_at=timezone.now() - timedelta(seconds=1), authors=[ann], tags=["Harbour"])
    transitions.apply(stories["articles"][0], "withdraw", editor, public_note="Pulled.")
    for _fmt, url in feed_urls(stories):
        text = client.get(url).content.decode()
        for marker in ("Draft-x", "Scheduled-x", "Expired-x", "Story 0"):
            assert marker not in text, (url, marker)


def test_newest_fifty_entries(client):
    """A feed carries the newest 50 entries."""
    for n in range(55):
        make_article(title=f"Many {n}", published_at=timezone.now() - timedelta(minutes=n + 1))
    feed = parse(client, reverse("articles:feed_atom"))[1]
    assert len(feed.entries) == 50 and feed.entries[0].title == "Many 0" and feed.entries[-1].title == "Many 49"


@pytest.mark.parametrize("fmt", FORMATS)
def test_conditional_get_answers_304_for_both_validators(
    client, stories, fmt, django_assert_max_num_queries, time_machine
):
    """A reader's ETag or Last-Modified that still matches gets 304, with no body, from one query."""
    url = reverse(f"articles:tag_feed_{fmt}", args=["harbour"])
    time_machine.move_to(timezone.now() + timedelta(seconds=2))  # Last-Modified counts whole seconds
    first = client.get(url)
    assert first["ETag"] and first["Last-Modified"] and "must-revalidate" in first["Cache-Control"]
    with django_assert_max_num_queries(1):
        by_etag = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    with django_assert_max_num_queries(1):
        by_date = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert by_etag.status_code == by_date.status_code == 304
    assert by_etag.content == b"" and by_etag["ETag"] == first["ETag"]


def test_an_update_stamped_ahead_never_dates_the_feed(client, stories, editor, time_machine):
    """An entry's "Updated" time set in the future (a file's lastmod, say) does not date the feed, so a later
    change is never answered 304 because the reader's date is ahead of it."""
    ahead = timezone.now() + timedelta(days=1)
    Article.objects.filter(pk=stories["articles"][0].pk).update(updated_at=ahead)
    time_machine.move_to(timezone.now() + timedelta(seconds=2))  # Last-Modified counts whole seconds
    url = reverse("articles:feed_atom")
    first = client.get(url)
    assert parse_http_date(first["Last-Modified"]) <= timezone.now().timestamp() + 1
    time_machine.move_to(timezone.now() + timedelta(seconds=2))
    transitions.apply(stories["articles"][2], "withdraw", editor, public_note="Pulled.")
    time_machine.move_to(timezone.now() + timedelta(seconds=2))
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 200


def test_feed_changes_after_publishing(client, stories, writer, editor, time_machine):
    """Publishing a new article changes the validators, so readers fetch it."""
    url = reverse("articles:feed_rss")
    time_machine.move_to(timezone.now() + timedelta(seconds=2))  # Last-Modified counts whole seconds
    first = client.get(url)
    time_machine.move_to(timezone.now() + timedelta(seconds=2))
    article = make_article(title="Breaking", status=Article.Status.DRAFT, published_at=None, created_by=writer)
    article.bylines.create(author=stories["authors"][0])
    transitions.apply(article, "publish", editor)
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"], HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 200 and feedparser.parse(again.content).entries[0].title == "Breaking"
    assert again["ETag"] != first["ETag"]


def test_withdrawal_changes_the_validators(client, stories, editor):
    """An entry leaving the feed is a change too."""
    url = reverse("articles:feed_atom")
    first = client.get(url)
    transitions.apply(stories["articles"][2], "withdraw", editor, public_note="Pulled.")
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_hostile_characters_never_break_a_feed(client):
    """Control characters, ampersands, angle brackets and CDATA ends leave every format valid (a form feed in a
    headline is a line break, folded to a space when stored)."""
    author = make_author("Name\x0b With Tab & <Co>")
    make_article(
        title="Q&A: <script> ]]> and \x0c form feed \x1b escape",
        dek="Dek with \x00 nul & ]]>",
        body="Body with \x08 backspace, & ampersand, ]]> and <b>bold</b>.",
        authors=[author],
        tags=["R&D <lab>"],
    )
    for fmt in FORMATS:
        response = client.get(reverse(f"articles:feed_{fmt}"))
        if fmt == "json":
            item = json.loads(response.content)["items"][0]
            assert item["title"] == "Q&A: <script> ]]> and form feed  escape"
            continue
        feed = feedparser.parse(response.content)
        assert not feed.bozo, feed.get("bozo_exception")
        assert feed.entries[0].title == "Q&A: <script> ]]> and form feed  escape"
        assert "ampersand" in feed.entries[0].content[0].value


@pytest.mark.parametrize("name", ["tag_feed", "author_feed"])
def test_unknown_tag_or_author_is_404(client, name):
    """Feeds for things that do not exist are not found."""
    for fmt in FORMATS:
        assert client.get(reverse(f"articles:{name}_{fmt}", args=["no-such-thing"])).status_code == 404


def test_query_count_does_not_grow_with_entries(client, django_assert_max_num_queries):
    """Fifty entries with four bylines each, a third with a library picture in the body, cost the same few queries
    as one.

    Seven are made once per process and generation: the site settings, the page cache's check for the next
    scheduled change (of articles, banners, pins and pictures' rights, with the site's time zone) and the state of
    the library pictures bodies show. One reads the pictures of every entry's body (the feed carries their
    surrogate keys, rendered or not); one reads the bodies of the entries rendered now, so a feed whose entries
    were all rendered before costs one query less.
    """
    from articles.tests.factories import make_picture

    authors = [make_author(f"Writer {n}") for n in range(4)]
    picture = make_picture(alt="A picture")
    for n in range(50):
        make_article(authors=authors, tags=["A", "B", "C"], published_at=timezone.now() - timedelta(minutes=n + 1),
                     body=f"Text.\n\n![](image:{picture.pk})" if n % 3 == 0 else "Text.")  # fmt: skip
    for fmt in FORMATS:
        url = reverse(f"articles:author_feed_{fmt}", args=[authors[0].slug])
        with django_assert_max_num_queries(13):
            first = client.get(url)
        invalidate()  # a new page generation: the entries are kept, the feed is put together again
        with django_assert_max_num_queries(12):
            again = client.get(url)
        assert again.status_code == 200 and again["X-Cache"] == "miss" and again.content == first.content


def test_uploaded_lead_image_becomes_an_enclosure(client, tmp_path):
    """An uploaded lead image is an enclosure with its type and length."""
    from django.core.files.base import ContentFile

    from articles.models import Image

    picture = Image(file="library/2026/01/photo.jpg", width=10, height=10)
    picture.file.storage.save(picture.file.name, ContentFile(b"\xff\xd8" + b"0" * 998))
    picture.save()
    make_article(title="With upload", lead_image_alt="Photo", lead_image=picture)
    feed = feedparser.parse(client.get(reverse("articles:feed_rss")).content)
    enclosure = feed.entries[0].enclosures[0]
    assert enclosure["type"] == "image/jpeg" and enclosure["length"] == "1000"
    assert enclosure["href"].startswith("http://127.0.0.1:8000/media/")
