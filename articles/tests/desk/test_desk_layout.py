"""The desk is the admin's front page alone: its blocks, a button to write, and the lists this person may open,
without Django's application headings or recent actions; and the admin writes every time one way."""

import re
from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from articles.models import SiteSettings
from articles.tests.factories import draft_by, make_article
from articles.workflow import transitions

pytestmark = pytest.mark.django_db

INDEX = reverse("admin:index")
EVERYONE = ["Articles", "Pictures"]
EDITORS = ["Articles", "Pictures", "Front page", "Banners", "Sections", "Kinds of work", "Authors", "Tags", "Settings"]


def nav(page):
    block = re.search(r'<nav class="desk-nav"[^>]*>(.*?)</nav>', page, re.S).group(1)
    return [re.sub(r"<[^>]+>", "", link) for link in re.findall(r"<a [^>]*>.*?</a>", block)]


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", "root@example.org", "pw-not-used")


def test_the_desk_has_no_app_list_nor_recent_actions(client_for, editor):
    site = SiteSettings.load()
    site.name = "The Harbour Gazette"
    site.save()
    page = client_for(editor).get(INDEX).content.decode()
    assert "The desk" in page and "Write an article" in page
    for clutter in ("Site administration", "Recent actions", "None available", 'class="app-', "TAGGIT", "AXES",
                    "administration</a>"):  # fmt: skip
        assert clutter not in page, clutter
    assert '<a href="/admin/">The Harbour Gazette newsroom</a>' in page


@pytest.mark.parametrize(
    "role, shown",
    [
        ("writer", EVERYONE + ["Sections", "Kinds of work", "Authors", "Tags"]),
        ("editor", EDITORS),
        ("superuser", EDITORS + ["Users", "Groups"]),
    ],
)
def test_the_nav_offers_only_what_each_role_may_open(request, client_for, role, shown):
    user = request.getfixturevalue(role)
    page = client_for(user).get(INDEX).content.decode()
    links = nav(page)
    assert [link for link in links if link in EDITORS + ["Users", "Groups"]] == [
        label for label in EDITORS + ["Users", "Groups"] if label in shown
    ]
    assert "My e-mail notifications" in links
    if role == "superuser":  # what else the admin has (sign-in attempts) stays one click away, unheaded
        assert "Access attempts" in links
    else:
        assert "Access attempts" not in links


def test_the_nav_links_open(client_for, editor):
    client = client_for(editor)
    page = client.get(INDEX).content.decode()
    block = re.search(r'<nav class="desk-nav"[^>]*>(.*?)</nav>', page, re.S).group(1)
    for url in re.findall(r'href="([^"]+)"', block):
        assert client.get(url, follow=True).status_code == 200, url


def test_the_admin_writes_every_time_one_way(client_for, writer, editor):
    """The desk, the article list and the revisions all write 1 Mar 2026, 11:30 for a time (in the site's zone)."""
    site = SiteSettings.load()
    site.time_zone = "Asia/Kolkata"
    site.save()
    make_article(title="Tide tables", published_at=datetime(2026, 3, 1, 6, 0, tzinfo=UTC))
    article = draft_by(writer, title="Storm watch")
    transitions.apply(article, "submit", writer)
    client = client_for(editor)
    listing = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "1 Mar 2026, 11:30" in listing
    stamp = r"\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}, \d\d:\d\d"
    desk = client.get(INDEX).content.decode()
    assert re.search(r"submitted by wendy " + stamp, desk)
    revisions = client.get(reverse("admin:articles_article_revisions", args=[article.pk])).content.decode()
    assert re.search(f">{stamp}</time></td>", revisions)
    for page in (listing, desk, revisions):  # none of Django's English formats, nor ISO dates
        assert not re.search(r"\b(a|p)\.m\.|\d{4}-\d\d-\d\d \d\d:\d\d|\b(Jan|Feb|Mar)\. \d", page)
