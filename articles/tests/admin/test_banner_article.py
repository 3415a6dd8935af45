"""A banner that leads to one of our articles, chosen from the list: it follows the article's address, hides with
the article, and tells the editor when its story changed after the banner was saved."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Banner
from articles.tests.factories import make_article
from articles.workflow import transitions

pytestmark = pytest.mark.django_db

ADD = reverse("admin:articles_banner_add")
LIST = reverse("admin:articles_banner_changelist")


def form(**fields):
    now, later = timezone.localtime(), timezone.localtime() + timedelta(hours=2)
    return {"text": "Breaking: harbour closed", "article": "", "link": "", "starts_at_0": now.strftime("%Y-%m-%d"),
            "starts_at_1": now.strftime("%H:%M:%S"), "expires_at_0": later.strftime("%Y-%m-%d"),
            "expires_at_1": later.strftime("%H:%M:%S"), **fields}  # fmt: skip


@pytest.fixture
def story():
    return make_article(title="Harbour closed by the storm", slug="harbour-closed")


def breaking(client):
    """The banner's line on the front page as readers get it, or None."""
    page = client.get("/").content.decode()
    start = page.find('<p class="breaking"')
    return page[start : page.index("</p>", start)] if start >= 0 else None


def test_a_banner_follows_its_articles_new_address(client, client_for, editor, story):
    response = client_for(editor).post(ADD, form(article=story.pk), follow=True)
    assert response.status_code == 200 and Banner.objects.get().article == story
    client.logout()
    assert 'href="/articles/harbour-closed/"' in breaking(client)
    story.slug = "harbour-shut"
    story.save()
    assert 'href="/articles/harbour-shut/"' in breaking(client)


def test_a_banner_hides_when_its_article_is_withdrawn(client, client_for, editor, story):
    client_for(editor).post(ADD, form(article=story.pk))
    client.logout()
    assert breaking(client) is not None
    transitions.apply(story, "withdraw", editor, public_note="Wrong harbour.")
    assert Article.objects.get(pk=story.pk).is_gone()
    assert breaking(client) is None
    page = client_for(editor).get(LIST).content.decode()
    assert "The story was withdrawn: the banner is hidden." in page


def test_the_banner_warns_when_its_storys_headline_changed(client_for, editor, story):
    client = client_for(editor)
    client.post(ADD, form(article=story.pk))
    banner = Banner.objects.get()
    assert "Story changed since saved" in client.get(LIST).content.decode()
    assert "The story&#x27;s headline is now" not in client.get(LIST).content.decode()
    story.title = "Harbour reopens after the storm"
    story.save()
    warning = "The story’s headline is now “Harbour reopens after the storm” (it was “Harbour closed by the storm”)."
    assert warning in client.get(LIST).content.decode().replace("&#x27;", "’").replace("'", "’")
    page = client.get(reverse("admin:articles_banner_change", args=[banner.pk])).content.decode()
    assert "Its story changed since this banner was saved" in page
    # Saved again (its words checked), the banner knows the story as it is now.
    client.post(reverse("admin:articles_banner_change", args=[banner.pk]), form(article=story.pk))
    assert Banner.objects.get().story_changes() == []


def test_a_banner_with_both_an_article_and_an_address_is_refused(client_for, editor, story):
    page = client_for(editor).post(ADD, form(article=story.pk, link="https://example.org/news"))
    assert page.status_code == 200 and not Banner.objects.exists()
    assert "A banner leads to one of our articles or to an outside address, not both" in page.content.decode()


def test_a_banner_with_an_outside_address_still_leads_there(client, client_for, editor):
    client_for(editor).post(ADD, form(link="https://example.org/news"))
    client.logout()
    assert 'href="https://example.org/news"' in breaking(client)


def test_the_banner_forms_date_and_time_boxes_are_named(client_for, editor):
    page = client_for(editor).get(ADD).content.decode()
    for name in ('aria-label="Shown from: date"', 'aria-label="Shown from: time"', 'aria-label="Shown until: date"',
                 'aria-label="Shown until: time"'):  # fmt: skip
        assert name in page
