"""Old addresses from a file's ``aliases``: a path redirects; an address with a query string or a fragment cannot
be matched by path, so it is left out with a note naming it, and the rest of the file imports."""

import io

import pytest
from django.core.management import call_command

from articles.models import Article, ArticleAlias
from interchange.tests.factories import run_import, write

pytestmark = pytest.mark.django_db

FILE = """---
title: Harbour reopens
slug: harbour-reopens
date: 2024-05-01T10:00:00Z
aliases:
- /index.php?p=12
- https://old.example/story.php?id=3#top
- /2019/harbour/#comments
- /2019/harbour-reopens/
- /100%3F-sure/
- https://old.example/2019/05/harbour/
- mailto:desk@example.org
- https://old.example/
---
The harbour reopened.
"""


def test_an_alias_with_a_query_or_a_fragment_is_left_out_with_a_note(tmp_path, client):
    write(tmp_path, "harbour.md", FILE)
    out, err, error = run_import(tmp_path)
    assert error is None, err
    article = Article.objects.get(slug="harbour-reopens")
    paths = ["/100?-sure/", "/2019/05/harbour/", "/2019/harbour-reopens/"]
    assert sorted(article.aliases.values_list("path", flat=True)) == paths
    for address in ("/index.php?p=12", "https://old.example/story.php?id=3#top", "/2019/harbour/#comments"):
        assert f"note: {tmp_path / 'harbour.md'}: alias {address} left out: " in out, out
    assert out.count("cannot be redirected by its path") == 3
    assert "alias https://old.example/2019/05/harbour/ kept as its path, /2019/05/harbour/" in out
    for address in ("mailto:desk@example.org", "https://old.example/"):
        assert f"alias {address} left out: only an http(s) address with a path can be redirected" in out, out
    assert client.get("/2019/05/harbour/")["Location"] == article.get_absolute_url()
    response = client.get("/2019/harbour-reopens/")
    assert response.status_code == 301 and response["Location"] == article.get_absolute_url()
    assert client.get("/100%3F-sure/")["Location"] == article.get_absolute_url()


def test_an_address_holding_a_question_mark_as_a_character_survives_export_and_import(tmp_path):
    """Stored decoded, as a request's path is; exported percent-encoded, so the file's alias is still a path."""
    write(tmp_path / "in", "harbour.md", FILE)
    run_import(tmp_path / "in")
    before = sorted(ArticleAlias.objects.values_list("path", flat=True))
    call_command("export_markdown", str(tmp_path / "out"), stdout=io.StringIO())
    Article.objects.all().delete()
    out, err, error = run_import(tmp_path / "out")
    assert error is None, err
    assert "left out" not in out
    assert sorted(ArticleAlias.objects.values_list("path", flat=True)) == before
