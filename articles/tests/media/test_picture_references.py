"""Pictures in every Markdown surface: a reference that is not a library number never becomes an <img> without
an address, and corrections and author bios show library pictures as bodies do, on pages and in feeds."""

import json
from html.parser import HTMLParser
from io import StringIO

import feedparser
import pytest
from django.core.management import call_command
from django.urls import reverse

from articles.models import ArticleImage, Correction
from articles.tests.factories import make_article, make_author, make_picture
from articles.workflow import transitions

pytestmark = pytest.mark.django_db

NOT_LIBRARY_NUMBERS = ["image:-1", "image:1.5", "image:1234567890123", "image:", "image:abc", "image:12abc"]
# Addresses the sanitiser would take the src from, which left an <img> with none.
NOT_SHOWABLE = ["data:image/png;base64,iVBORw0KGgo=", "mailto:desk@example.org", "http://[broken"]
FEEDS = ["articles:feed_rss", "articles:feed_atom", "articles:feed_json"]
CORRECTION_FEEDS = ["articles:corrections_feed_rss", "articles:corrections_feed_atom", "articles:corrections_feed_json"]


def _images(html):
    """The attributes of every <img> in ``html``, as a browser's parser reads them."""
    found = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag == "img":
                found.append(dict(attrs))

        handle_startendtag = handle_starttag

    Collector(convert_charrefs=True).feed(html)
    return found


def _entry_html(client, name):
    """The HTML content of every entry of a feed: RSS and Atom read with feedparser, JSON Feed as JSON."""
    response = client.get(reverse(name))
    assert response.status_code == 200
    if name.endswith("_json"):
        return [item["content_html"] for item in json.loads(response.content)["items"]]
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return [entry.content[0].value for entry in feed.entries]


def _without_source(html):
    return [attrs for attrs in _images(html) if not (attrs.get("src") or "").strip()]


@pytest.mark.parametrize("address", NOT_LIBRARY_NUMBERS + NOT_SHOWABLE)
def test_a_picture_that_cannot_be_shown_is_its_alt_text_on_the_page_and_in_every_feed(client, address):
    """Inline or on its own line, a picture whose address is not a library number (nor one a browser may load)
    reads as its alt text: no <img> without a src anywhere readers look."""
    article = make_article(body=f"Before ![Inline words]({address}) after.\n\n![Block words]({address})\n\nEnd.")
    page = client.get(article.get_absolute_url()).content.decode()
    assert not _without_source(page)
    body = page.split('<div class="body">', 1)[1].split("</div>", 1)[0]
    assert "Before Inline words after." in body and "Block words" in body and "<img" not in body
    for name in FEEDS:
        (content,) = _entry_html(client, name)
        assert not _without_source(content), name
        assert "Inline words" in content and "<img" not in content, name


@pytest.mark.parametrize("address", NOT_LIBRARY_NUMBERS + ["data:image/png;base64,iVBORw0KGgo="])
def test_the_publish_checklist_and_the_preview_name_the_address(client_for, editor, address):
    """The checklist refuses to publish with such a picture and names it; the editors' preview says why it is
    missing."""
    article = make_article(body=f"Text.\n\n![Chart]({address})", status="draft")
    problems = " ".join(transitions.publish_problems(article))
    assert f"“{address}”" in problems
    preview = client_for(editor).post(
        reverse("admin:articles_article_preview_markdown"), {"body": article.body, "title": "t"}
    )
    assert f"“{address}”" in preview.json()["html"] and not _without_source(preview.json()["html"])


def test_a_library_picture_in_a_quoted_reference_is_not_flagged():
    """An address quoted in code is text, not a picture: nothing to fix."""
    article = make_article(body="Write `![alt](image:abc)` to show a picture.", authors=[make_author()])
    assert transitions.publish_problems(article) == []


def _article_with_correction(text, **picture_fields):
    picture = make_picture(alt="Library alt", caption="Library caption", credit="Ana Ruiz", **picture_fields)
    article = make_article(body="Body without pictures.")
    correction = Correction.objects.create(article=article, text=text.format(pk=picture.pk))
    return article, correction, picture


