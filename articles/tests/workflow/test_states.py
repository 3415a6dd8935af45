"""One definition of each state and of ownership: every place that shows or uses one agrees with it."""

import itertools
import re
from datetime import timedelta

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from articles.desk import dashboard, notify
from articles.models import Article, Byline, states
from articles.tests.factories import make_article, make_author
from articles.workflow import transitions

pytestmark = pytest.mark.django_db

STATUSES = ["draft", "review", "published", "withdrawn"]
TIMES = {"none": None, "past": -1, "future": 1}  # hours from now
GRID = list(itertools.product(STATUSES, ["past", "future"], ["none", "past", "future"], ["none", "past", "future"]))


def spec(status, publication, expiry, embargo):
    """The state editors are shown, written out independently of the code under test."""
    if status != "published":
        return status
    if expiry == "past":
        return "expired"  # readers never see it again
    if embargo == "future":
        return "embargoed"  # held by the embargo, even when also scheduled
    return "published" if publication == "past" else "scheduled"


@pytest.fixture
def grid(time_machine):
    """Status × publication past/future × expiry none/past/future × embargo none/past/future, one article each."""
    time_machine.move_to(timezone.now(), tick=False)
    now = timezone.now()

    def at(name):
        return None if TIMES[name] is None else now + timedelta(hours=TIMES[name])

    articles = {}
    for status, publication, expiry, embargo in GRID:
        key = (status, publication, expiry, embargo)
        articles[key] = make_article(
            title=f"Grid-{status}-{publication}-{expiry}-{embargo}-zq",
            status=status,
            published_at=at(publication),
            expires_at=at(expiry),
            embargo_until=at(embargo),
        )
    return articles


def in_state(grid, *wanted):
    return {article.pk for key, article in grid.items() if spec(*key) in wanted}


def test_each_article_is_in_exactly_one_state_by_query_and_by_check(grid):
    """The Q of each state and its instance check agree, and every article is in exactly one state."""
    now = timezone.now()
    for key, article in grid.items():
        matching = [name for name in states.LABELS if Article.objects.filter(states.state(name, now), pk=article.pk)]
        assert matching == [spec(*key)], key
        assert states.state_of(article, now) == spec(*key) == article.state(), key


def test_reader_rules_follow_the_states(grid, client):
    """published(), is_published(), the sitemap and the feed show exactly the published state."""
    live = in_state(grid, "published")
    assert set(Article.objects.published().values_list("pk", flat=True)) == live
    assert {article.pk for article in grid.values() if article.is_published()} == live
    slugs = {article.slug for article in grid.values() if article.pk in live}
    sitemap = client.get(reverse("articles:sitemap", kwargs={"section": "articles"}))
    assert {url["location"].rstrip("/").rsplit("/", 1)[-1] for url in sitemap.context["urlset"]} == slugs
    feed = feedparser.parse(client.get(reverse("articles:feed_rss")).content)
    assert {entry.link.rstrip("/").rsplit("/", 1)[-1] for entry in feed.entries} == slugs


def test_workflow_state_follows_the_states(grid):
    """The workflow moves articles from the state editors are shown."""
    for key, article in grid.items():
        assert transitions.state(article) == spec(*key), key


def test_the_admin_filter_counts_and_badges_follow_the_states(grid, editor, client_for):
    """The list's state filter, its counts and each row's badge give every article its one state."""
    client = client_for(editor)
    changelist = reverse("admin:articles_article_changelist")
    for name in states.LABELS:
        listed = client.get(changelist, {"state": name}).context["cl"].result_list
        assert {article.pk for article in listed} == in_state(grid, name), name
    page = client.get(changelist)
    counts = {key: n for key, _label, n in page.context["state_counts"]}
    assert counts == {name: len(in_state(grid, name)) for name in states.LABELS}
    assert counts["expired"] == 6 and counts["embargoed"] == 4 and counts["published"] == 4
    badges = {}
    for row in page.content.decode().split("<tr")[1:]:
        if found := re.search(r"Grid-(\w+)-(\w+)-(\w+)-(\w+)-zq", row):
            badges[found.groups()] = re.search(r'class="state-badge state-(\w+)"', row).group(1)
    assert badges == {key: spec(*key) for key in grid}


