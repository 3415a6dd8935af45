"""Issue 33's changes through the whole chain (gunicorn, a Celery worker, a real ``varnishd``): a kind of work
renamed, a newsroom page published or unpublished, an author's role changed and a picture's credit changed each
show to an anonymous reader through the edge on every page that shows them, every page a hit before."""

import pytest

from about.tests.factories import make_page
from articles.models import Section
from articles.tests.factories import kind_of_work, make_article, make_author, make_picture

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("worker")]

EDGE_SECONDS = 3600  # long: within a test, only a purge can change a stored page


@pytest.fixture
def story(edge):
    section = Section.objects.create(name="Harbour", position=1)
    author = make_author("Rosa Marin", job_title="Port reporter")
    picture = make_picture(alt="Quay", credit="Harbour Agency", licence="Staff")
    return make_article(title="Ferries run late", section=section, authors=[author], kind=kind_of_work("Analysis"),
                        lead_image=picture, lead_image_alt="Quay", tags=["Ferries"])  # fmt: skip


def html_pages(article):
    author = article.bylines.get().author.slug
    return ["/", "/latest/", f"/sections/{article.section.slug}/", article.get_absolute_url(), f"/authors/{author}/",
            "/tags/ferries/"]  # fmt: skip


def test_a_kind_renamed_shows_on_cards_the_article_and_the_feed(edge, story):
    """Its label on every card and on the article page, and its category in the feed."""
    watch = [*html_pages(story)[:4], "/feed/rss/"]
    edge.cached(*watch)
    kind = story.kind
    kind.name = "Harbour analysis-K7"
    kind.save()
    for path in watch:
        edge.shows(path, "Harbour analysis-K7")


def test_a_newsroom_page_published_then_unpublished_shows_then_leaves_every_footer(edge, story):
    """Every page's footer (and the front page's publisher JSON-LD) gains it, then loses it."""
    page = make_page(title="Ethics policy-P7", role="ethics", published=False)
    watch = [*html_pages(story), "/about/"]
    edge.cached(*watch)
    page.published = True
    page.save()
    for path in watch:
        edge.shows(path, "Ethics policy-P7")
    edge.cached(*watch)
    page.published = False
    page.save()
    for path in watch:
        edge.hides(path, "Ethics policy-P7")


def test_an_authors_role_and_a_pictures_credit_show_where_they_are_named(edge, story):
    """The role on the author page and in the article's JSON-LD; the credit in the article's JSON-LD."""
    author, picture = story.bylines.get().author, story.lead_image
    watch = [story.get_absolute_url(), f"/authors/{author.slug}/"]
    edge.cached(*watch)
    author.job_title = "Harbour editor-R7"
    author.save()
    for path in watch:
        edge.shows(path, "Harbour editor-R7")
    edge.cached(story.get_absolute_url())
    picture.credit = "Quay Photos-C7"
    picture.save()
    edge.shows(story.get_absolute_url(), "Quay Photos-C7")
