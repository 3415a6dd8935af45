"""A change purges a key of every page that shows it: each test reads a page's ``xkey`` (the test client, the
app's caches emptied first), makes a change, and checks the keys the change purged (the outbox, the broker
answering nobody) against the page's, and the page itself afterwards."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article, Banner, Section
from articles.tests.factories import kind_of_work, make_article, make_author, make_picture
from edge import middleware
from edge.models import Purge
from newsroom import jobs

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("stub_edge", "dead_broker")]


def purged(change):
    Purge.objects.all().delete()
    change()
    return set().union(*(set(row.keys.split()) for row in Purge.objects.all()))


def page(client, url):
    """(status, keys, response) of ``url`` rendered afresh."""
    for name in caches:
        caches[name].clear()
    response = client.get(url)
    return response.status_code, set(response.get("xkey", "").split()), response


def save(article, **fields):
    def change():
        for name, value in fields.items():
            setattr(article, name, value)
        article.save()

    return change


def test_scheduling_a_draft_purges_the_lists_it_will_join(client):
    make_article(title="Already out")
    draft = make_article(title="Coming soon", status="draft", published_at=None)
    _, keys, response = page(client, "/")
    soon = timezone.now() + timedelta(minutes=2)
    assert keys & purged(save(draft, status=Article.Status.PUBLISHED, published_at=soon))
    jobs.forget_refusal()  # the queue's refusal here is this module's setting, not the point
    Purge.objects.all().delete()
    middleware._checked["at"] = -float("inf")
    _, _, response = page(client, "/")
    assert 60 < int(response["Surrogate-Control"].removeprefix("max-age=")) <= 120


def test_moving_a_scheduled_publication_earlier_purges_the_lists(client):
    scheduled = make_article(title="Later", published_at=timezone.now() + timedelta(hours=20))
    _, keys, _ = page(client, "/latest/")
    assert keys & purged(save(scheduled, published_at=timezone.now() + timedelta(minutes=2)))


def test_setting_an_expiry_on_a_live_article_purges_the_lists_it_leaves(client):
    section = Section.objects.create(name="Weather", position=1, in_navigation=True)
    story = make_article(section=section, tags=["Solo"])
    other = make_article(title="Elsewhere")
    tags_keys, page_keys = page(client, "/tags/")[1], page(client, other.get_absolute_url())[1]
    keys = purged(save(story, expires_at=timezone.now() + timedelta(minutes=2)))
    assert tags_keys & keys  # the tag list counts it
    assert "nav" in page_keys and "nav" in keys  # the only article of a section in the navigation


def test_an_edit_of_an_article_that_moves_nothing_purges_only_its_own_key():
    story = make_article(tags=["Ferries"])
    assert purged(save(story, title="A new headline")) == {f"a{story.pk}"}


def test_withdrawing_the_banner_article_purges_the_banner_on_every_page(client):
    story, other = make_article(title="Breaking thing"), make_article(title="Other")
    Banner.objects.create(text="Breaking: thing", article=story, expires_at=timezone.now() + timedelta(hours=3))
    _, keys, response = page(client, other.get_absolute_url())
    assert b"Breaking: thing" in response.content
    assert "banner" in keys & purged(save(story, status=Article.Status.WITHDRAWN))
    assert b"Breaking: thing" not in page(client, other.get_absolute_url())[2].content


def test_publishing_the_banner_draft_purges_the_banner(client):
    draft = make_article(title="Breaking thing", status="draft", published_at=None)
    other = make_article(title="Other")
    Banner.objects.create(text="Breaking: thing", article=draft, expires_at=timezone.now() + timedelta(hours=3))
    _, keys, _ = page(client, other.get_absolute_url())
    assert "banner" in keys & purged(save(draft, status=Article.Status.PUBLISHED, published_at=timezone.now()))


def test_a_new_address_of_the_banner_article_purges_the_banner(client):
    story, other = make_article(title="Breaking thing"), make_article(title="Other")
    Banner.objects.create(text="Breaking: thing", article=story, expires_at=timezone.now() + timedelta(hours=3))
    _, keys, _ = page(client, other.get_absolute_url())
    assert "banner" in keys & purged(save(story, slug="breaking-thing-renamed"))


def test_renaming_a_kind_of_work_purges_the_pages_labelled_with_it(client):
    """A kind's rename purges its key, which the front page (its card) and the article page carry."""
    column = make_article(title="A column", kind=kind_of_work("Opinion"))
    _, front, _ = page(client, "/")
    _, article, _ = page(client, column.get_absolute_url())
    kind = kind_of_work("Opinion")
    keys = purged(save(kind, name="Comment"))
    assert f"k{kind.pk}" in front & article & keys
    assert b">Comment<" in page(client, column.get_absolute_url())[2].content


