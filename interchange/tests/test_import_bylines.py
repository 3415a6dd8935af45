"""A byline from a file is a name without control characters; a name made only of them is left out of the
article with a note saying so, and the rest of the file imports."""

import pytest

from articles.models import Article, Author
from interchange.tests.factories import run_import, write

pytestmark = pytest.mark.django_db

FILE = r"""---
title: Harbour reopens
date: 2024-05-01T10:00:00Z
authors:
- "Ann\x01 Lee"
- "\x01\x02"
- name: "\e\x7f"
  role: Photos
- Bea Cole
---
The harbour reopened.
"""


def test_control_characters_are_dropped_from_names_and_a_name_of_nothing_else_is_left_out(tmp_path):
    path = write(tmp_path, "harbour.md", FILE)
    out, err, error = run_import(tmp_path)
    assert error is None, err
    article = Article.objects.get()
    assert [b.name for b in article.bylines_shown] == ["Ann Lee", "Bea Cole"]
    assert sorted(Author.objects.values_list("name", flat=True)) == ["Ann Lee", "Bea Cole"]
    assert out.count(f"note: {path}: author ") == 2, out
    assert "author '\\x01\\x02' left out: a name of control characters only" in out, out
