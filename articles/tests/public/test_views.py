import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleAlias, Banner, Pin, Section
from articles.tests.factories import make_article, make_author, make_picture
from pagecache.generation import invalidate

pytestmark = pytest.mark.django_db


@pytest.fixture
def newsroom():
    """One published story, plus a draft, a scheduled, a withdrawn and an expired one that share its tag and author."""
    author = make_author("Dana Scully")
    now = timezone.now()
    visible = make_article(title="Visible story-v1", authors=[author], tags=["Harbour"], dek="Dek of the visible one.")
    hidden = [
        make_article(title="Draft story-d1", status=Article.Status.DRAFT, authors=[author], tags=["Harbour", "Secret"]),
        make_article(title="Future story-f1", published_at=now + timedelta(days=1), authors=[author], tags=["Harbour"]),
        make_article(
            title="Withdrawn story-w1",
            status=Article.Status.WITHDRAWN,
            withdrawal_note="Withdrawn: the main source recanted.",
            authors=[author],
            tags=["Harbour"],
        ),
        make_article(
            title="Expired story-e1", expires_at=now - timedelta(minutes=1), authors=[author], tags=["Harbour"]
        ),
    ]
    return {"author": author, "visible": visible, "hidden": hidden}


def public_urls(newsroom):
    author, visible = newsroom["author"], newsroom["visible"]
    month = timezone.localtime(visible.published_at)
    return [
        reverse("articles:home"),
        visible.get_absolute_url(),
        reverse("articles:tag", args=["harbour"]),
        reverse("articles:tags"),
        author.get_absolute_url(),
        reverse("articles:archive"),
        reverse("articles:archive_month", args=[month.year, month.month]),
        reverse("articles:search") + "?q=story",
        reverse("articles:sitemap", args=["articles"]),
        reverse("articles:sitemap", args=["tags"]),
        reverse("articles:news_sitemap"),
        *[reverse(f"articles:feed_{fmt}") for fmt in ("rss", "atom", "json")],
        *[reverse(f"articles:tag_feed_{fmt}", args=["harbour"]) for fmt in ("rss", "atom", "json")],
        *[reverse(f"articles:author_feed_{fmt}", args=[author.slug]) for fmt in ("rss", "atom", "json")],
    ]


def test_nothing_unpublished_leaks_on_any_public_page(client, newsroom):
    """Drafts, scheduled, withdrawn and expired articles appear on no public page or feed, not even as a count."""
    for url in public_urls(newsroom):
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        expected = {reverse("articles:tags"): "Harbour", reverse("articles:sitemap", args=["tags"]): "/tags/harbour/"}
        expected = expected.get(url, "/articles/visible-story-v1/")
        assert expected in page, url
        for marker in ("Draft story-d1", "Future story-f1", "Withdrawn story-w1", "Expired story-e1", "Secret"):
            assert marker not in page, (url, marker)


def test_unpublished_articles_are_not_found(client, newsroom):
    """Reader URLs of a draft, a scheduled and an expired article answer 404."""
    draft, future, _, expired = newsroom["hidden"]
    for article in (draft, future, expired):
        assert client.get(article.get_absolute_url()).status_code == 404


