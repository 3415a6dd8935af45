"""What a change to one of the newsroom's pages purges at the edge: the page alone for a body edit, every page
showing the list for a change to the list, hard when a page stops being shown."""

import pytest

from about.links import PAGES, page
from about.models import NewsroomPage
from about.tests.factories import make_page
from edge.models import Purge

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("dead_broker")]
MISSING = "missing"


@pytest.fixture(autouse=True)
def edge(settings):
    settings.NEWSROOM_EDGE_PURGE_URLS = ["http://127.0.0.1:9/.purge"]


def purged(change):
    """The keys ``change`` purged, as {(key, hard)}."""
    Purge.objects.all().delete()
    change()
    return {(key, row.hard) for row in Purge.objects.all() for key in row.keys.split()}


def edit(pk, **fields):
    def change():
        stored = NewsroomPage.objects.get(pk=pk)
        for name, value in fields.items():
            setattr(stored, name, value)
        stored.save()

    return change


def test_a_body_or_summary_edit_purges_the_page_alone():
    """A change to a page's text purges that page, not the pages whose footer lists it."""
    about = make_page(title="About us", slug="about-us")
    assert purged(edit(about.pk, body="New text")) == {(page(about.pk), False)}
    assert purged(edit(about.pk, summary="New summary")) == {(page(about.pk), False)}


@pytest.mark.parametrize(
    "change", [{"title": "Renamed"}, {"position": 7}, {"in_footer": False}, {"role": "masthead"}], ids=str
)
def test_a_change_to_the_list_purges_every_page_showing_it(change):
    """A change to what the footer shows of a page (title, order, place, role) purges every page showing the list."""
    about = make_page(title="About us", slug="about-us")
    assert purged(edit(about.pk, **change)) == {(page(about.pk), False), (PAGES, False)}


def test_a_new_address_purges_the_404s_too():
    """A page moved to a new address purges the cached 404s as well, one of which was that address."""
    about = make_page(title="About us", slug="about-us")
    assert purged(edit(about.pk, slug="who-we-are")) == {(page(about.pk), False), (PAGES, False), (MISSING, False)}


def test_publishing_purges_soft_and_unpublishing_or_deleting_hard():
    """Publishing a page purges softly; unpublishing or deleting it purges at once; a draft's edits purge nothing."""
    draft = make_page(title="Draft", published=False)
    assert purged(edit(draft.pk, body="Still a draft")) == set()
    assert purged(edit(draft.pk, published=True)) == {(page(draft.pk), False), (PAGES, False), (MISSING, False)}
    assert purged(edit(draft.pk, published=False)) == {(page(draft.pk), True), (PAGES, True)}
    shown = make_page(title="Shown")
    assert purged(NewsroomPage.objects.get(pk=shown.pk).delete) == {(page(shown.pk), True), (PAGES, True)}
    assert purged(draft.delete) == set()


def test_a_bulk_write_purges_every_page_showing_the_list_hard():
    """A queryset update, which names no page, purges the list and the 404s at once."""
    make_page()
    assert purged(lambda: NewsroomPage.objects.update(in_footer=False)) == {(PAGES, True), (MISSING, True)}
