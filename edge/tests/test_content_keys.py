"""Which keys each change of the content purges (articles/edgekeys.py), through the ORM and the admin, read from
the outbox: the broker here answers nobody, so every committed purge stays there as written."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from taggit.models import Tag

from articles.models import (
    Article,
    ArticleAlias,
    ArticleImage,
    Banner,
    Byline,
    Correction,
    Pin,
    Section,
    SectionAlias,
    SiteSettings,
)
from articles.tests.factories import change_url, form_data, make_article, make_author, make_picture, refresh
from edge import outbox
from edge.models import Purge
from pagecache.registry import retiring_once

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("stub_edge", "dead_broker")]

LISTS = {"latest", "missing", "tags"}


def purged(change):
    """The keys ``change()`` purges, as the outbox records them, and the number of requests their delivery to
    the stub edge takes (rows due together are merged)."""
    Purge.objects.all().delete()
    change()
    rows = [set(row.keys.split()) for row in Purge.objects.all()]
    _EDGE[0].purges.clear()
    outbox.deliver()
    return set().union(*rows) if rows else set(), len(_EDGE[0].purges)


_EDGE = [None]


@pytest.fixture(autouse=True)
def _edge(stub_edge, monkeypatch):
    _EDGE[0] = stub_edge
    # With the broker dead, a request through the middleware would send the waiting purges from a thread of its
    # own, racing ``purged`` for the rows it reads: here the test delivers them.
    monkeypatch.setattr("edge.middleware.rescue", lambda: None)


def keys_of(change):
    return purged(change)[0]


@pytest.fixture
def story():
    section = Section.objects.create(name="Harbour", position=1)
    author = make_author()
    article = make_article(section=section, authors=[author], tags=["Ferries"])
    return article, section, author, Tag.objects.get(name="Ferries")


def test_publishing_a_draft_purges_its_lists(story):
    _, section, author, tag = story
    draft = make_article(status="draft", published_at=None, section=section)
    Byline.objects.create(article=draft, author=author)
    draft.tags.add(tag)

    def publish():
        draft.status, draft.published_at = Article.Status.PUBLISHED, timezone.now()
        draft.save()

    keys = keys_of(publish)
    assert keys == {f"a{draft.pk}", f"sl{section.pk}", f"tl{tag.pk}", f"pl{author.pk}"} | LISTS


def test_the_first_article_of_a_section_in_navigation_purges_the_navigation():
    section = Section.objects.create(name="Weather", position=2)
    assert "nav" in keys_of(lambda: make_article(section=section))
    second = make_article(section=section)
    assert "nav" not in keys_of(second.save) | keys_of(lambda: make_article(section=section, status="draft"))

    def withdraw_all():
        for article in Article.objects.filter(section=section):
            article.status = Article.Status.WITHDRAWN
            article.save()

    assert "nav" in keys_of(withdraw_all)  # the last one withdrawn


def test_an_edit_of_a_public_article_purges_only_it(story):
    article, *_ = story

    def edit():
        article.title = "A new headline"
        article.save()

    assert purged(edit) == ({f"a{article.pk}"}, 1)


def test_a_drafts_save_purges_nothing():
    draft = make_article(status="draft", published_at=None)
    draft.title = "Still a draft"
    draft.save()
    assert keys_of(lambda: draft.save()) == set()
    assert not Purge.objects.exists()


def test_withdrawing_moving_and_deleting(story):
    article, section, author, tag = story
    other = Section.objects.create(name="Coast", position=3)
    make_article(section=other)

    def move():
        article.section = other
        article.save()

    assert {f"sl{section.pk}", f"sl{other.pk}", "latest", f"tl{tag.pk}"} <= keys_of(move)

    def withdraw():
        article.status = Article.Status.WITHDRAWN
        article.save()

    assert {f"a{article.pk}", "latest", "missing", f"pl{author.pk}", f"tl{tag.pk}"} <= keys_of(withdraw)
    gone = make_article(section=section, authors=[author], tags=["Ferries"])
    Correction.objects.create(article=gone, text="A date was wrong.")
    pk = gone.pk
    keys = keys_of(gone.delete)
    assert {f"a{pk}", "latest", f"sl{section.pk}", f"tl{tag.pk}", f"pl{author.pk}", "corr"} <= keys


def test_what_hangs_off_an_article(story):
    article, section, author, tag = story
    second = make_author()
    assert keys_of(lambda: Byline.objects.create(article=article, author=second, position=1)) == {
        f"a{article.pk}",
        f"pl{second.pk}",
    }
    assert keys_of(lambda: article.tags.add("Storms")) >= {f"a{article.pk}", "tags"}
    assert keys_of(lambda: Correction.objects.create(article=article, text="Wrong date.")) == {f"a{article.pk}", "corr"}
    assert keys_of(lambda: ArticleAlias.objects.create(article=article, path="/old/")) == {f"a{article.pk}", "missing"}
    draft = make_article(status="draft", published_at=None)
    assert keys_of(lambda: Byline.objects.create(article=draft, author=second)) == set()


def test_the_other_models(story):
    article, section, author, tag = story
    assert keys_of(lambda: author.save()) == {f"p{author.pk}", "missing"}  # its address may be new
    assert keys_of(lambda: tag.save()) == {f"t{tag.pk}", "tags", "missing"}
    assert keys_of(lambda: section.save()) == {f"s{section.pk}", "nav", "missing"}
    assert keys_of(lambda: SectionAlias.objects.create(section=section, slug="port")) == {f"s{section.pk}", "missing"}
    assert keys_of(lambda: Pin.objects.create(article=article)) == {"home"}
    soon = timezone.now() + timedelta(hours=1)
    assert keys_of(lambda: Banner.objects.create(text="Storm warning", expires_at=soon)) == {"banner"}
    assert keys_of(lambda: SiteSettings.load().save()) == {"site"}
    picture = make_picture()
    assert keys_of(lambda: picture.save()) == {f"i{picture.pk}"}
    figure = keys_of(lambda: ArticleImage.objects.create(article=article, image=picture))
    assert figure == {f"a{article.pk}"}  # the body's picture is the body's: the article's page and cards


def test_a_banner_s_story_moving_or_going_purges_the_banner(story):
    article, *_ = story
    Banner.objects.create(text="Live", article=article, expires_at=timezone.now() + timedelta(hours=1))
    article.title = "A new headline"
    assert "banner" not in keys_of(article.save)  # the banner shows its own text, at the same address
    article.slug = "moved-away"
    assert "banner" in keys_of(article.save)
    article.status = Article.Status.WITHDRAWN
    assert "banner" in keys_of(article.save)
    other = make_article()
    Banner.objects.create(text="Other", article=other, expires_at=timezone.now() + timedelta(hours=1))
    assert "banner" in keys_of(other.delete)


def test_coverage_times_purge_the_cards_that_say_live_and_the_banner_leading_to_them(story):
    """Starting, moving or ending coverage purges the article's key (which every list showing its card carries)
    softly, and the banner when one leads to the page; a draft's coverage purges nothing."""
    article, *_ = story

    def retime(**times):
        def change():
            for name, value in times.items():
                setattr(article, name, value)
            article.save()

        return change

    now = timezone.now()
    assert purged(retime(live_from=now + timedelta(minutes=5))) == ({f"a{article.pk}"}, 1)
    Banner.objects.create(text="Follow live", article=article, expires_at=now + timedelta(hours=1))
    assert keys_of(retime(live_from=now - timedelta(minutes=1))) == {f"a{article.pk}", "banner"}
    assert keys_of(retime(live_until=now)) == {f"a{article.pk}", "banner"}
    assert keys_of(retime(live_oldest_first=True)) == {f"a{article.pk}"}  # the label stays as it was
    draft = make_article(status="draft", published_at=None)
    assert keys_of(lambda: (setattr(draft, "live_from", now), draft.save())) == set()


