"""The shipped Varnish configuration (``deploy/varnish/newsroom.vcl``), rule by rule, through a real ``varnishd``
in front of a stub origin: a small HTTP server that answers with the headers each test chooses and counts the
requests that reach it. What the app itself sends is tested with the app; here the question is only what the
edge does with it.
"""

import gzip
import http.client
import http.server
import threading
import time
from collections import Counter

import pytest

from tests.edgeserver import EdgeServer, spare_port

SECRET = "edge-test-secret"
PAGE = {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "public, max-age=0, must-revalidate, s-maxage=30"}


class StubOrigin:
    """An origin on a spare port. ``routes`` maps a path (without query) to (status, headers, body); any other
    path is a reader page stored for an hour and tagged ``site`` and ``page:<path>``. ``requests`` counts the
    requests by full path; ``seen`` keeps (method, path, headers) of each but the edge's health probes, which
    arrive every second and would otherwise land between a test's request and its look at ``seen[-1]``."""

    def __init__(self):
        self.port = spare_port()
        self.routes = {}
        self.ready = True
        self.requests = Counter()
        self.seen = []
        self.server = None

    def answer(self, handler):
        path = handler.path
        self.requests[path] += 1
        bare = path.split("?", 1)[0]
        if bare != "/readyz":
            self.seen.append((handler.command, path, dict(handler.headers)))
        if bare == "/readyz":
            if self.ready:
                return 200, {"Content-Type": "application/json"}, b'{"ready": true}'
            return 503, {"Content-Type": "application/json"}, b'{"ready": false}'
        if bare in self.routes:
            return self.routes[bare]
        headers = {**PAGE, "Surrogate-Control": "max-age=3600", "xkey": f"site page:{bare}", "Vary": "Cookie"}
        return 200, headers, f"<p>{path} #{self.requests[path]}</p>".encode()

    def start(self):
        origin = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def respond(self):
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                status, headers, body = origin.answer(self)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            do_GET = do_HEAD = do_POST = respond

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        """Gone: the port refuses connections, as when gunicorn is down."""
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def origin():
    stub = StubOrigin().start()
    yield stub
    stub.stop()


@pytest.fixture(scope="module")
def edge(origin):
    server = EdgeServer(origin.port, secret=SECRET).start()
    server.wait_backend(healthy=True)
    yield server
    server.close()


def test_a_page_with_surrogate_control_is_stored_and_its_keys_stay_at_the_edge(edge, origin):
    status, first, body = edge.get("/stored/")
    assert status == 200 and first["X-Cache"] == "MISS"
    status, second, again = edge.get("/stored/")
    assert status == 200 and second["X-Cache"] == "HIT" and again == body
    assert origin.requests["/stored/"] == 1
    for headers in (first, second):
        assert headers["xkey"] is None and headers["Surrogate-Control"] is None
        assert headers["Age"] is not None


def test_without_surrogate_control_nothing_is_stored_whatever_cache_control_says(edge, origin):
    origin.routes["/plain/"] = (200, {**PAGE, "Vary": "Cookie"}, b"plain")  # s-maxage=30, no Surrogate-Control
    origin.routes["/zero/"] = (200, {**PAGE, "Surrogate-Control": "max-age=0"}, b"zero")
    for path in ("/plain/", "/zero/"):
        assert [edge.get(path)[1]["X-Cache"] for _ in range(3)] == ["MISS"] * 3
        assert origin.requests[path] == 3


def test_responses_that_set_a_cookie_or_fail_are_not_stored(edge, origin):
    stored = {**PAGE, "Surrogate-Control": "max-age=3600", "xkey": "site"}
    origin.routes["/cookie/"] = (200, {**stored, "Set-Cookie": "csrftoken=x; Path=/"}, b"cookie")
    origin.routes["/broken/"] = (500, stored, b"broken")
    origin.routes["/busy/"] = (503, stored, b"busy")
    for path in ("/cookie/", "/broken/", "/busy/"):
        for _ in range(2):
            edge.get(path)
        assert origin.requests[path] == 2, path


