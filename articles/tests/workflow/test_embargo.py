"""Embargoes (invisible to readers everywhere until they end, with nothing to run) and the corrections page."""

import json
from datetime import timedelta

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Correction, Section, ShareLink
from articles.tests.factories import draft_by, make_article, make_author, refresh
from articles.workflow import transitions
from pagecache.generation import generation
from pagecache.schedule import next_change

pytestmark = pytest.mark.django_db


def reader_pages(article, author, section):
    """Every reader surface an article can appear on, with a marker of it."""
    return [
        reverse("articles:home"),
        reverse("articles:latest"),
        article.get_absolute_url(),
        author.get_absolute_url(),
        section.get_absolute_url(),
        reverse("articles:tag", kwargs={"slug": "glaciers"}),
        reverse("articles:archive"),
        reverse("articles:search") + "?q=glacier",
        reverse("articles:feed_rss"),
        reverse("articles:feed_atom"),
        reverse("articles:feed_json"),
        reverse("articles:section_feed_rss", kwargs={"slug": section.slug}),
        reverse("articles:sitemap", kwargs={"section": "articles"}),
        reverse("articles:news_sitemap"),
    ]


def shows(client, url):
    """Whether the page at ``url`` shows the embargoed story (its headline, or its address in a sitemap)."""
    response = client.get(url)
    body = response.content.decode()
    return response.status_code == 200 and ("embargo-zq" in body or "/articles/glacier-piece/" in body)


class TestEmbargo:
    def setup_story(self, embargo):
        author = make_author("Eve Embargo")
        section = Section.objects.create(name="Science", slug="science")
        other = make_article(title="Glacier neighbour story", authors=[author], tags=["glaciers"], section=section)
        story = make_article(
            title="Glacier embargo-zq story", slug="glacier-piece", body="Glacier findings under embargo.",
            authors=[author],
            tags=["glaciers"], section=section, embargo_until=embargo,
            published_at=timezone.now() - timedelta(minutes=5),
        )  # fmt: skip
        return story, other, author, section

    def test_invisible_everywhere_until_it_ends_with_nothing_to_run(self, client, time_machine):
        time_machine.move_to(timezone.now(), tick=False)
        ends = timezone.now() + timedelta(hours=2)
        story, other, author, section = self.setup_story(ends)
        urls = reader_pages(story, author, section)
        for url in urls:
            assert not shows(client, url), url
        assert client.get(story.get_absolute_url()).status_code == 404
        related = client.get(other.get_absolute_url()).content.decode()
        assert "embargo-zq" not in related and "application/ld+json" in related
        assert next_change(generation()) == pytest.approx(ends.timestamp())
        time_machine.shift(timedelta(hours=2, seconds=1))  # no save, no job: the clock alone
        seen = [url for url in urls if shows(client, url)]
        assert len(seen) == len(urls), set(urls) - set(seen)
        page = client.get(story.get_absolute_url()).content.decode()
        assert "Glacier embargo-zq story" in page.split("application/ld+json", 1)[1]  # in its JSON-LD too

    def test_publish_is_refused_and_schedule_must_not_precede_the_embargo(self, writer, editor):
        ends = timezone.now() + timedelta(days=1)
        article = draft_by(writer, embargo_until=ends)
        transitions.apply(article, "submit", writer)
        with pytest.raises(transitions.TransitionError, match="embargoed until"):
            transitions.apply(refresh(article), "publish", editor)
        with pytest.raises(transitions.TransitionError, match="schedule it for then or later"):
            transitions.apply(refresh(article), "schedule", editor, when=ends - timedelta(hours=1))
        transitions.apply(refresh(article), "schedule", editor, when=ends)  # approved: goes out when it ends
        assert refresh(article).state() == "embargoed"  # held by its embargo, then out at its time
        assert not Article.objects.published().filter(pk=article.pk).exists()

    def test_an_embargo_set_on_a_published_article_hides_it(self, client):
        story = make_article(title="Already out-zq")
        assert client.get(story.get_absolute_url()).status_code == 200
        story.embargo_until = timezone.now() + timedelta(hours=1)
        story.save()
        assert client.get(story.get_absolute_url()).status_code == 404
        assert not refresh(story).is_published()

    def test_share_links_say_embargoed_until(self, writer, client):
        article = draft_by(writer, embargo_until=timezone.now() + timedelta(days=2))
        link = ShareLink.objects.create(article=article)
        page = client.get(link.get_absolute_url()).content.decode()
        assert "Embargoed until" in page and "do not publish or share it before then" in page

    def test_the_admin_shows_embargoed_articles_distinctly(self, writer, editor, client_for):
        article = draft_by(writer, title="Secret-zq", embargo_until=timezone.now() + timedelta(days=2))
        client = client_for(editor)
        listing = client.get(reverse("admin:articles_article_changelist")).content.decode()
        assert "state-embargoed" in listing and "Embargoed until" in listing
        filtered = client.get(reverse("admin:articles_article_changelist") + "?desk=embargoed").content.decode()
        assert "Secret-zq" in filtered
        page = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
        assert "Embargoed until" in page


