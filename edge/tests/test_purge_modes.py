"""Soft or hard (articles/edgekeys.py): a change that refreshes what pages show is purged soft, one that stops
something being shown is purged hard, a key hard anywhere in a transaction is sent hard only; and the worker
delivers each in its own header, at most 100 keys a request. Read from the outbox (the broker answers nobody)
and, for delivery, from the stub edge."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from articles.models import Article, Banner, Correction, Section
from articles.tests.factories import make_article, make_author, make_picture
from edge import outbox
from edge.models import Purge

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("stub_edge", "dead_broker")]


def modes(change):
    """The keys ``change()`` purges, as the outbox records them and its delivery sends them (a key hard anywhere
    is sent hard only): ``{"hard": {...}, "soft": {...}}``."""
    Purge.objects.all().delete()
    change()
    found = {"hard": set(), "soft": set()}
    for row in Purge.objects.all():
        found["hard" if row.hard else "soft"] |= set(row.keys.split())
    found["soft"] -= found["hard"]
    return found


def _set(article, **fields):
    def change():
        for name, value in fields.items():
            setattr(article, name, value)
        article.save()

    return change


@pytest.fixture
def story():
    section = Section.objects.create(name="Harbour", position=1)
    author = make_author()
    return make_article(section=section, authors=[author], tags=["Ferries"]), section, author


def test_an_edit_and_a_publication_purge_soft(story):
    article, section, author = story
    assert modes(_set(article, title="A new headline")) == {"hard": set(), "soft": {f"a{article.pk}"}}
    draft = make_article(status="draft", published_at=None, section=section)
    published = modes(_set(draft, status=Article.Status.PUBLISHED, published_at=timezone.now()))
    assert published["hard"] == set() and {f"a{draft.pk}", "latest", f"sl{section.pk}"} <= published["soft"]
    assert modes(lambda: Correction.objects.create(article=article, text="A date was wrong.")) == {
        "hard": set(),
        "soft": {f"a{article.pk}", "corr"},
    }


@pytest.mark.parametrize(
    "change",
    [
        {"status": Article.Status.WITHDRAWN},
        {"status": Article.Status.DRAFT},
        {"embargo_until": timezone.now() + timedelta(days=1)},
        {"expires_at": timezone.now() - timedelta(minutes=1)},
        "delete",
    ],
    ids=["withdrawn", "unpublished", "embargoed", "expired", "deleted"],
)
def test_an_article_that_stops_being_shown_is_purged_hard_everywhere_it_was(story, change):
    article, section, author = story
    pk = article.pk
    keys = modes(article.delete if change == "delete" else _set(article, **change))
    assert keys["soft"] == set()
    assert {f"a{pk}", "latest", f"sl{section.pk}", f"pl{author.pk}"} <= keys["hard"]


def test_a_transaction_with_both_sends_the_shared_keys_hard_only(story, stub_edge):
    article, section, _ = story
    draft = make_article(status="draft", published_at=None, section=section)

    def both():
        with transaction.atomic():
            _set(draft, status=Article.Status.PUBLISHED, published_at=timezone.now())()
            _set(article, status=Article.Status.WITHDRAWN)()

    keys = modes(both)
    assert {"latest", f"sl{section.pk}", f"a{article.pk}"} <= keys["hard"]
    assert keys["soft"] == {f"a{draft.pk}"}
    stub_edge.modes.clear()
    outbox.deliver()
    assert stub_edge.modes == [  # one request a mode for the one edge
        {"hard": sorted(keys["hard"]), "soft": []},
        {"hard": [], "soft": [f"a{draft.pk}"]},
    ]


def test_pictures_banners_and_deletions(story):
    article, section, author = story
    picture = make_picture()
    assert modes(_set(picture, caption="Renamed")) == {"hard": set(), "soft": {f"i{picture.pk}"}}
    today = timezone.localdate()
    assert modes(_set(picture, rights_expire_on=today - timedelta(days=1)))["hard"] == {f"i{picture.pk}"}

    banner = Banner.objects.create(text="Storm warning", expires_at=timezone.now() + timedelta(hours=1))
    assert modes(_set(banner, text="Storm warning: ferries stopped")) == {"hard": set(), "soft": {"banner"}}
    assert modes(_set(banner, expires_at=timezone.now() - timedelta(seconds=1)))["hard"] == {"banner"}
    tomorrow = timezone.now() + timedelta(days=1)
    later = Banner.objects.create(text="Tomorrow", starts_at=tomorrow, expires_at=tomorrow + timedelta(hours=1))
    assert modes(later.delete) == {"hard": set(), "soft": {"banner"}}  # never shown: nothing to take away

    correction = Correction.objects.create(article=article, text="Posted by mistake.")
    assert modes(correction.delete)["hard"] == {f"a{article.pk}", "corr"}
    assert modes(_set(section, name="Port"))["hard"] == set()
    gone = Section.objects.create(name="Gone", position=9)
    pk = gone.pk
    assert modes(gone.delete) == {"hard": {f"s{pk}", "nav", "missing"}, "soft": set()}
    unused = make_author()
    pk = unused.pk
    assert modes(unused.delete) == {"hard": {f"p{pk}", "missing"}, "soft": set()}


def test_delivery_sends_each_mode_in_its_header_at_most_100_keys_a_request(stub_edge):
    soft = [f"a{pk}" for pk in range(150)]
    rows = outbox.send(soft=soft, hard=["latest", "a3"])
    assert outbox.deliver([row.pk for row in rows]) == 2
    hard_requests = [mode["hard"] for mode in stub_edge.modes if mode["hard"]]
    soft_requests = [mode["soft"] for mode in stub_edge.modes if mode["soft"]]
    assert hard_requests == [["a3", "latest"]]
    assert sorted(len(keys) for keys in soft_requests) == [49, 100]
    assert set().union(*soft_requests) == set(soft) - {"a3"}
    assert all(not (mode["hard"] and mode["soft"]) for mode in stub_edge.modes)
