"""An article's kind of work in the events other software is told of: its slug in each snapshot, a relabelling
announced as an update, and an article without a kind digested as before kinds existed."""

import hashlib
import json

import pytest

from articles import events
from articles.models import ArticleEvent
from articles.tests.factories import kind_of_work, make_article

pytestmark = pytest.mark.django_db
Kind = ArticleEvent.Kind


def test_a_relabelled_article_is_announced_as_an_update_naming_its_new_kind(django_capture_on_commit_callbacks):
    """Opinion to Analysis: an article.updated whose data says ``analysis``."""
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(kind=kind_of_work("Opinion"))
    assert ArticleEvent.objects.latest_of(article.pk).data["kind"] == "opinion"
    with django_capture_on_commit_callbacks(execute=True):
        article.kind = kind_of_work("Analysis")
        article.save()
    event = ArticleEvent.objects.latest_of(article.pk)
    assert (event.kind, event.data["kind"]) == (Kind.UPDATED, "analysis")


def test_an_article_without_a_kind_digests_as_before_kinds_existed(django_capture_on_commit_callbacks):
    """Its snapshot says ``kind: null`` and its digest is the one events logged before kinds existed, so its next
    save announces nothing new; given a kind, the digest changes."""
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article()
    event = ArticleEvent.objects.latest_of(article.pk)
    assert event.data["kind"] is None
    before_kinds = {name: value for name, value in event.data.items() if name not in ("kind", "digest")}
    shown = json.dumps([before_kinds, *(str(getattr(article, name)) for name in events.SHOWN_FIELDS)], sort_keys=True)
    assert event.data["digest"] == hashlib.sha256(shown.encode()).hexdigest()
    article.kind = kind_of_work("News")
    assert events.snapshot(article)["digest"] != event.data["digest"]
