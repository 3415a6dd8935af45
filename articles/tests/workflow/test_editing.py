"""What a save of an article from a form means beyond its fields (articles.workflow.editing), without the admin."""

import pytest
from django.db import transaction

from articles.models import Article, Autosave, Byline, Correction
from articles.tests.factories import draft_by, make_author, make_picture, refresh
from articles.workflow import editing, transitions

pytestmark = pytest.mark.django_db


def test_a_new_article_is_created_by_the_person_saving_it(writer, other_writer):
    """A new article's creator is whoever saves it first; an edit leaves the creator alone."""
    article = Article(title="New")
    editing.before_article_save(article, writer, adding=True)
    assert article.created_by == writer
    editing.before_article_save(article, other_writer, adding=False)
    assert article.created_by == writer


def test_only_a_substantive_update_shows_readers_an_updated_time(writer):
    """A substantive update stamps updated_at; a typo fix does not."""
    article = draft_by(writer)
    editing.before_article_save(article, writer, adding=False, substantive_update=False)
    assert article.updated_at is None
    editing.before_article_save(article, writer, adding=False, substantive_update=True)
    assert article.updated_at is not None


def test_an_uploaded_lead_image_becomes_the_lead_image(writer):
    """A picture uploaded with the save becomes the article's lead image; no upload keeps the one it had."""
    article, picture = draft_by(writer), make_picture()
    editing.before_article_save(article, writer, adding=False, lead_image=picture)
    editing.before_article_save(article, writer, adding=False, lead_image=None)
    assert article.lead_image == picture


def test_a_save_ends_the_autosave_its_text_came_from(writer, other_writer):
    """Saving drops the saver's autosave of that article (or of a new one), and nobody else's."""
    article = draft_by(writer)
    Autosave.keep(writer, article, {"body": "typed"})
    Autosave.keep(writer, None, {"body": "a new one"})
    Autosave.keep(other_writer, article, {"body": "theirs"})
    editing.after_article_save(article, writer, adding=False)
    assert list(Autosave.objects.values_list("user", "body").order_by("body")) == [
        (writer.pk, "a new one"),
        (other_writer.pk, "theirs"),
    ]
    editing.after_article_save(article, writer, adding=True)
    assert not Autosave.objects.filter(user=writer).exists()


def test_bylines_that_trade_authors_save(writer):
    """Two stored bylines that swap authors are saved without meeting on the unique index."""
    article = draft_by(writer)
    first = Byline.objects.get(article=article)
    second = Byline.objects.create(article=article, author=make_author(), position=1)
    first.author, second.author = second.author, first.author
    editing.save_rows(Byline, [first, second], [], writer)
    assert [b.author for b in article.bylines.order_by("position")] == [first.author, second.author]


def test_a_row_takes_the_author_of_a_row_deleted_in_the_same_save(writer):
    """Deleted rows go first, so a new byline may credit the author whose byline is deleted with it."""
    article = draft_by(writer)
    old = Byline.objects.get(article=article)
    new = Byline(article=article, author=old.author, position=1, role="Photos")
    editing.save_rows(Byline, [new], [old], writer)
    assert list(article.bylines.values_list("author", "role")) == [(old.author_id, "Photos")]


def test_a_new_correction_is_made_by_the_person_saving_it(writer):
    """A correction saved without a creator is the saver's."""
    article = draft_by(writer)
    correction = Correction(article=article, kind=Correction.Kind.CORRECTION, text="A name was misspelled.")
    editing.save_rows(Correction, [correction], [], writer)
    assert Correction.objects.get().created_by == writer


def test_a_form_opened_at_an_older_version_is_out_of_date_and_its_text_kept(writer):
    """An older version is refused with the stored article, and the typed text kept as a refused autosave."""
    article = draft_by(writer)
    with transaction.atomic():
        assert editing.out_of_date(article, article.version, writer, {"body": "mine"}) is None
        current = editing.out_of_date(article, article.version - 1, writer, {"body": "mine"})
    assert current.pk == article.pk
    kept = Autosave.objects.get(user=writer, article=article)
    assert (kept.body, kept.refused, kept.version) == ("mine", True, article.version - 1)


def test_finishing_a_save_records_credits_and_makes_the_step_asked_for(writer):
    """The newest revision records the bylines, and a step asked for with the save is made."""
    article = draft_by(writer)
    editing.finish_save(article, writer, transition="submit")
    assert refresh(article).status == Article.Status.REVIEW
    assert article.history.order_by("-history_id")[1].history_bylines  # the save's revision, before the step's


def test_a_refused_step_is_raised_for_the_caller_to_undo_the_save(writer):
    """A step the saver may not make raises TransitionError."""
    article = draft_by(writer)
    with pytest.raises(transitions.TransitionError):
        editing.finish_save(article, writer, transition="publish")
