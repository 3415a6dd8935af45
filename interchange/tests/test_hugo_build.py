"""Hugo builds the export as the site serves it: with Debian's ``hugo`` and the shipped configuration
(``deploy/hugo``), every article the site shows is a page at the same address, every old address the site
redirects is a redirect page to it, and nothing the site hides (a draft, in review, scheduled, embargoed,
withdrawn or expired) is built at all.

``make test`` and ``.ci/run`` install ``hugo`` when it is missing; under CI (``CI`` set) a missing ``hugo`` fails
these tests rather than skipping them."""

import html
import io
import os
import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from articles.models import Article, ArticleAlias, Correction
from articles.tests.factories import make_article, make_author
from interchange.tests.factories import make_demo, newsroom_of_every_state

HUGO = shutil.which("hugo")
SHIPPED = Path(__file__).resolve().parents[2] / "deploy/hugo"
REFRESH = re.compile(r'<meta http-equiv="refresh" content="0; url=([^"]+)"')
HEADLINE = re.compile(r"<h1>(.*?)</h1>", re.DOTALL)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(HUGO is None and not os.environ.get("CI"), reason="no hugo (make test installs it)"),
]


def hugo_build(tmp_path):
    """Export the newsroom and build it with Hugo (warnings are errors); return the folder Hugo wrote."""
    if HUGO is None:
        pytest.fail("hugo is not installed: `make test` and .ci/run install Debian's hugo")
    call_command("export_markdown", str(tmp_path / "export"), stdout=io.StringIO())
    site = shutil.copytree(SHIPPED, tmp_path / "site")  # Hugo writes a lock file into its source folder
    result = subprocess.run(  # noqa: S603 - the test's own arguments
        [HUGO, "--source", str(site), "--contentDir", str(tmp_path / "export"), "--destination",
         str(tmp_path / "public"), "--panicOnWarning", "--printPathWarnings"],
        capture_output=True, text=True, timeout=120, env={**os.environ, "HUGO_CACHEDIR": str(tmp_path / "cache")},
    )  # fmt: skip
    assert result.returncode == 0 and "WARN" not in result.stdout + result.stderr, result.stdout + result.stderr
    return tmp_path / "public"


def built(public):
    """({path: headline} of the pages Hugo built, {path: the path it redirects to} of its redirect pages), paths
    decoded as a web server reads them to find the folder they name."""
    pages, redirects = {}, {}
    for page in public.rglob("index.html"):
        path = "/" + "".join(f"{part}/" for part in page.parent.relative_to(public).parts)
        text = page.read_text(encoding="utf-8")
        if found := REFRESH.search(text):
            redirects[path] = unquote(urlsplit(html.unescape(found.group(1))).path)
        elif path != "/":  # the list of articles, the mirror's front page
            pages[path] = html.unescape(HEADLINE.search(text).group(1))
    return pages, redirects


def served(client):
    """The same for the site: each article's address that answers 200, and each old address that answers 301
    to such a page (decoded, as ``built`` gives them)."""
    pages = {}
    for article in Article.objects.all():
        if client.get(article.get_absolute_url()).status_code == 200:
            pages[unquote(article.get_absolute_url())] = article.title
    redirects = {}
    for alias in ArticleAlias.objects.all():
        response = client.get(alias.path)
        if response.status_code == 301 and unquote(response["Location"]) in pages:
            redirects[alias.path] = unquote(response["Location"])
    return pages, redirects


def test_hugo_builds_what_the_site_serves_at_the_same_addresses_and_nothing_it_hides(tmp_path, client):
    """Pages and redirect pages of the Hugo build are the site's 200s and 301s, address for address."""
    made = newsroom_of_every_state()
    pages, redirects = served(client)
    hidden = {state for state, article in made.items() if article.get_absolute_url() not in pages}
    assert hidden == {"scheduled", "embargoed", "expired", "withdrawn", "review", "draft under embargo"}
    assert built(hugo_build(tmp_path)) == (pages, redirects)
    assert redirects == {"/2019/06/harbour-vote/": "/articles/harbour-vote/",
                         "/articles/harbour-vote-old/": "/articles/harbour-vote/"}  # fmt: skip


