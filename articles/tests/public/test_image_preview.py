"""``max-image-preview:large`` (Google Discover's large pictures) on an article page whose lead picture has a
rendition at least 1,200 pixels wide, and nowhere else; a picture wide enough gets such a rendition."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Image
from articles.tests.factories import make_article, make_picture

pytestmark = pytest.mark.django_db

LARGE = "max-image-preview:large"


def robots(page):
    """The content of every robots meta tag of a page."""
    soup = BeautifulSoup(page.content, "html.parser")
    return [tag["content"] for tag in soup.find_all("meta", attrs={"name": "robots"})]


def article_with_lead(width, **fields):
    """A published article whose lead is a new library picture ``width`` pixels wide."""
    picture = make_picture(size=(width, width * 2 // 3), alt="A harbour", **fields)
    return make_article(title=f"Lead {width}-7Q", lead_image=picture, lead_image_alt="A harbour"), picture


@pytest.mark.parametrize("width", [1200, 1300, 2400])
def test_a_wide_lead_picture_allows_large_previews(client, media_root, width):
    """A lead picture of 1,200 pixels or more: the article page says max-image-preview:large, once."""
    article, _ = article_with_lead(width)
    assert robots(client.get(article.get_absolute_url())) == [LARGE]


def test_a_1300_pixel_picture_gets_a_rendition_that_wide(media_root):
    """Renditions never upscale, yet a source of 1,300 pixels gets one of 1,300 (beside 480 and 960)."""
    picture = make_picture(size=(1300, 866))
    assert [source["width"] for source in picture.renditions["sources"]] == [480, 960, 1300]


@pytest.mark.parametrize("width", [700, 1199])
def test_a_smaller_lead_picture_does_not(client, media_root, width):
    """A lead picture narrower than 1,200 pixels: no robots meta tag at all."""
    article, _ = article_with_lead(width)
    assert robots(client.get(article.get_absolute_url())) == []


def test_an_outside_lead_address_or_none_does_not(client, media_root):
    """A lead picture from an outside address (whose size is unknown) or none: no robots meta tag."""
    outside = make_article(title="Outside-7Q", lead_image_url="https://pictures.example/wide.jpg")
    bare = make_article(title="Bare-7Q")
    assert robots(client.get(outside.get_absolute_url())) == []
    assert robots(client.get(bare.get_absolute_url())) == []


def test_a_picture_whose_rights_expired_does_not(client, media_root):
    """A wide lead picture whose rights ran out is not shown, so the page does not offer it large."""
    article, picture = article_with_lead(1600)
    Image.objects.filter(pk=picture.pk).update(rights_expire_on=timezone.localdate() - datetime.timedelta(days=1))
    assert robots(client.get(article.get_absolute_url())) == []


def test_other_pages_do_not(client, media_root):
    """The front page, which shows the same wide picture on its lead card, says nothing of previews."""
    article_with_lead(1600)
    assert LARGE not in " ".join(robots(client.get(reverse("articles:home"))))


def test_a_staff_preview_stays_noindex(client_for, editor, media_root):
    """A draft's preview keeps its single noindex and does not invite large previews."""
    article, _ = article_with_lead(1600)
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)
    page = client_for(editor).get(reverse("articles:preview", args=[article.pk]))
    assert page.status_code == 200 and robots(page) == ["noindex, nofollow"]
