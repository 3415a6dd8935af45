"""`make run PORT=…` and `make serve PORT=…` publish links to the port they serve: the demo step
(``demo_editor --site``) gives the site settings the address it serves at, unless an editor set another."""

import io

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import CommandError, call_command

from articles.models import Article, SiteSettings
from articles.tests.factories import make_article, make_author
from articles.workflow import transitions

pytestmark = pytest.mark.django_db

SERVED = "http://127.0.0.1:8400"


@pytest.fixture
def demo(settings, tmp_path):
    """``demo_editor`` as the Makefile runs it: development settings, its files under a ``var/`` of its own."""
    settings.DEBUG, settings.VAR_DIR = True, tmp_path

    def run(site):
        out = io.StringIO()
        call_command("demo_editor", "--site", site, stdout=out)
        return out.getvalue()

    return run


def test_the_demo_publishes_links_to_the_port_it_serves(demo, client, django_capture_on_commit_callbacks, eager_jobs):
    article = make_article(title="Harbour reopens", authors=[make_author("Ann Byline")])
    assert SiteSettings.load().public_url == "http://127.0.0.1:8000"  # a fresh install's
    assert f"Site address: {SERVED} " in demo(SERVED)
    url = article.get_absolute_url()
    page = client.get(url).content.decode()
    assert f'<link rel="canonical" href="{SERVED}{url}">' in page and ":8000" not in page
    for feed in ("/feed/rss/", "/feed/atom/", "/feed/json/", "/sitemap-articles.xml", "/sitemap.xml", "/robots.txt"):
        text = client.get(feed).content.decode()
        assert SERVED in text and "127.0.0.1:8000" not in text, feed
    writer = User.objects.get(username="writer")
    draft = make_article(title="Night buses", status=Article.Status.DRAFT, published_at=None, created_by=writer,
                         authors=[make_author("Lena Hoffmann")])  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        transitions.apply(draft, "submit", writer)
    assert mail.outbox and all(f"{SERVED}/admin/" in message.body for message in mail.outbox)
    assert all("127.0.0.1:8000" not in message.body for message in mail.outbox)


def test_the_demo_follows_the_port_of_each_run_and_keeps_an_address_an_editor_set(demo):
    demo(SERVED)
    assert f"Site address: {SERVED.replace('8400', '8000')} " in demo("http://127.0.0.1:8000/")
    assert SiteSettings.load().public_url == "http://127.0.0.1:8000"
    site = SiteSettings.load()
    site.public_url = "https://news.example.org"  # an editor's, in Site settings
    site.save()
    out = demo(SERVED)
    assert "Site address: https://news.example.org (as an editor set it in Site settings" in out
    assert SiteSettings.load().public_url == "https://news.example.org"
    site.public_url = SERVED  # an editor choosing the served address is kept too, once the demo has moved on
    site.save()
    demo("http://127.0.0.1:8500")
    assert SiteSettings.load().public_url == SERVED


def test_the_demo_refuses_an_address_that_is_not_one(demo):
    with pytest.raises(CommandError, match="is not an http"):
        demo("127.0.0.1:8400")
    assert SiteSettings.load().public_url == "http://127.0.0.1:8000"