def test_withdrawn_article_answers_gone_with_its_note(client, newsroom):
    """A withdrawn article's address says 410 Gone and shows the public note, not the body."""
    withdrawn = newsroom["hidden"][2]
    response = client.get(withdrawn.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 410
    assert "the main source recanted" in page and withdrawn.body not in page


def test_tag_only_drafts_use_does_not_exist_for_readers(client, newsroom):
    """A tag carried only by drafts is a 404, so its name does not leak."""
    assert client.get(reverse("articles:tag", args=["secret"])).status_code == 404


class TestPages:
    def test_home_shows_a_lead_and_a_list(self, client):
        """With nothing pinned, the newest story leads the front page; the rest follow in order."""
        older = make_article(title="Older-h2", published_at=timezone.now() - timedelta(hours=5))
        lead = make_article(title="Lead-h1", lead_image_url="https://img.example/lead.jpg", lead_image_alt="Harbour")
        response = client.get(reverse("articles:home"))
        page = response.content.decode()
        assert response.templates[0].name == "articles/front_page.html"
        assert page.index("Lead-h1") < page.index("Older-h2")
        assert 'class="card card-lead"' in page and "https://img.example/lead.jpg" in page
        assert lead.dek in page and older.dek in page

    def test_latest_lists_everything_newest_first(self, client):
        older = make_article(title="Older-h2", published_at=timezone.now() - timedelta(hours=5))
        newer = make_article(title="Newer-h1")
        page = client.get(reverse("articles:latest")).content.decode()
        assert page.index(newer.title) < page.index(older.title) and "<h1>Latest news</h1>" in page

    def test_article_page_has_everything_a_reader_needs(self, client):
        """Headline, dek, bylines, times, image with caption, body, tags and related stories."""
        author = make_author("Fox Mulder")
        article = make_article(
            title="Full article-a1",
            body="First **paragraph**.",
            authors=[author],
            tags=["Ferries", "Weather"],
            lead_image_url="https://img.example/p.jpg",
            lead_image_alt="A ferry in fog",
            lead_image_caption="The morning ferry.",
            lead_image_credit="Photo: A. Person",
            updated_at=timezone.now(),
        )
        related = make_article(title="Related-r1", tags=["Ferries"])
        page = client.get(article.get_absolute_url()).content.decode()
        assert page.count("<h1") == 1 and "Full article-a1</h1>" in page
        assert f'<a href="{author.get_absolute_url()}">Fox Mulder</a>' in page
        assert "Updated <time" in page and "min read" in page
        assert 'alt="A ferry in fog"' in page and "The morning ferry." in page and "Photo: A. Person" in page
        assert "<strong>paragraph</strong>" in page
        assert 'href="/tags/weather/"' in page and related.title in page

    def test_seo_metadata(self, client):
        """Canonical URL, description, Open Graph, Twitter card and NewsArticle JSON-LD."""
        author = make_author("Lois Lane")
        article = make_article(
            title="SEO story", dek="Short dek.", authors=[author], lead_image_url="https://img.example/x.jpg"
        )
        page = client.get(article.get_absolute_url()).content.decode()
        assert f'<link rel="canonical" href="http://127.0.0.1:8000{article.get_absolute_url()}">' in page
        assert '<meta name="description" content="Short dek.">' in page
        assert '<meta property="og:type" content="article">' in page
        assert '<meta name="twitter:card" content="summary_large_image">' in page
        data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page).group(1))
        assert data["@type"] == "NewsArticle" and data["headline"] == "SEO story"
        assert data["author"][0]["name"] == "Lois Lane"
        assert data["image"] == [
            {"@type": "ImageObject", "url": "https://img.example/x.jpg", "contentUrl": "https://img.example/x.jpg"}
        ]
        assert data["publisher"]["name"] and data["datePublished"]
        assert 'type="application/rss+xml"' in page and 'type="application/atom+xml"' in page

    def test_pages_without_optional_parts(self, client):
        """An article without bylines, tags or image still renders cleanly."""
        article = make_article(title="Bare story")
        assert client.get(article.get_absolute_url()).status_code == 200

    def test_changed_slug_redirects_permanently(self, client):
        """An article whose slug changed still answers at the old address with a 301."""
        article = Article.objects.get(pk=make_article(title="Old slug story").pk)
        old_url = article.get_absolute_url()
        article.slug = "new-slug-story"
        article.save()
        response = client.get(old_url)
        assert response.status_code == 301 and response["Location"] == "/articles/new-slug-story/"

    def test_addresses_under_a_changed_slug_follow_it(self, client):
        """What is served under an article's address (a live page's poll answer and feeds) follows a new slug."""
        article = Article.objects.get(pk=make_article(title="Old slug story").pk)
        article.slug = "new-slug-story"
        article.save()
        response = client.get("/articles/old-slug-story/live/updates.json")
        assert response.status_code == 301 and response["Location"] == "/articles/new-slug-story/live/updates.json"
        response = client.get("/articles/old-slug-story/live/feed/rss/")
        assert response.status_code == 301 and response["Location"] == "/articles/new-slug-story/live/feed/rss/"
        assert client.get("/articles/never-was/live/feed/rss/").status_code == 404

    def test_a_spelled_out_nul_in_an_address_is_a_404(self, client):
        """``%00`` in an address decodes to a character PostgreSQL cannot compare: no alias is looked up."""
        make_article(title="Old slug story")
        assert client.get("/articles/%2500/live/updates.json").status_code == 404
        assert client.get("/2019/%2500/").status_code == 404

    def test_imported_alias_redirects(self, client):
        """A Hugo alias outside /articles/ redirects too."""
        article = make_article()
        ArticleAlias.objects.create(path="/2019/05/old-path/", article=article)
        response = client.get("/2019/05/old-path")
        assert response.status_code in (301, 302)
        response = client.get("/2019/05/old-path/")
        assert response.status_code == 301 and response["Location"] == article.get_absolute_url()

    def test_alias_of_a_draft_does_not_redirect(self, client):
        """Aliases never reveal where an unpublished article lives."""
        draft = make_article(status=Article.Status.DRAFT)
        ArticleAlias.objects.create(path="/old/draft/", article=draft)
        assert client.get("/old/draft/").status_code == 404

    @pytest.mark.parametrize("page", ["999", "abc", "0", "-1", "1.5", "9" * 30])
    def test_unknown_page_numbers_are_404(self, client, page):
        """Bad page numbers give the site's 404, not a 500."""
        make_article()
        response = client.get(reverse("articles:latest"), {"page": page})
        assert response.status_code == 404
        assert "Page not found" in response.content.decode()

    def test_pagination_links_are_stable(self, client):
        """Page 2 exists, links back and forward, and keeps the search query."""
        for n in range(25):
            make_article(title=f"Paged harbour story {n}", published_at=timezone.now() - timedelta(minutes=n + 1))
        page = client.get(reverse("articles:search"), {"q": "harbour", "page": 2}).content.decode()
        assert "Page 2" in page and 'href="?q=harbour"' in page and 'rel="next"' not in page
        assert page.count('class="card-title"') == 5
        first = client.get(reverse("articles:search"), {"q": "harbour"}).content.decode()
        assert 'rel="next" href="?q=harbour&amp;page=2"' in first and 'rel="prev"' not in first

    @pytest.mark.parametrize("number", ["3", "0", "-1", "501", "x", "99999999999999999999"])
    def test_pages_past_the_end_or_not_numbers_are_not_found(self, client, number):
        """Past the oldest article, beyond the page cap, or not a number: 404, never a 500."""
        for n in range(25):
            make_article(title=f"Paged story {n}")
        response = client.get(reverse("articles:latest"), {"page": number})
        assert response.status_code == 404

    def test_search_ranks_headline_matches_first(self, client):
        """A word in the headline outranks the same word in a body."""
        make_article(
            title="Budget news", body="The word zebra appears here.", published_at=timezone.now() - timedelta(minutes=1)
        )
        make_article(
            title="Zebra crossing plan", body="Nothing else.", published_at=timezone.now() - timedelta(hours=3)
        )
        page = client.get(reverse("articles:search"), {"q": "zebra"}).content.decode()
        assert page.index("Zebra crossing plan") < page.index("Budget news")

    def test_search_without_a_query(self, client):
        """The search page with no query shows the form and no results."""
        make_article(title="Anything")
        response = client.get(reverse("articles:search"))
        assert response.status_code == 200 and "Anything" not in response.content.decode()

    def test_archive_by_year_and_month(self, client):
        """Month pages list that month's articles, in the site's time zone."""
        make_article(title="March piece", published_at=timezone.make_aware(timezone.datetime(2024, 3, 10, 12)))
        make_article(title="April piece", published_at=timezone.make_aware(timezone.datetime(2024, 4, 2, 12)))
        march = client.get(reverse("articles:archive_month", args=[2024, 3])).content.decode()
        year = client.get(reverse("articles:archive_year", args=[2024])).content.decode()
        assert "March piece" in march and "April piece" not in march
        assert "March piece" in year and "April piece" in year
        assert client.get(reverse("articles:archive_month", args=[2024, 13])).status_code == 404

    def test_tags_index_counts_published_articles(self, client):
        """The topics page shows each tag once, with its published count."""
        make_article(tags=["Rail"])
        make_article(tags=["Rail"])
        page = client.get(reverse("articles:tags")).content.decode()
        assert '<a href="/tags/rail/">Rail</a> <span class="count">2</span>' in page

    def test_author_page_shows_bio_and_articles(self, client):
        """An author's page shows who they are and what they wrote."""
        author = make_author("Clark Kent", bio="Covers *the city*.")
        make_article(title="By Clark", authors=[author])
        page = client.get(author.get_absolute_url()).content.decode()
        assert "<em>the city</em>" in page and "By Clark" in page

    def test_article_page_supports_conditional_get(self, client, time_machine):
        """Article pages carry validators and answer 304 when unchanged."""
        article = make_article()
        time_machine.move_to(timezone.now() + timedelta(seconds=2))  # Last-Modified counts whole seconds
        first = client.get(article.get_absolute_url())
        assert first["Last-Modified"] and first["ETag"]
        again = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304

    def test_robots_and_sitemaps(self, client):
        """robots.txt points at both sitemaps; the news sitemap lists the last 48 hours only."""
        recent = make_article(title="Fresh one")
        old = make_article(title="Old one", published_at=timezone.now() - timedelta(days=3))
        robots = client.get("/robots.txt").content.decode()
        assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in robots and "Disallow: /admin/" in robots
        news = client.get(reverse("articles:news_sitemap")).content.decode()
        assert recent.get_absolute_url() in news and old.get_absolute_url() not in news
        assert "<news:title>Fresh one</news:title>" in news
        index = client.get(reverse("articles:sitemap_index")).content.decode()
        assert "sitemap-articles.xml" in index

    def test_500_page_is_in_the_site_design(self, client, monkeypatch):
        """An unexpected error shows a calm page without a stack trace."""
        from articles.public import views

        def broken(self):
            raise RuntimeError("boom")

        monkeypatch.setattr(views.ArticleListView, "get_queryset", broken)
        client.raise_request_exception = False
        response = client.get(reverse("articles:latest"))
        assert response.status_code == 500
        page = response.content.decode()
        assert "Something went wrong" in page and "Traceback" not in page and "boom" not in page