def test_an_article_given_another_kind_purges_both_kinds_lists_and_nothing_else(client):
    """Relabelling a shown article purges the API's lists of its old and new kind, and its own key."""
    opinion, analysis = kind_of_work("Opinion"), kind_of_work("Analysis")
    story = make_article(title="Rates rise", kind=opinion)
    _, keys, _ = page(client, "/api/v1/articles?kind=analysis")
    assert purged(save(story, kind=analysis)) == {f"a{story.pk}", f"kl{opinion.pk}", f"kl{analysis.pk}"}
    assert f"kl{analysis.pk}" in keys


def test_an_author_page_carries_its_photo_and_bio_pictures(client):
    photo, figure = make_picture(), make_picture(color=(200, 30, 30))
    author = make_author(name="Ann Writer", photo=photo, bio=f'Hello.\n\n![Me](image:{figure.pk} "At work")\n')
    make_article(authors=[author])
    _, keys, _ = page(client, author.get_absolute_url())
    assert {f"i{photo.pk}", f"i{figure.pk}"} <= keys
    assert f"i{photo.pk}" in purged(save(photo, rights_expire_on=timezone.localdate() - timedelta(days=1)))


def test_an_author_renamed_to_an_address_purges_its_cached_404(client):
    author = make_author(name="Ann Writer")
    make_article(authors=[author])
    status, keys, _ = page(client, "/authors/ann-w/")
    assert status == 404
    assert keys & purged(save(author, slug="ann-w"))
    assert page(client, "/authors/ann-w/")[0] == 200


def test_an_import_of_new_articles_purges_the_lists(client, tmp_path):
    make_article(title="Existing", published_at=timezone.now() - timedelta(days=900))
    (tmp_path / "story.md").write_text("---\ntitle: Imported harbour story\ndate: 2024-05-01\n---\nBody.\n")
    _, keys, _ = page(client, "/latest/")
    keys_purged = purged(lambda: call_command("import_markdown", str(tmp_path), stdout=StringIO(), stderr=StringIO()))
    assert "latest" in keys & keys_purged and "site" not in keys_purged  # its lists, not every page
    assert b"Imported harbour story" in page(client, "/latest/")[2].content


def test_a_picture_added_to_an_old_article_purges_neither_the_front_page_nor_every_page(client):
    old = make_article(title="Old one", published_at=timezone.now() - timedelta(days=400))
    for _ in range(16):
        make_article()
    picture = make_picture()
    _, keys, _ = page(client, "/")
    assert f"a{old.pk}" not in keys
    keys_purged = purged(save(old, body=old.body + f'\n\n![A harbour](image:{picture.pk} "Cap")\n'))
    assert keys_purged == {f"a{old.pk}"}


def test_a_draft_bylines_written_in_bulk_purge_nothing():
    from articles.models import Byline

    draft = make_article(status="draft", published_at=None)
    author = make_author()
    assert purged(lambda: Byline.objects.bulk_create([Byline(article=draft, author=author)])) == set()