def test_static_files_follow_the_origins_cache_control(edge, origin):
    origin.routes["/static/site.css"] = (200, {"Content-Type": "text/css", "Cache-Control": "max-age=3600"}, b"a{}")
    origin.routes["/static/fresh.css"] = (200, {"Content-Type": "text/css", "Cache-Control": "no-cache"}, b"b{}")
    origin.routes["/static/now.css"] = (200, {"Content-Type": "text/css", "Cache-Control": "max-age=0"}, b"c{}")
    origin.routes["/static/mute.css"] = (200, {"Content-Type": "text/css"}, b"d{}")
    origin.routes["/static/vague.css"] = (200, {"Content-Type": "text/css", "Cache-Control": "public"}, b"e{}")
    for path in ("/static/site.css", "/static/fresh.css", "/static/now.css", "/static/mute.css", "/static/vague.css"):
        for _ in range(2):
            status, headers, _ = edge.get(path)
            assert status == 200, (path, status, dict(headers))
    assert origin.requests["/static/site.css"] == 1
    assert origin.requests["/static/fresh.css"] == 2
    assert origin.requests["/static/now.css"] == 2
    assert origin.requests["/static/mute.css"] == 2  # no lifetime given: not kept for Varnish's default_ttl
    assert origin.requests["/static/vague.css"] == 2


def test_a_purge_removes_exactly_the_pages_tagged_with_its_keys(edge, origin):
    for name, keys in (("one", "a1 s1"), ("two", "a2 s1"), ("three", "a3 s2")):
        origin.routes[f"/purge/{name}/"] = (200, {**PAGE, "Surrogate-Control": "max-age=3600", "xkey": keys}, b"x")
        edge.get(f"/purge/{name}/")
    age_before = int(edge.get("/purge/three/")[1]["Age"])
    time.sleep(1.1)  # so that Age, in whole seconds, can show that the untouched page was kept

    status, headers = edge.purge(["a1", "a2"], SECRET)
    assert status == 200 and headers["X-Purged"] == "2"

    assert edge.get("/purge/one/")[1]["X-Cache"] == "MISS"
    assert edge.get("/purge/two/")[1]["X-Cache"] == "MISS"
    kept = edge.get("/purge/three/")[1]
    assert kept["X-Cache"] == "HIT" and int(kept["Age"]) > age_before
    assert origin.requests["/purge/three/"] == 1


def test_a_purge_takes_long_key_lists_and_pages_with_long_key_headers(edge, origin):
    many = " ".join(f"a{pk}" for pk in range(1, 3001))  # about 17 KB, past Varnish's default 8 KB header limit
    origin.routes["/long/"] = (200, {**PAGE, "Surrogate-Control": "max-age=3600", "xkey": many}, b"long")
    assert edge.get("/long/")[0] == 200 and edge.get("/long/")[1]["X-Cache"] == "HIT"

    status, headers = edge.purge([f"x{pk}" for pk in range(2000)] + ["a3000"], SECRET)
    assert status == 200 and headers["X-Purged"] == "1"
    assert edge.get("/long/")[1]["X-Cache"] == "MISS"
    edge.get("/long/")
    assert edge.get("/long/")[1]["X-Cache"] == "HIT"
    status, headers = edge.purge("nothing,  a2999", SECRET)  # commas and runs of spaces separate keys too
    assert status == 200 and headers["X-Purged"] == "1"
    assert edge.get("/long/")[1]["X-Cache"] == "MISS"


def test_a_purge_needs_the_secret_the_address_and_a_key(edge, origin):
    edge.get("/guarded/")
    for secret in (None, "", "wrong", SECRET + "x", SECRET[:-1]):
        status, _ = edge.purge(["page:/guarded/"], secret)
        assert status == 403, secret
    assert edge.purge(["   "], SECRET)[0] == 400
    assert edge.purge("", SECRET)[0] == 400
    assert edge.purge(" , ,", SECRET)[0] == 400

    # From an address outside the `purgers` ACL (the ACL names 127.0.0.1 and ::1 only), the secret is not enough.
    connection = http.client.HTTPConnection("127.0.0.1", edge.port, timeout=10, source_address=("127.0.0.2", 0))
    connection.request("PURGE", "/", headers={"xkey-purge": "page:/guarded/", "X-Purge-Secret": SECRET})
    assert connection.getresponse().status == 403
    connection.close()

    assert edge.get("/guarded/")[1]["X-Cache"] == "HIT"
    assert edge.purge(["page:/guarded/"], SECRET)[0] == 200


