from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from articles.models import Article, ArticleAlias, Author, Byline
from articles.tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db


class TestSlugs:
    def test_slug_is_made_from_the_title(self):
        """A new article gets a slug from its title."""
        assert make_article(title="Budget vote delayed again").slug == "budget-vote-delayed-again"

    def test_unicode_title_gives_a_readable_slug(self):
        """Cyrillic titles keep their letters instead of collapsing to nothing."""
        assert make_article(title="НАТО і Україна").slug == "нато-і-україна"

    def test_title_without_letters_never_gives_an_empty_slug(self):
        """A title of punctuation still yields a usable slug."""
        assert make_article(title="!!! ???").slug == "article"

    def test_collisions_get_a_numeric_suffix(self):
        """Two articles with one title get distinct slugs."""
        slugs = [make_article(title="Storm warning").slug for _ in range(3)]
        assert slugs == ["storm-warning", "storm-warning-2", "storm-warning-3"]

    def test_slug_is_kept_when_the_title_changes(self):
        """Editing a headline does not move the article."""
        article = make_article(title="First headline")
        article.title = "Better headline"
        article.save()
        assert Article.objects.get(pk=article.pk).slug == "first-headline"

    def test_changing_the_slug_keeps_the_old_address_as_an_alias(self):
        """An old slug is recorded so its URL can redirect."""
        article = Article.objects.get(pk=make_article(title="Old name").pk)
        article.slug = "new-name"
        article.save()
        assert list(ArticleAlias.objects.values_list("path", "article")) == [("/articles/old-name/", article.pk)]

    def test_author_slug_from_name(self):
        """Authors get slugs from their names too."""
        assert make_author("Olena Kovalenko").slug == "olena-kovalenko"


class TestPublished:
    @pytest.mark.parametrize(
        ("status", "offset", "visible"),
        [
            (Article.Status.PUBLISHED, -timedelta(minutes=1), True),
            (Article.Status.PUBLISHED, timedelta(minutes=1), False),
            (Article.Status.DRAFT, -timedelta(minutes=1), False),
            (Article.Status.DRAFT, timedelta(minutes=1), False),
            (Article.Status.REVIEW, -timedelta(minutes=1), False),
            (Article.Status.WITHDRAWN, -timedelta(minutes=1), False),
        ],
    )
    def test_grid(self, status, offset, visible):
        """published() and is_published() agree on status x publication time."""
        article = make_article(status=status, published_at=timezone.now() + offset)
        assert (article in Article.objects.published()) is visible
        assert article.is_published() is visible

    def test_published_without_a_time_is_not_visible(self):
        """A published status without a publication time shows nothing."""
        article = make_article(published_at=None)
        assert not Article.objects.published().filter(pk=article.pk).exists()
        assert not article.is_published()

    def test_expired_articles_are_hidden(self):
        """An article past its expiry time leaves the reader site."""
        article = make_article(expires_at=timezone.now() - timedelta(seconds=1))
        assert not Article.objects.published().filter(pk=article.pk).exists()
        assert not article.is_published()

    def test_scheduled_article_appears_when_its_time_comes(self, time_machine):
        """A future publication time schedules the article, with nothing to flip."""
        time_machine.move_to(timezone.now(), tick=False)
        article = make_article(published_at=timezone.now() + timedelta(hours=2))
        assert article.state() == "scheduled" and not Article.objects.published().exists()
        time_machine.shift(timedelta(hours=2, seconds=1))
        assert list(Article.objects.published()) == [article]


