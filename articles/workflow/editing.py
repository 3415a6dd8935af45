"""What a save of an article from the desk's change form means beyond the form's fields, stated once here and
called by the admin (which only says what the form holds):

- a form opened at an older version than the stored one is out of date: its text is kept as the person's
  autosave, and nothing is saved (``out_of_date``);
- before the article row is saved: who created a new article, the lead image uploaded with it, the
  "Updated" time readers see after a substantive update, and whether this save's revision waits for the
  workflow step made with it (``before_article_save``);
- once the row is saved, the autosave its text may have come from is done with (``after_article_save``);
- the rows saved with it: deleted rows go first, bylines that trade authors are written as new rows, and a
  new correction or share link is made by the person saving (``save_rows``);
- once everything is saved, the revision just made records the bylines and tags as saved, and the workflow
  step asked for with the save is made (``finish_save``). A refused step raises ``TransitionError``: the
  caller's transaction then undoes the whole save;
- a save with no step, of an article that is out or on its way (published, scheduled, embargoed), may not take
  away what the publish checklist requires (``stops_before_save``, then ``taken_away``): scheduling judged the
  article, and it would otherwise go out without. What was missing already (an item required since) does not
  stop the save.

One save is one revision, a save with a workflow step too: the form's save then records none
(django-simple-history's ``skip_history_when_saving``), and the step's save records the edits and the step
together, with its label and note as the revision's reason.
"""

from django.db import transaction
from django.utils import timezone

from articles.models import Article, Autosave, Byline, Correction, ShareLink, states
from articles.workflow import checklist, transitions

MADE_BY_THE_SAVER = (Correction, ShareLink)  # rows whose created_by is whoever saves them, when not given
OUT_OR_ON_ITS_WAY = (states.Status.PUBLISHED, states.SCHEDULED, states.EMBARGOED)


def out_of_date(article, opened_version, user, fields):
    """The article as stored, when a form opened at ``opened_version`` is out of date with it, else None.

    Reads the row locked until the caller's transaction ends, so two saves cannot both pass. An out-of-date
    form's ``fields`` are kept as ``user``'s autosave, marked refused: nothing typed is lost."""
    current = Article.objects.select_for_update().get(pk=article.pk)
    if opened_version == current.version:
        return None
    if user is not None:
        Autosave.keep(user, current, fields, version=opened_version, refused=True)
    return current


def before_article_save(article, user, *, adding, lead_image=None, substantive_update=False, transition=None):
    """Fill in what the form does not: the creator of a new article, an uploaded lead image, and the time of a
    substantive update (a typo fix leaves readers' "Updated" time alone). With a workflow step ``transition``
    made with the save, the save records no revision of its own: the step's save records it (``finish_save``)."""
    if transition:
        article.skip_history_when_saving = True
    if adding:
        article.created_by = user
    if lead_image is not None:
        article.lead_image = lead_image
    if substantive_update:
        article.updated_at = timezone.now()


def after_article_save(article, user, *, adding):
    """The text is saved: the autosave it may have come from (a new article's is kept without one) is done with."""
    Autosave.objects.filter(user=user, article=None if adding else article).delete()


def save_rows(model, rows, deleted, user):
    """Save an article's related ``rows`` of ``model`` as edited together, after deleting the ``deleted`` ones.

    Deleted rows go first: a row may take the author a deleted row had. Stored bylines are written again as
    new rows, since two that trade authors would meet half-way on the unique index (``byline_unique_author``).
    A correction dates its article and is logged (``Correction.save``)."""
    with transaction.atomic():
        for row in deleted:
            row.delete()
        if model is Byline:
            moved = [row for row in rows if row.pk is not None]
            Byline.objects.filter(pk__in=[row.pk for row in moved]).delete()
            for row in moved:
                row.pk, row._state.adding = None, True
        for row in rows:
            if isinstance(row, MADE_BY_THE_SAVER) and row.created_by_id is None:
                row.created_by = user
            row.save()


def finish_save(article, user, *, transition=None, comment=""):
    """Record the bylines and tags as saved in the revision just made, then make the workflow step
    ``transition`` (a name in ``transitions.TRANSITIONS``), if one was asked for with the save. When the save
    left its revision to the step, the step's save makes it, with the bylines and tags as saved."""
    if hasattr(article, "skip_history_when_saving"):
        del article.skip_history_when_saving
    else:
        article.record_credits()
    if transition:
        transitions.apply(article, transition, user, comment=comment)


def stops_before_save(article):
    """What stops the stored copy of ``article`` going out (``checklist.stops``), when it is out or on its way;
    None for any other article. Called before the save writes anything."""
    stored = Article.objects.filter(pk=article.pk).first() if article.pk is not None else None
    if stored is None or stored.state() not in OUT_OR_ON_ITS_WAY:
        return None
    return checklist.stops(stored)


def taken_away(before, article):
    """{problem: the form field it concerns, or None}: what the save of ``article`` left it without that the
    checklist requires and it had before (``before``: ``stops_before_save``); empty when nothing was."""
    if before is None or article.state() not in OUT_OR_ON_ITS_WAY:
        return {}
    return {text: field for key, (text, field) in checklist.stops(article).items() if key not in before}
