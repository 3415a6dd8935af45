"""Malformed and hostile input to every public endpoint: a 4xx with the site's own error page, never a 500."""

import pytest
from django.test import Client

from articles.models import Section
from articles.tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db

HOSTILE_SEGMENTS = [
    "nope",
    "' OR 1=1--",
    "1; DROP TABLE articles_article",
    "../../etc/passwd",
    "..%2F..%2Fetc%2Fpasswd",
    "%00",
    "%E2%80%AE-rtl-override",
    "😀" * 40,
    "a" * 3000,
    "%ff%fe",
    "<script>alert(1)</script>",
]
HOSTILE_QUERIES = [
    {"page": "-1"},
    {"page": "0"},
    {"page": "abc"},
    {"page": "1e9"},
    {"page": "9" * 40},
    {"page": ["1", "2"]},
    {"q": "' OR 1=1--"},
    {"q": "a" * 20000},
    {"q": "\x00\x01\x02"},
    {"q": "🙂 &&& ||| !!! ((( :*"},
    {"q": "-"},
    {"q": '"unterminated'},
    {"q": "<img src=x onerror=alert(1)>"},
]
PREFIXES = ["/articles/{}/", "/authors/{}/", "/tags/{}/", "/tags/{}/feed/rss/", "/authors/{}/feed/json/",
            "/share/{}/", "/sitemap-{}.xml", "/archive/{}/", "/sections/{}/", "/sections/{}/feed/atom/"]  # fmt: skip
PAGINATED = {"/latest/", "/archive/", "/archive/2026/", "/tags/harbour/", "/sections/local/"}
PAGES = ["/", "/latest/", "/search/", "/tags/", "/archive/", "/archive/2026/", "/tags/harbour/", "/feed/rss/",
         "/feed/atom/", "/sections/local/", "/sections/local/feed/json/"]  # fmt: skip


@pytest.fixture
def site():
    make_article(title="Harbour story", authors=[make_author("Ann Reporter")], tags=["Harbour"],
                 section=Section.objects.create(name="Local"))  # fmt: skip


def assert_handled(response, url):
    body = response.content.decode(errors="replace")
    assert response.status_code < 500, (url, response.status_code)
    assert "Traceback" not in body and "django.db" not in body and "Exception" not in body, url
    if response.status_code >= 400 and response.get("Content-Type", "").startswith("text/html"):
        assert '<header class="site-header">' in body, (url, "not the site's error page")


@pytest.mark.parametrize("segment", HOSTILE_SEGMENTS)
@pytest.mark.parametrize("prefix", PREFIXES)
def test_hostile_path_segments(client, site, prefix, segment):
    url = prefix.format(segment)
    response = client.get(url)
    assert response.status_code in (301, 400, 404), (url, response.status_code)
    if segment == "%00":
        assert response.status_code == 400
    assert_handled(response, url)


@pytest.mark.parametrize("query", HOSTILE_QUERIES, ids=lambda q: repr(q)[:40])
@pytest.mark.parametrize("path", PAGES)
def test_hostile_query_strings(client, site, path, query):
    response = client.get(path, query)
    assert_handled(response, path)
    if "page" in query and path in PAGINATED and query["page"] != ["1", "2"]:  # the last value counts
        assert response.status_code == 404, (path, query)
    if "page" in query and path == "/" and query["page"] not in ("1", ["2", "1"]):
        assert response.status_code == 301 and response["Location"].startswith("/latest/?page="), query


def test_a_huge_number_of_parameters_is_a_400(site):
    client = Client(raise_request_exception=False)
    response = client.get("/search/?" + "&".join(f"p{n}=1" for n in range(2000)))
    assert response.status_code == 400
    assert_handled(response, "/search/")


def test_a_wrong_host_is_a_400(site):
    client = Client(raise_request_exception=False)
    response = client.get("/", HTTP_HOST="evil.example.com")
    assert response.status_code == 400
    assert_handled(response, "/")


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_writing_methods_on_reader_pages_are_refused(site, method):
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    urls = ["/", "/articles/harbour-story/", "/feed/rss/", "/search/", "/tags/harbour/", "/sitemap.xml", "/robots.txt"]
    for url in urls:
        response = getattr(client, method)(url)
        assert response.status_code == 405, (method, url, response.status_code)
        assert response["Allow"] == "GET, HEAD"
        assert_handled(response, url)


@pytest.mark.parametrize("url", ["/nope/", "/admin/login/", "/", "/articles/harbour-story/", "/share/x/"])
@pytest.mark.parametrize("charset", ["latin-1", "bogus-charset", "utf-16"])
def test_a_form_post_in_another_charset_is_never_a_500(site, url, charset):
    """Django refuses to decode such a form; the error pages must not try again (the 404 page used to)."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.cookies["csrftoken"] = "abcdefghijklmnopqrstuvwxyz012345"
    response = client.generic(
        "POST",
        url,
        b"a=\xe9\xff&csrfmiddlewaretoken=x",
        content_type=f"application/x-www-form-urlencoded; charset={charset}",
    )
    assert response.status_code == 400, (url, charset, response.status_code)
    assert_handled(response, url)
    multipart = client.generic(
        "POST", url, b"--x\r\nbroken", content_type=f"multipart/form-data; boundary=x; charset={charset}"
    )
    assert multipart.status_code in (400, 403, 404, 405), (url, charset, multipart.status_code)


def test_author_pages_without_published_articles_are_404(client):
    from articles.models import Article

    quiet = make_author("Quiet Person", bio="Writes drafts only.")
    make_article(title="Draft", status=Article.Status.DRAFT, published_at=None, authors=[quiet])
    response = client.get(quiet.get_absolute_url())
    assert response.status_code == 404 and b"Writes drafts only" not in response.content
    assert client.get(f"/authors/{quiet.slug}/feed/rss/").status_code == 404


@pytest.mark.django_db
def test_a_media_name_the_file_system_refuses_is_not_found(rf):
    """Where Django serves uploads (development, `make serve`), a path segment longer than any file name
    (ENAMETOOLONG) is a 404, not a 500, with pictures in the folder."""
    from django.http import Http404

    from articles.tests.factories import make_picture
    from newsroom.urls import serve_media

    picture = make_picture()
    assert serve_media(rf.get("/"), picture.file.name).status_code == 200
    for name in ("a" * 3000, "library/" + "b" * 300 + ".jpg"):
        with pytest.raises(Http404):
            serve_media(rf.get("/"), name)