class TestBylinesAndTags:
    def test_bylines_keep_their_order(self):
        """Authors come back in the order the desk set, not by name or id."""
        zed, amy, mo = make_author("Zed Last"), make_author("Amy First"), make_author("Mo Middle")
        article = make_article(authors=[mo, zed, amy])
        fetched = Article.objects.with_bylines().get(pk=article.pk)
        assert [b.author.name for b in fetched.bylines.all()] == ["Mo Middle", "Zed Last", "Amy First"]

    def test_byline_roles_and_guest_contributors(self):
        """A guest needs no login and a byline can carry a role."""
        guest = make_author("Guest Photographer")
        article = make_article()
        Byline.objects.create(article=article, author=guest, role="Photos")
        assert str(article.bylines.get()) == "Guest Photographer (Photos)"

    def test_an_author_appears_once_per_article(self):
        """The same author cannot be credited twice on one article."""
        author = make_author()
        article = make_article(authors=[author])
        with pytest.raises(IntegrityError):
            Byline.objects.create(article=article, author=author, position=5)

    def test_tags_attach_case_insensitively(self):
        """NATO and nato are one tag."""
        first = make_article(tags=["NATO", "Ukraine"])
        second = make_article(tags=["nato"])
        assert sorted(first.tags.names()) == ["NATO", "Ukraine"]
        assert list(second.tags.names()) == ["NATO"]

    def test_one_person_one_author(self):
        """Looking an author up by name in any case finds the same person."""
        author, created = Author.objects.get_or_create_by_name("Ultron Bloom")
        again, created_again = Author.objects.get_or_create_by_name("ultron  BLOOM")
        assert created and not created_again and again == author


class TestRendering:
    def test_body_html_is_rendered_on_save(self):
        """Markdown is stored rendered, ready for templates."""
        article = make_article(body="Some **bold** text.")
        assert Article.objects.get(pk=article.pk).body_html == "<p>Some <strong>bold</strong> text.</p>"

    def test_unchanged_body_is_not_rendered_again(self, monkeypatch):
        """Saving without touching the body skips the renderer."""
        article = make_article(body="Once.")
        monkeypatch.setattr("articles.markup.markdown.render_markdown", lambda *a, **k: pytest.fail("rendered again"))
        article.dek = "New dek"
        article.save()


@pytest.mark.django_db
def test_credits_and_tags_read_the_same_however_the_article_was_fetched():
    """Attached as values (reader pages), prefetched (the admin, exports) or read on demand: the same bylines
    and tags in the same order, with the addresses readers follow."""
    article = make_article(title="Shared", authors=[make_author("Ann Byline"), make_author("Bo Second")],
                           tags=["Harbour", "Ports"])  # fmt: skip
    Byline.objects.filter(article=article, author__name="Bo Second").update(role="Photos")
    fetched = [
        Article.objects.with_credits().get(pk=article.pk),
        Article.objects.with_bylines().get(pk=article.pk),
        Article.objects.get(pk=article.pk),
    ]
    seen = {(tuple(a.bylines_shown), tuple(a.tags_shown)) for a in fetched}
    assert len(seen) == 1
    bylines, tags = seen.pop()
    assert [(b.name, b.role, b.url) for b in bylines] == [
        ("Ann Byline", "", "/authors/ann-byline/"),
        ("Bo Second", "Photos", "/authors/bo-second/"),
    ]
    assert [(t.name, t.url) for t in tags] == [("Harbour", "/tags/harbour/"), ("Ports", "/tags/ports/")]


def test_credits_for_more_articles_than_one_query_takes(monkeypatch, django_assert_num_queries):
    """Past the batch size, credits come in several bounded queries and every article still gets its own."""
    from articles.models import credits

    monkeypatch.setattr(credits, "CREDITS_BATCH", 2)
    for n in range(5):
        make_article(title=f"Batch {n}", authors=[make_author(f"Writer {n}"), make_author(f"Second {n}")],
                     tags=[f"Topic {n}"])  # fmt: skip
    with django_assert_num_queries(1 + 3):  # the articles, then credits for two, two and one
        articles = list(Article.objects.with_credits().order_by("pk"))
    assert [([b.name for b in a.bylines_shown], [t.name for t in a.tags_shown]) for a in articles] == [
        ([f"Writer {n}", f"Second {n}"], [f"Topic {n}"]) for n in range(5)
    ]
