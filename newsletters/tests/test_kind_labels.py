"""A newsletter's cards label what kind of piece each is, as the site's cards do: a sponsored piece always, above
its headline, naming its sponsor, in the HTML and the plain-text part alike."""

import pytest

from articles.tests.factories import kind_of_work, make_article
from newsletters import messages
from newsletters.tests.factories import make_edition, make_newsletter

pytestmark = pytest.mark.django_db


def test_a_sponsored_piece_is_labelled_above_its_headline_in_both_parts():
    """The sponsored card opens with "Sponsored content · Paid for by …", an opinion's with its kind, plain
    reporting with no label, in the HTML and in the text."""
    sponsored = make_article(title="Ferry guide-N1", kind=kind_of_work("Sponsored"), sponsor="Harbour Ferries Ltd")
    opinion = make_article(title="Keep the quay-N2", kind=kind_of_work("Opinion"))
    news = make_article(title="Quay closes-N3", kind=kind_of_work("News"))
    rendered = messages.render(make_edition(make_newsletter(), [sponsored, opinion, news]))
    label = "Sponsored content · Paid for by Harbour Ferries Ltd"
    for part in (rendered.html, rendered.text):
        assert label in part and part.index(label) < part.index("Ferry guide-N1")
        assert part.index("Opinion") < part.index("Keep the quay-N2")
        between = part[part.index("Keep the quay-N2") : part.index("Quay closes-N3")]
        assert "Sponsored" not in between and "News" not in between