def test_the_desk_blocks_follow_the_states(grid, editor, client_for):
    """The desk's published, scheduled and embargoed blocks count and list what the states say."""
    client = client_for(editor)
    blocks = {block.key: block for block in client.get(reverse("admin:index")).context["desk"]}
    under_embargo = {article.pk for key, article in grid.items() if key[3] == "future"}
    expected = {  # every grid time is within the blocks' windows (an hour either side of now)
        "last_24h": in_state(grid, "published"),
        "next_48h": in_state(grid, "scheduled"),
        "embargoed": under_embargo,
    }
    changelist = reverse("admin:articles_article_changelist")
    for key, pks in expected.items():
        assert blocks[key].count == len(pks), key
        assert {row.pk for row in blocks[key].rows} <= pks, key
        listed = client.get(changelist, {"desk": key}).context["cl"].result_list
        assert {article.pk for article in listed} == pks, key


OWNERSHIP = list(itertools.product(["writer", "other", "nobody"], ["writer", "other", "both", "neither"]))


@pytest.fixture
def owned(writer, other_writer):
    """Started by the writer, someone else or nobody × credited to the writer, someone else, both or neither."""
    people = {"writer": writer, "other": other_writer, "nobody": None}
    authors = {"writer": [writer.author], "other": [make_author(user=other_writer)], "neither": []}
    authors["both"] = authors["writer"] + authors["other"]
    articles = {}
    for started, credited in OWNERSHIP:
        article = make_article(
            title=f"Own-{started}-{credited}-zq", status="draft", published_at=None, created_by=people[started]
        )
        for position, author in enumerate(authors[credited]):
            Byline.objects.create(article=article, author=author, position=position)
        articles[(started, credited)] = article
    return articles


def test_ownership_is_one_rule_everywhere(owned, writer, client_for):
    """The queryset method, the instance check, the admin list, the desk and the e-mails agree on whose it is."""
    expected = {
        a.pk for (started, credited), a in owned.items() if started == "writer" or credited in ("writer", "both")
    }
    assert len(expected) == 8
    assert sorted(Article.objects.owned_by(writer).values_list("pk", flat=True)) == sorted(expected)  # no repeats
    assert {a.pk for a in owned.values() if a.is_owned_by(writer)} == expected
    assert {a.pk for a in owned.values() if transitions.can_edit(a, writer)} == expected
    for article in owned.values():
        assert (writer in notify.writers(article)) is (article.pk in expected), article.title
    client = client_for(writer)
    changelist = client.get(reverse("admin:articles_article_changelist"))
    listed = [article.pk for article in changelist.context["cl"].result_list]
    assert sorted(listed) == sorted(expected)
    assert {key: n for key, _label, n in changelist.context["state_counts"]}["draft"] == len(expected)
    mine = {block.key: block for block in dashboard.dashboard(writer)}["mine"]
    assert mine.count == len(expected)


def test_nobody_owns_anything_when_not_signed_in(owned):
    """An anonymous visitor has no articles, although some articles were started by nobody."""
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert not Article.objects.owned_by(anonymous).exists()
    assert not any(article.is_owned_by(anonymous) for article in owned.values())


def test_an_approved_article_without_a_time_is_scheduled_by_query_and_by_check():
    """Approved with no publication time yet: scheduled (Publish gives it one), by the Q as by the check."""
    article = make_article(published_at=None)
    now = timezone.now()
    assert article.state() == "scheduled" and not article.is_published()
    assert list(Article.objects.filter(states.state("scheduled", now))) == [article]
    assert not Article.objects.filter(states.live(now)).exists()
