"""Through the whole chain (gunicorn behind a real ``varnishd``), a feed names its hubs and itself in its ``Link``
header on a hit and on the edge's own 304."""

import pytest

from articles.models import SiteSettings
from articles.tests.factories import make_article
from tests.edgestack import edge, stack  # noqa: F401 - the edge chain's fixtures

pytestmark = pytest.mark.django_db(transaction=True)

EDGE_SECONDS = 3600
HUB = "https://hub.example/"
STACK_SETTINGS = {"NEWSROOM_WEBSUB_HUBS": HUB}


def test_the_edge_keeps_the_link_header_on_a_hit_and_a_304(edge):  # noqa: F811
    """A feed served from Varnish's cache, fresh or as a 304, still says where its hub is."""
    make_article(title="Harbour lights")
    path = "/feed/atom/"
    edge.cached(path)
    expected = f'<{SiteSettings.current().absolute(path)}>; rel="self", <{HUB}>; rel="hub"'
    status, headers, _ = edge.get(path)
    assert (status, headers["X-Cache"], headers["Link"]) == (200, "HIT", expected)
    status, headers, _ = edge.get(path, If_None_Match=headers["ETag"])
    assert (status, headers.get("Link")) == (304, expected)
