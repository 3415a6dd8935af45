"""An author's name holds no control characters, however it arrives: the admin, the model and the feeds that
print it. A name made only of them is refused with an error saying so."""

from xml.etree import ElementTree

import feedparser
import pytest
from django.urls import reverse

from articles.models import Author
from articles.tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"


def add_author(client, name):
    return client.post(
        reverse("admin:articles_author_add"),
        {"name": name, "slug": "", "bio": "", "photo": "", "user": "", "email": "", "website": ""},
    )


def test_the_admin_stores_a_name_without_its_control_characters(client_for, editor):
    response = add_author(client_for(editor), "Bea\x01 \x7fCole\x9b")
    assert response.status_code == 302
    assert list(Author.objects.values_list("name", flat=True)) == ["Bea Cole"]


@pytest.mark.parametrize("name", ["\x01\x02", "\x1b \x7f", "\x01 \x85 \x9f"])
def test_the_admin_refuses_a_name_of_control_characters_only(client_for, editor, name):
    response = add_author(client_for(editor), name)
    assert response.status_code == 200 and not Author.objects.exists()
    assert "control characters" in response.context["adminform"].form.errors["name"][0]


def test_the_rss_creator_and_atom_authors_name_every_byline_cleanly(client):
    ann, bea = make_author("Ann\x01 Lee"), make_author("\x1bBea \x7fCole")
    make_article(title="Harbour reopens", authors=[ann, bea])
    rss = ElementTree.fromstring(client.get(reverse("articles:feed_rss")).content)  # noqa: S314 (our own feed)
    assert [c.text for c in rss.iter(DC_CREATOR)] == ["Ann Lee and Bea Cole"]
    atom = feedparser.parse(client.get(reverse("articles:feed_atom")).content)
    assert [a.name for a in atom.entries[0].authors] == ["Ann Lee", "Bea Cole"]