def test_a_library_picture_in_a_correction_is_shown_on_every_surface(client):
    """``![c](image:N)`` in a correction is the library picture, with its renditions, under the article, on the
    corrections page and in the corrections feed in each format."""
    article, _correction, picture = _article_with_correction(
        "We printed the wrong chart.\n\n![The right chart](image:{pk})"
    )
    stem = picture.file.name.rsplit("/", 1)[-1].split(".")[0]
    for url in (article.get_absolute_url(), reverse("articles:corrections")):
        page = client.get(url).content.decode()
        assert not _without_source(page), url
        assert "data-image" not in page and stem in page, url
        assert 'alt="The right chart"' in page and '<span class="credit">Ana Ruiz</span>' in page, url
    for name in CORRECTION_FEEDS:
        (content,) = _entry_html(client, name)
        assert not _without_source(content) and stem in content, name
        srcs = [attrs["src"] for attrs in _images(content)]
        assert srcs and all(src.startswith("http") and "/media/" in src for src in srcs), srcs


def test_a_correction_picture_is_in_use_and_follows_its_edits(client):
    """A picture a correction shows counts as used by the article (the library will not delete it), and an edit
    of the picture reaches the article's page."""
    article, correction, picture = _article_with_correction("![](image:{pk})")
    assert ArticleImage.objects.filter(article=article, image=picture).exists()
    assert "Library alt" in client.get(article.get_absolute_url()).content.decode()
    picture.alt = "Edited alt words"
    picture.save()
    assert 'alt="Edited alt words"' in client.get(article.get_absolute_url()).content.decode()
    correction.text = "No picture any more."
    correction.save()
    assert not ArticleImage.objects.filter(article=article, image=picture).exists()


def test_a_deleted_correction_no_longer_holds_its_picture():
    """Deleting the correction that showed a picture frees the picture."""
    article, correction, picture = _article_with_correction("![](image:{pk})")
    correction.delete()
    assert not ArticleImage.objects.filter(article=article, image=picture).exists()


def test_an_edit_of_the_body_keeps_the_picture_a_correction_shows():
    """Saving the article with a new body keeps the picture its correction shows recorded as in use."""
    article, _correction, picture = _article_with_correction("![](image:{pk})")
    article.refresh_from_db()
    article.body = "A new body, still without pictures."
    article.save()
    assert ArticleImage.objects.filter(article=article, image=picture).exists()


def test_a_bad_reference_in_a_correction_is_its_alt_text(client):
    article, _correction, _picture = _article_with_correction("![Old map](image:1.5) was wrong.")
    for url in (article.get_absolute_url(), reverse("articles:corrections")):
        page = client.get(url).content.decode()
        assert not _without_source(page) and "Old map was wrong." in page, url
    for name in CORRECTION_FEEDS:
        (content,) = _entry_html(client, name)
        assert not _without_source(content) and "Old map" in content, name


def test_a_library_picture_in_an_author_bio_is_shown(client):
    """An author's bio shows library pictures as bodies do."""
    picture = make_picture(alt="Portrait")
    author = make_author(bio=f"Reports on rivers.\n\n![At work](image:{picture.pk})\n\n![Bad](image:-1)")
    make_article(authors=[author])
    page = client.get(author.get_absolute_url()).content.decode()
    assert not _without_source(page) and "data-image" not in page
    assert picture.file.name.rsplit("/", 1)[-1].split(".")[0] in page and 'alt="At work"' in page


def test_an_article_whose_correction_shows_a_picture_can_be_deleted_and_frees_it():
    """Deleting the article takes its corrections and their uses with it; the picture can then go."""
    article, _correction, picture = _article_with_correction("![](image:{pk})")
    article.delete()
    assert not ArticleImage.objects.filter(image=picture).exists()
    picture.delete()


def test_rendering_again_records_the_pictures_corrections_show():
    """After an upgrade, ``rerender_markdown`` records the pictures of corrections stored before their use was
    recorded, as it does for bodies."""
    article, correction, picture = _article_with_correction("![](image:{pk})")
    ArticleImage.objects.all().delete()
    Correction.objects.filter(pk=correction.pk).update(html_renderer="")
    call_command("rerender_markdown", stdout=StringIO())
    assert ArticleImage.objects.filter(article=article, image=picture).exists()