def test_hugo_builds_the_demo_as_the_site_serves_it(tmp_path, client, settings):
    """The demo (its content, library pictures, the desk's day with an embargoed story) builds as the site serves it."""
    settings.DEBUG, settings.VAR_DIR = True, tmp_path
    make_demo()
    pages, redirects = served(client)
    assert len(pages) == 29
    assert built(hugo_build(tmp_path)) == (pages, redirects)


def test_an_address_beyond_ascii_is_built_in_the_folder_a_web_server_looks_in(tmp_path, client):
    """A web server reads /articles/caf%C3%A9-r%C3%A9ouvert/ as the folder café-réouvert: Hugo writes the page
    there, not in a folder named with the percent signs, and the old address redirects to it."""
    article = make_article(title="Café reopens", slug="café-reopens")
    article.slug = "café-réouvert"
    article.save()
    assert (
        built(hugo_build(tmp_path))
        == served(client)
        == (
            {"/articles/café-réouvert/": "Café reopens"},
            {"/articles/café-reopens/": "/articles/café-réouvert/"},
        )
    )


def test_text_that_another_yaml_reads_as_a_number_or_a_yes_stays_text_in_the_build(tmp_path, client):
    """Hugo's YAML reads y, N, 1e3, 0o17 and 08 as yes/no values and numbers where PyYAML reads text: the headline,
    byline and correction keep their words in the build."""
    for number, title in enumerate(("Y", "n", "1e3", "0o17", "08", "+.5e3")):
        article = make_article(title=title, slug=f"headline-{number}", authors=[make_author(title)])
        Correction.objects.create(article=article, text=title)
    pages, redirects = served(client)
    public = hugo_build(tmp_path)
    assert built(public) == (pages, redirects)
    page = (public / "articles/headline-2/index.html").read_text()
    assert '<p class="byline">1e3' in page and "</time></p>1e3</div>" in page  # the byline and the correction


def test_an_archive_date_at_a_local_mean_time_offset_is_the_date_hugo_shows(tmp_path, settings):
    """Before 1937 Amsterdam's clocks ran 19 min 32 s ahead of Greenwich (1 h 19 min 32 s in summer), an offset
    YAML's timestamps cannot spell, and Hugo refuses the file: export writes such a time in UTC, the same moment."""
    settings.TIME_ZONE = "Europe/Amsterdam"
    when = datetime(1920, 5, 1, 12, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
    make_article(title="Armistice day", slug="armistice", published_at=when)
    page = (hugo_build(tmp_path) / "articles/armistice/index.html").read_text()
    assert '<time datetime="1920-05-01T10:40:28Z">1 May 1920</time>' in page


def test_text_that_reads_as_a_shortcode_is_shown_as_the_site_shows_it(tmp_path, client):
    """Hugo reads ``{{< name >}}`` and ``{{% name %}}`` anywhere in a body, code included, as a shortcode, and one it
    does not know stops the build: export writes them in Hugo's escaped form, which shows them as written."""
    body = "Write `{{< youtube abc >}}` to embed it.\n\n```\n{{% note %}}\nText.\n{{% /note %}}\n```\n"
    make_article(title="Embedding video", slug="embedding", body=body)
    make_article(title="Escapes", slug="escapes", body="Hugo's escape: `{{</* figure */>}}`, and a lone >}}.")
    pages, redirects = served(client)
    public = hugo_build(tmp_path)
    assert built(public) == (pages, redirects)
    for slug in ("embedding", "escapes"):
        site = client.get(f"/articles/{slug}/").content.decode()
        mirror = (public / f"articles/{slug}/index.html").read_text()
        for code in re.findall(r"<code[^>]*>(.*?)</code>", site, re.DOTALL):
            assert code in mirror
