"""The transactional outbox: a change's purge rows are written in its own transaction, so they commit or roll
back with it and nothing run after the commit can lose them; delivery merges the due rows per edge and mode and
speaks to every edge at once, so one that hangs delays no other. The broker here answers nobody: the sweep's
work is run by calling it, as a worker would."""

import socket
import threading

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from articles.tests.factories import make_article
from edge import outbox
from edge.models import Purge
from edge.registry import gather, hard
from edge.tasks import sweep
from edge.tests.conftest import StubEdge

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("dead_broker")]


def in_outbox():
    return set().union(*(row.keys.split() for row in Purge.objects.all()))


@pytest.fixture
def two_edges(settings):
    """Two stub edges, both named in ``NEWSROOM_EDGE_PURGE_URLS``."""
    edges = [StubEdge("s3cret"), StubEdge("s3cret")]
    settings.NEWSROOM_EDGE_PURGE_URLS = [edge.url for edge in edges]
    settings.NEWSROOM_EDGE_PURGE_SECRET = "s3cret"
    for edge in edges:
        edge.start()
    yield edges
    for edge in edges:
        edge.stop()


def _fail():
    raise RuntimeError("a commit hook of someone else's failed")


def test_a_failing_commit_hook_registered_before_the_change_loses_no_purge(stub_edge):
    with pytest.raises(RuntimeError), transaction.atomic():
        transaction.on_commit(_fail)  # robust=False: Django runs no hook after it
        article = make_article()
    assert Article.objects.filter(pk=article.pk).exists()  # committed before the hook ran
    assert f"a{article.pk}" in in_outbox()
    sweep()
    assert f"a{article.pk}" in stub_edge.purged_keys()
    assert not Purge.objects.exists()


def test_the_rows_are_written_with_the_change_and_go_with_a_rollback(stub_edge):
    with transaction.atomic():
        kept = make_article(title="Kept")
        assert f"a{kept.pk}" in in_outbox()  # already there, before the commit
        try:
            with transaction.atomic():
                gone = make_article(title="Rolled back")
                gather({"only-in-the-savepoint", "named-again"})
                assert f"a{gone.pk}" in in_outbox()
                raise RuntimeError
        except RuntimeError:
            pass
        assert f"a{gone.pk}" not in in_outbox()
        gather({"named-again"})  # written again: its first row went with the savepoint
    keys = in_outbox()
    assert f"a{kept.pk}" in keys and "named-again" in keys
    assert f"a{gone.pk}" not in keys and "only-in-the-savepoint" not in keys

    Purge.objects.all().delete()
    with pytest.raises(RuntimeError), transaction.atomic():
        make_article(title="All rolled back")
        raise RuntimeError
    assert not Purge.objects.exists()


def test_thousands_of_changes_in_one_transaction_cost_one_hook_and_one_delivery_an_edge_and_mode(two_edges):
    named = {"hard": set(), "soft": set()}
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        for n in range(8000):
            keys = {f"a{n % 300}", "latest"}
            gather(hard(keys) if n % 1000 == 999 else keys)
            named["hard" if n % 1000 == 999 else "soft"] |= keys
            assert len(connection.run_on_commit) == 1  # one delivery asked for, not one hook a change
    named["soft"] -= named["hard"]
    writes = [query for query in queries.captured_queries if "edge_purge" in query["sql"]]
    assert len(writes) <= 300 + 8  # a key named again is not written again
    rows = Purge.objects.count()
    assert rows <= 2 * (300 + 8)
    assert outbox.deliver() == rows
    for edge in two_edges:
        sent = {mode: [key for request in edge.modes for key in request[mode]] for mode in ("hard", "soft")}
        assert sorted(sent["hard"]) == sorted(named["hard"])  # each key once, hard wins
        assert sorted(sent["soft"]) == sorted(named["soft"])
        assert len(edge.purges) == 1 + 3  # ≤100 keys a request: the hard ones, then the 292 soft
    assert not Purge.objects.exists()


def test_rows_due_together_are_merged_per_edge(two_edges):
    for n in range(3):
        make_article(title=f"Story {n}")  # autocommit: each write is a transaction, with rows of its own
    rows, keys = Purge.objects.count(), in_outbox()
    assert rows >= 6
    assert outbox.deliver() == rows
    for edge in two_edges:
        assert edge.purged_keys() == keys
        for mode in ("hard", "soft"):
            assert len([request for request in edge.modes if request[mode]]) <= 1  # one request a mode
    assert not Purge.objects.exists()


class HungEdge:
    """A server that accepts purges and never answers. It notes whether ``other`` had been purged while one of
    its requests was still open."""

    def __init__(self, other):
        self.other, self.other_purged_while_open, self.requests = other, False, 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}/"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:  # closed
                return
            self.requests += 1
            with conn:
                conn.settimeout(0.02)
                while True:
                    if self.other.purges:
                        self.other_purged_while_open = True
                    try:
                        if not conn.recv(65536):  # the client gave up
                            break
                    except TimeoutError:
                        continue
                    except OSError:
                        break

    def close(self):
        self._listener.close()


def test_a_hung_edge_does_not_delay_a_healthy_one(stub_edge, settings):
    hung = HungEdge(stub_edge)
    settings.NEWSROOM_EDGE_PURGE_URLS = [hung.url, stub_edge.url]  # the hung one first
    try:
        article = make_article()
        assert outbox.deliver() > 0
    finally:
        hung.close()
    assert hung.requests == 1  # nothing more tried at a hung edge in the run
    assert f"a{article.pk}" in stub_edge.purged_keys()
    assert hung.other_purged_while_open
    left = list(Purge.objects.all())
    assert left and {row.url for row in left} == {hung.url}
    assert all(row.attempts == 1 and row.last_error for row in left)
