"""A piece's kind of work as readers see it: a label above the headline on every card, on the article page and
in the related list, none for plain reporting, and a sponsored piece always labelled, naming its sponsor; a
renamed kind shows its new name on pages the cache had kept."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from articles.models import Section
from articles.tests.factories import kind_of_work, make_article, make_author

pytestmark = pytest.mark.django_db

PAID = "Sponsored content · Paid for by Harbour Ferries Ltd"


@pytest.fixture
def pieces():
    """An opinion column, a news story (the plain kind), a sponsored piece and one with no kind, sharing a
    section, an author and a tag."""
    section = Section.objects.create(name="Harbour", position=1)
    author = make_author("Ines Column")
    shared = {"section": section, "authors": [author], "tags": ["Quay"]}
    return {
        "opinion": make_article(title="Keep the quay open-K1", kind=kind_of_work("Opinion"), **shared),
        "news": make_article(title="Quay closes at dusk-K2", kind=kind_of_work("News"), **shared),
        "sponsored": make_article(
            title="Ferries from the quay-K3", kind=kind_of_work("Sponsored"), sponsor="Harbour Ferries Ltd", **shared
        ),
        "none": make_article(title="Quay lights fixed-K4", **shared),
        "section": section,
        "author": author,
    }


def card_lists(pieces):
    month = timezone.localtime(pieces["opinion"].published_at)
    return [
        reverse("articles:home"),
        reverse("articles:latest"),
        pieces["section"].get_absolute_url(),
        reverse("articles:tag", args=["quay"]),
        pieces["author"].get_absolute_url(),
        reverse("articles:archive_month", args=[month.year, month.month]),
        reverse("articles:search") + "?q=quay",
    ]


def labels(html, title):
    """The label texts above ``title``'s headline in the card or header holding it, and whether each comes before
    the headline (an <h1> or <h2>) in the same block."""
    soup = BeautifulSoup(html, "html.parser")
    link = soup.find(lambda tag: tag.name in ("h1", "h2") and title in tag.get_text())
    assert link is not None, title
    block = link.parent
    found = []
    for label in block.select(".kind-label"):
        found.append((label.get_text(), label.get("title"), label.find_next(["h1", "h2"]) is link))
    return found


def test_every_list_of_cards_labels_the_kinds_readers_might_mistake(client, pieces):
    """Front page, latest, section, tag, author, archive and search: opinion and sponsored cards are labelled
    above the headline, plain news and kindless cards are not."""
    for url in card_lists(pieces):
        page = client.get(url).content.decode()
        assert labels(page, "Keep the quay open-K1") == [
            ("Opinion", "The author's own view, argued from facts.", True)
        ], url
        assert labels(page, "Ferries from the quay-K3") == [
            (PAID, "Paid for by the sponsor named above the headline.", True)
        ], url
        assert labels(page, "Quay closes at dusk-K2") == [], url
        assert labels(page, "Quay lights fixed-K4") == [], url


def test_the_article_page_labels_the_kind_above_the_headline(client, pieces):
    """The header says Opinion before the <h1>; a news story's header has no label."""
    page = client.get(pieces["opinion"].get_absolute_url()).content.decode()
    assert labels(page, "Keep the quay open-K1") == [("Opinion", "The author's own view, argued from facts.", True)]
    page = client.get(pieces["news"].get_absolute_url()).content.decode()
    assert labels(page, "Quay closes at dusk-K2") == []


def test_a_sponsored_page_names_its_sponsor_above_the_headline(client, pieces):
    """The sponsored piece's page says who paid for it, before its <h1>."""
    page = client.get(pieces["sponsored"].get_absolute_url()).content.decode()
    assert [text for text, _, above in labels(page, "Ferries from the quay-K3") if above] == [PAID]


def test_a_named_sponsor_is_shown_whatever_the_kind_and_a_sponsored_kind_without_one_still_says_so(client):
    """A sponsor on a news piece is still disclosed; a sponsored piece with no sponsor yet says Sponsored content."""
    named = make_article(title="Regatta week-S1", kind=kind_of_work("News"), sponsor="Quay Bank")
    unnamed = make_article(title="Island hopping-S2", kind=kind_of_work("Sponsored"))
    page = client.get(named.get_absolute_url()).content.decode()
    assert [text for text, _, _ in labels(page, "Regatta week-S1")] == ["Sponsored content · Paid for by Quay Bank"]
    page = client.get(unnamed.get_absolute_url()).content.decode()
    assert [text for text, _, _ in labels(page, "Island hopping-S2")] == ["Sponsored content"]


def test_the_related_list_labels_its_links(client, pieces):
    """The related list of an article marks the opinion and the sponsored piece it links to."""
    page = client.get(pieces["none"].get_absolute_url()).content.decode()
    related = BeautifulSoup(page, "html.parser").select_one(".related")
    items = {item.a.get_text(): [label.get_text() for label in item.select(".kind-label")] for item in related("li")}
    assert items["Keep the quay open-K1"] == ["Opinion"]
    assert items["Ferries from the quay-K3"] == [PAID]
    assert items["Quay closes at dusk-K2"] == []


def test_a_renamed_kind_shows_its_new_name_on_pages_kept_in_the_cache(client, pieces):
    """Renaming a kind refreshes the cached front page, article page and related lists."""
    urls = [reverse("articles:home"), pieces["opinion"].get_absolute_url(), pieces["none"].get_absolute_url()]
    for url in urls:
        assert "Opinion" in client.get(url).content.decode()
    kind = kind_of_work("Opinion")
    kind.name = "Comment"
    kind.save()
    for url in urls:
        page = client.get(url).content.decode()
        assert ">Comment<" in page and ">Opinion<" not in page, url