def test_bulk_writes_purge_every_page_unless_the_rows_are_known(story):
    article, *_ = story
    assert keys_of(lambda: Article.objects.filter(pk=article.pk).update(dek="Bulk")) == {"site"}
    Pin.objects.create(article=article)
    assert keys_of(lambda: Pin.objects.update(position=3)) == {"home"}


def test_one_batch_a_transaction_and_one_for_retiring_once(story):
    article, *_ = story

    def many():
        for n in range(3):
            article.title = f"Take {n}"
            article.save()

    assert purged(many)[1] == 1  # autocommit: each save is its own transaction, the delivery merges them
    assert purged(lambda: transaction.atomic()(many)())[1] == 1

    def batched():
        with retiring_once():
            many()
            make_author().save()

    keys, batches = purged(batched)
    assert batches == 1 and f"a{article.pk}" in keys and "missing" in keys and len(keys) == 3


def test_an_edit_through_the_admin(story, editor, client_for):
    article, section, *_ = story
    client = client_for(editor)

    def edit():
        response = client.post(
            change_url(article), form_data(refresh(article), title="Edited", section=section.pk, tags="Ferries")
        )
        assert response.status_code == 302

    keys, batches = purged(edit)
    assert batches == 1 and f"a{article.pk}" in keys and "latest" not in keys


def test_without_edges_nothing_is_read_or_written(settings):
    settings.NEWSROOM_EDGE_PURGE_URLS = []
    article = make_article()
    article.save()
    assert not hasattr(article, "_edge_before")
    assert not Purge.objects.exists()