class TestCorrectionsPage:
    def test_lists_public_corrections_newest_first_with_feeds(self, client):
        old = make_article(title="Old story")
        new = make_article(title="New story")
        hidden = make_article(title="Draft story", status=Article.Status.DRAFT)
        embargoed = make_article(title="Embargoed story", embargo_until=timezone.now() + timedelta(hours=1))
        now = timezone.now()
        first = Correction.objects.create(article=old, text="The *date* was wrong.", created_at=now - timedelta(days=2))
        second = Correction.objects.create(article=new, text="Updated with the reply.", kind="update",
                                           created_at=now - timedelta(hours=1))  # fmt: skip
        Correction.objects.create(article=hidden, text="Secret fix.")
        Correction.objects.create(article=embargoed, text="Embargoed fix.")
        page = client.get(reverse("articles:corrections")).content.decode()
        assert page.index("New story") < page.index("Old story")
        assert "<em>date</em>" in page and second.get_absolute_url() in page
        assert "Secret fix" not in page and "Embargoed fix" not in page
        for fmt in ("rss", "atom", "json"):
            url = reverse(f"articles:corrections_feed_{fmt}")
            response = client.get(url)
            assert response.status_code == 200
            if fmt == "json":
                items = json.loads(response.content)["items"]
                assert [item["title"] for item in items] == ["Update: New story", "Correction: Old story"]
                continue
            parsed = feedparser.parse(response.content)
            assert not parsed.bozo, parsed.get("bozo_exception")
            assert [entry.title for entry in parsed.entries] == ["Update: New story", "Correction: Old story"]
            assert parsed.entries[1].link.endswith(first.get_absolute_url())
            assert all(entry.get("author") for entry in parsed.entries)  # the publisher: Atom needs an author
            again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
            assert again.status_code == 304
        Correction.objects.create(article=old, text="Another fix.")
        assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 200
        sitemap = client.get(reverse("articles:sitemap", kwargs={"section": "pages"})).content.decode()
        assert "/corrections/" in sitemap

    def test_paginated(self, client):
        article = make_article()
        now = timezone.now()
        Correction.objects.bulk_create(
            Correction(article=article, text=f"Fix {i}.", text_html=f"<p>Fix number-{i}.</p>",
                       created_at=now - timedelta(minutes=i))
            for i in range(35)
        )  # fmt: skip
        first = client.get(reverse("articles:corrections")).content.decode()
        assert "number-0." in first and "number-34." not in first and 'rel="next"' in first
        second = client.get(reverse("articles:corrections") + "?page=2").content.decode()
        assert "number-34." in second
        assert client.get(reverse("articles:corrections") + "?page=9").status_code == 404
