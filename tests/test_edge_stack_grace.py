"""Grace through the whole chain: with every app server killed, the edge goes on serving the pages it stored, past
their time to live (a short one here, so grace is what serves them), while ``/readyz`` through the edge tells the
truth; a withdrawal committed during the outage still purges its page, which is then never served again from
before, and answers 410 once the app is back.
"""

import signal

import pytest

from articles.models import Article
from articles.tests.factories import make_article
from edge.models import Purge
from tests.edgestack import wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("worker")]

EDGE_SECONDS = 3  # the edge keeps pages this long, then only grace serves them while the origin is down


def test_an_origin_outage_is_served_from_grace_and_a_purge_still_removes(edge):
    kept = make_article(title="Lighthouse keeper retires")
    withdrawn = make_article(title="Disputed harbour survey")
    wait_for(lambda: not Purge.objects.exists())
    paths = [kept.get_absolute_url(), withdrawn.get_absolute_url()]
    edge.cached(*paths)
    edge.origin.kill(signal.SIGKILL)
    edge.edge.wait_backend(False)
    assert edge.get("/readyz")[0] == 503
    for path, title in zip(paths, ["Lighthouse keeper retires", "Disputed harbour survey"], strict=True):
        status, headers, body = edge.wait_until(
            path, lambda status, headers, body: int(headers.get("Age", 0)) > EDGE_SECONDS
        )  # past its time to live: served from grace
        assert status == 200 and title in body and headers["X-Cache"] == "HIT"
    withdrawn.status = Article.Status.WITHDRAWN
    withdrawn.withdrawal_note = "Withdrawn pending review."
    withdrawn.save()
    wait_for(lambda: not Purge.objects.exists(), message="the purge never reached the edge")
    for _ in range(5):
        status, _, body = edge.get(paths[1])
        assert status == 503 and "Disputed harbour survey" not in body
    status, _, body = edge.get(paths[0])
    assert status == 200 and "Lighthouse keeper retires" in body
    assert edge.get("/readyz")[0] == 503
    edge.origin.start()
    edge.edge.wait_backend(True)
    edge.wait_until(paths[1], lambda status, headers, body: status == 410)
    assert edge.get("/readyz")[0] == 200