def test_a_soft_purge_serves_the_old_copy_once_while_one_background_fetch_refreshes_it(edge, origin):
    assert edge.get("/soft/")[2] == b"<p>/soft/ #1</p>"
    status, headers = edge.purge(None, SECRET, soft=["page:/soft/"])
    assert status == 200 and headers["X-Purged"] == "1"

    # The next reader gets the old copy at once, and its request starts the refresh.
    status, headers, body = edge.get("/soft/")
    assert status == 200 and body == b"<p>/soft/ #1</p>" and headers["X-Cache"] == "HIT"
    _wait_for(lambda: edge.get("/soft/")[2] == b"<p>/soft/ #2</p>")
    assert origin.requests["/soft/"] == 2  # one fetch refreshed it, however many readers asked meanwhile
    assert edge.get("/soft/")[1]["X-Cache"] == "HIT"


def test_one_purge_may_be_hard_and_soft_and_needs_a_key_in_either(edge, origin):
    for path in ("/both/hard/", "/both/soft/"):
        edge.get(path)
    status, headers = edge.purge(["page:/both/hard/"], SECRET, soft="page:/both/soft/, nothing")
    assert status == 200 and headers["X-Purged"] == "2"
    assert edge.get("/both/hard/")[1]["X-Cache"] == "MISS"
    assert edge.get("/both/soft/")[2] == b"<p>/both/soft/ #1</p>"  # the old copy, refreshed behind it

    assert edge.purge(None, SECRET, soft=" , ")[0] == 400
    assert edge.purge("", SECRET, soft="")[0] == 400
    assert edge.purge(None, SECRET)[0] == 400
    assert edge.purge(None, "wrong", soft=["page:/both/soft/"])[0] == 403


def _wait_for(condition, timeout=20):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the condition never held")
        time.sleep(0.05)


@pytest.mark.parametrize("missing", [False, True], ids=["empty", "missing"])
def test_an_empty_or_missing_secret_file_refuses_every_purge(origin, missing):
    server = EdgeServer(origin.port, secret="  ")
    if missing:
        server.secret_file.unlink()
    server.start()
    try:
        assert server.purge(["site"], "")[0] == 403
        assert server.purge(["site"], "  ")[0] == 403
        assert server.purge(["site"], None)[0] == 403
    finally:
        server.close()


def test_a_session_cookie_is_passed_to_the_origin_and_its_page_never_stored(edge, origin):
    for _ in range(2):
        status, headers, _ = edge.get("/signed-in/", Cookie="csrftoken=abc; sessionid=s3ss10n")
        assert status == 200 and headers["X-Cache"] == "MISS" and headers["Age"] == "0"
    assert origin.requests["/signed-in/"] == 2
    assert origin.seen[-1][2]["Cookie"] == "csrftoken=abc; sessionid=s3ss10n"  # the origin sees who it is
    # Not stored for anyone: the next anonymous reader goes to the origin too.
    assert edge.get("/signed-in/")[1]["X-Cache"] == "MISS"
    assert origin.requests["/signed-in/"] == 3

    # Varnish's own log: the signed-in requests were passes, and their fetches were not stored.
    signed_in = edge.log('ReqURL eq "/signed-in/" and ReqHeader:Cookie ~ "sessionid"')
    assert signed_in.count("VCL_call       PASS") == 2
    assert signed_in.count("Storage        malloc Transient") == 2  # a pass's body, dropped once delivered
    assert "Storage        malloc s0" not in signed_in
    assert "Storage        malloc s0" in edge.log('ReqURL eq "/signed-in/" and not ReqHeader:Cookie')


def test_other_cookies_are_dropped_so_everyone_shares_one_copy(edge, origin):
    edge.get("/crumbs/", Cookie="csrftoken=one")
    headers = edge.get("/crumbs/", Cookie="_ga=two; csrftoken=three")[1]
    assert headers["X-Cache"] == "HIT"
    assert origin.requests["/crumbs/"] == 1 and "Cookie" not in origin.seen[-1][2]


@pytest.mark.parametrize("path", ["/admin/", "/admin/articles/", "/preview/7/", "/share/abc:def/", "/healthz"])
def test_the_admin_previews_share_links_and_health_checks_are_never_stored(edge, origin, path):
    # The stub answers them as storable pages: the edge must pass them anyway.
    for _ in range(2):
        assert edge.get(path)[1]["X-Cache"] == "MISS"
    assert origin.requests[path] == 2


def test_other_methods_are_passed(edge, origin):
    edge.get("/form/")
    for _ in range(2):
        status, headers, _ = edge.request("POST", "/form/", body=b"a=1")
        assert status == 200 and headers["X-Cache"] == "MISS"
    assert [method for method, path, _ in origin.seen if path == "/form/"] == ["GET", "POST", "POST"]