# Settings, navigation, banner, the newsroom's pages in the footer; the next scheduled change of articles, banners,
# pins and pictures' rights (with the site's time zone, which the rights' days start in); the state of the library
# pictures bodies show.
SITE_STATE_QUERIES = 10


@pytest.fixture
def crowded():
    """Many articles, each with several bylines and tags, most with a library lead picture and some with pictures
    in the body, to show query counts do not grow."""
    authors = [make_author(f"Crowd Author {n}") for n in range(4)]
    sections = [Section.objects.create(name=f"Section {n}", position=n) for n in range(5)]
    pictures = [make_picture(color=(n * 40, 90, 90), alt=f"Picture {n}") for n in range(3)]
    articles = [
        make_article(
            title=f"Crowded {n}",
            authors=authors[: 1 + n % 4],
            tags=["Alpha", "Beta", f"Topic {n % 5}"],
            published_at=timezone.now() - timedelta(hours=n + 1),
            section=sections[0 if n < 25 else n % 5],
            lead_image=pictures[n % 3] if n % 4 else None,
            body=f"Text.\n\n![](image:{pictures[n % 3].pk})\n\n![](image:{pictures[(n + 1) % 3].pk})"
            if n % 2
            else "Text.",
        )
        for n in range(60)
    ]
    Pin.objects.create(article=articles[7], place=Pin.Place.LEAD)
    for n in (3, 11, 12):
        Pin.objects.create(article=articles[n], position=n)
    Banner.objects.create(text="Storm warning", expires_at=timezone.now() + timedelta(hours=2))
    return authors


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/latest/",
        "/latest/?page=2",
        "/sections/section-0/",
        "/sections/section-0/?page=2",
        "/articles/crowded-3/",
        "/tags/alpha/",
        "/tags/alpha/?page=2",
        "/tags/",
        "/authors/crowd-author-0/",
        "/archive/",
        "/search/?q=crowded",
        "/feed/rss/",
        "/tags/alpha/feed/atom/",
        "/authors/crowd-author-0/feed/json/",
        "/sections/section-1/feed/rss/",
        "/sitemap-articles.xml",
        "/sitemap-sections.xml",
    ],
)
def test_query_count_is_small_and_constant(client, crowded, django_assert_max_num_queries, url):
    """Every page type stays within six queries however many articles, sections, pins, tags and bylines there
    are; a feed whose entries are rendered for the first time reads their bodies with one more; an article or a
    feed rendered for the first time reads the library pictures its bodies show with one more. What every page
    shows around its content (the site settings, the sections, the banner) and when the next scheduled change
    comes are read once per process and generation: six more after an edit."""
    client.get("/tags/")  # this generation's site state, read once
    live_pages = "/articles/" in url  # which articles have a live stream: read once per generation, for their pages
    with django_assert_max_num_queries(6 + ("/feed/" in url) + ("/feed/" in url or "/articles/" in url) + live_pages):
        response = client.get(url)
    assert response.status_code == 200
    invalidate()  # an edit elsewhere: the page is put together again from its fragments
    with django_assert_max_num_queries(6 + SITE_STATE_QUERIES + live_pages):
        assert client.get(url).content == response.content
