"""Parts of a section's front that other apps add (``articles.public.sectionparts``): the front shows what they
put under its articles without knowing the app."""

import pytest
from django.template import Template

from articles.models import Section
from articles.public import sectionparts
from articles.tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(monkeypatch):
    """Registers parts for the test only."""
    monkeypatch.setattr(sectionparts, "_PARTS", [])
    return sectionparts.register_part


def test_a_part_shows_under_the_sections_articles(client, registered):
    def extra(request, section):
        if section.slug != "harbour":
            return None
        return {"after_list": [{"template": Template('<p class="extra-8S">{{ part.words }}</p>'), "words": "A & B"}]}

    registered(extra)
    harbour, other = Section.objects.create(name="Harbour"), Section.objects.create(name="Other")
    make_article(title="Ferry back", section=harbour)
    make_article(section=other)
    page = client.get("/sections/harbour/").content.decode()
    assert '<p class="extra-8S">A &amp; B</p>' in page and page.index("extra-8S") > page.index("Ferry back")
    assert "extra-8S" not in client.get("/sections/other/").content.decode()


def test_a_part_naming_a_slot_the_front_has_not_is_an_error_that_says_so(rf, registered):
    registered(lambda request, section: {"after_body": []})
    with pytest.raises(ValueError, match="no slot after_body"):
        sectionparts.section_parts(rf.get("/"), Section(name="X"))