def test_tracking_parameters_do_not_split_the_cache(edge, origin):
    edge.get("/track/?utm_source=news&page=2&fbclid=abc&utm_campaign=x")
    assert origin.seen[-1][1] == "/track/?page=2"
    assert edge.get("/track/?page=2&gclid=zz")[1]["X-Cache"] == "HIT"
    assert edge.get("/track/?page=2")[1]["X-Cache"] == "HIT"

    edge.get("/track/?utm_medium=email")
    assert origin.seen[-1][1] == "/track/"
    assert edge.get("/track/?fbclid=1&gclid=2")[1]["X-Cache"] == "HIT"
    assert edge.get("/track/?page=3")[1]["X-Cache"] == "MISS"
    assert edge.get("/track/?notutm_source=1")[1]["X-Cache"] == "HIT"  # any other parameter: gone too
    assert edge.get("/track/?junk=1&page=2&pagex=3")[1]["X-Cache"] == "HIT"  # page kept, pagex not
    assert edge.get("/track/?q=ferry&page=2")[1]["X-Cache"] == "MISS"  # q kept: another page
    assert origin.requests["/track/?page=2"] == 1 and origin.requests["/track/"] == 1


def test_the_host_name_splits_the_cache_but_not_its_case_or_port(edge, origin):
    assert edge.get("/hosted/", Host="news.example")[1]["X-Cache"] == "MISS"
    assert edge.get("/hosted/", Host="NEWS.example:8080")[1]["X-Cache"] == "HIT"
    assert edge.get("/hosted/", Host="other.example")[1]["X-Cache"] == "MISS"


def test_gzip_and_identity_clients_are_served_from_one_stored_copy(edge, origin):
    text = ("<p>A long enough story to be worth compressing.</p>\n" * 50).encode()
    origin.routes["/zip/"] = (
        200,
        {**PAGE, "Surrogate-Control": "max-age=3600", "xkey": "a9", "Vary": "Cookie, Accept-Encoding"},
        text,
    )
    status, headers, body = edge.get("/zip/", Accept_Encoding="gzip, deflate, br")
    assert status == 200 and headers["Content-Encoding"] == "gzip" and gzip.decompress(body) == text
    assert "Accept-Encoding" in headers["Vary"]
    status, headers, body = edge.get("/zip/")
    assert headers["X-Cache"] == "HIT" and headers["Content-Encoding"] is None and body == text
    status, headers, body = edge.get("/zip/", Accept_Encoding="br, gzip;q=0")
    assert headers["X-Cache"] == "HIT" and headers["Content-Encoding"] is None and body == text
    assert edge.get("/zip/", Accept_Encoding="GZIP")[1]["Content-Encoding"] == "gzip"
    assert origin.requests["/zip/"] == 1
    assert origin.seen[-1][2].get("Accept-Encoding") == "gzip"

    # Sent uncompressed (no Vary at all), stored gzipped, still one copy for everyone.
    origin.routes["/unzipped/"] = (200, {**PAGE, "Surrogate-Control": "max-age=3600"}, text)
    status, headers, body = edge.get("/unzipped/")
    assert headers["Content-Encoding"] is None and body == text
    status, headers, body = edge.get("/unzipped/", Accept_Encoding="gzip")
    assert headers["X-Cache"] == "HIT" and headers["Content-Encoding"] == "gzip" and gzip.decompress(body) == text
    assert headers["Vary"] == "Accept-Encoding"
    assert origin.requests["/unzipped/"] == 1


def test_a_failed_refresh_keeps_the_stale_page(edge, origin):
    fresh = {**PAGE, "Surrogate-Control": "max-age=1", "xkey": "a77"}
    origin.routes["/refresh/"] = (200, fresh, b"good")
    edge.get("/refresh/")
    origin.routes["/refresh/"] = (500, {"Content-Type": "text/plain"}, b"bad")
    time.sleep(1.5)  # past the one-second time to live: the next request is served stale and refreshes it
    for _ in range(3):
        status, headers, body = edge.get("/refresh/")
        assert status == 200 and body == b"good" and headers["X-Cache"] == "HIT"
    assert origin.requests["/refresh/"] >= 2  # the refreshes happened, and failed

    # With the origin healthy, grace lasts 10 seconds: past that the request waits for the origin's answer.
    time.sleep(10)
    status, headers, body = edge.get("/refresh/")
    assert status == 500 and body == b"bad"


def test_the_cache_is_empty_after_a_restart(origin):
    server = EdgeServer(origin.port, secret=SECRET).start()
    try:
        server.wait_backend(healthy=True)
        server.get("/restart/")
        assert server.get("/restart/")[1]["X-Cache"] == "HIT"
        port = server.port
        server.restart()
        server.wait_backend(healthy=True)
        assert server.port == port
        assert server.get("/restart/")[1]["X-Cache"] == "MISS"
        assert origin.requests["/restart/"] == 2
    finally:
        server.close()


def test_grace_serves_stored_pages_through_an_outage_and_purges_still_work():
    stub = StubOrigin().start()
    server = EdgeServer(stub.port, secret=SECRET).start()
    try:
        server.wait_backend(healthy=True)
        short = {**PAGE, "Surrogate-Control": "max-age=1"}
        stub.routes["/outage/kept/"] = (200, {**short, "xkey": "a1"}, b"kept")
        stub.routes["/outage/withdrawn/"] = (200, {**short, "xkey": "a2"}, b"withdrawn")
        for path in stub.routes:
            assert server.get(path)[0] == 200
        assert server.get("/readyz")[0] == 200

        stub.stop()
        server.wait_backend(healthy=False)
        assert server.get("/readyz")[0] == 503
        # Past the time to live and past the 10 seconds of grace a healthy origin gets: only the outage's
        # grace (6 hours) can still serve them.
        time.sleep(12)
        status, headers, body = server.get("/outage/kept/")
        assert status == 200 and body == b"kept" and int(headers["Age"]) >= 12
        assert server.get("/outage/withdrawn/")[0] == 200
        assert server.get("/never-stored/")[0] == 503

        status, headers = server.purge(["a2"], SECRET)
        assert status == 200 and headers["X-Purged"] == "1"
        assert server.get("/outage/withdrawn/")[0] == 503  # a purged page does not come back from grace
        assert server.get("/outage/kept/")[2] == b"kept"
        status, headers, body = server.get("/readyz")
        assert status == 503 and b'"ready": false' in body

        stub.start()
        server.wait_backend(healthy=True)
        assert server.get("/readyz")[0] == 200
        assert server.get("/outage/withdrawn/")[0] == 200
    finally:
        server.close()
        stub.stop()


def test_an_origin_that_answers_but_is_not_ready_is_treated_as_down():
    stub = StubOrigin().start()
    server = EdgeServer(stub.port, secret=SECRET).start()
    try:
        server.wait_backend(healthy=True)
        stub.routes["/db-down/"] = (200, {**PAGE, "Surrogate-Control": "max-age=1", "xkey": "a5"}, b"page")
        server.get("/db-down/")
        stub.ready = False  # its database is gone: /readyz answers 503
        server.wait_backend(healthy=False)
        status, headers, body = server.get("/readyz")
        assert status == 503 and b'"ready": false' in body
        time.sleep(1.5)  # past the page's time to live
        stub.routes["/db-down/"] = (503, {"Content-Type": "text/plain"}, b"no database")
        status, headers, body = server.get("/db-down/")
        assert status == 200 and body == b"page"

        stub.ready = True
        server.wait_backend(healthy=True)
        status, headers, body = server.get("/readyz")
        assert status == 200 and body == b'{"ready": true}'  # the origin's own answer
    finally:
        server.close()
        stub.stop()


def test_while_the_origin_is_down_a_soft_purged_page_is_still_served_and_a_hard_purged_one_is_not():
    stub = StubOrigin().start()
    server = EdgeServer(stub.port, secret=SECRET).start()
    try:
        server.wait_backend(healthy=True)
        for path in ("/down/edited/", "/down/withdrawn/"):
            assert server.get(path)[0] == 200
        stub.stop()
        server.wait_backend(healthy=False)

        status, headers = server.purge(["page:/down/withdrawn/"], SECRET, soft=["page:/down/edited/"])
        assert status == 200 and headers["X-Purged"] == "2"
        for _ in range(2):  # the refresh it starts fails, and the old copy stays
            status, _, body = server.get("/down/edited/")
            assert status == 200 and body == b"<p>/down/edited/ #1</p>"
        assert server.get("/down/withdrawn/")[0] == 503
    finally:
        server.close()
        stub.stop()
