"""Withdrawing: readers see the public note the editor was shown, never the desk's note, and a refused
workflow button saves nothing."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Byline
from articles.tests.factories import make_article, make_author
from articles.workflow import transitions

pytestmark = pytest.mark.django_db

PUBLIC = "Withdrawn: the survey figures were wrong-zq."
INTERNAL = "Approval suspended by a court on 5 December-zq."
CHANGELIST = reverse("admin:articles_article_changelist")


@pytest.fixture
def story(writer, editor):
    article = make_article(title="Ferry figures story", status=Article.Status.DRAFT, published_at=None)
    Byline.objects.create(article=article, author=writer.author)
    return transitions.apply(article, "publish", editor)


def stored(article):
    return Article.objects.get(pk=article.pk)


def posted(article, **overrides):
    """The change form as the admin fills it for ``article``, with ``overrides``."""
    data = {
        "title": article.title, "slug": article.slug, "dek": article.dek, "body": article.body, "tags": "",
        "version": article.version, "lead_image": "", "lead_image_url": "", "lead_image_alt": "",
        "lead_image_caption": "", "lead_image_credit": "", "transition_comment": "",
        "withdrawal_note": article.withdrawal_note,
    }  # fmt: skip
    if article.published_at:
        local = timezone.localtime(article.published_at)
        data |= {"published_at_0": f"{local:%Y-%m-%d}", "published_at_1": f"{local:%H:%M:%S.%f}"}
    bylines = list(article.bylines.all())
    for prefix in ("bylines", "corrections", "share_links", "aliases", "transitions"):
        rows = bylines if prefix == "bylines" else []
        data |= {f"{prefix}-TOTAL_FORMS": len(rows), f"{prefix}-INITIAL_FORMS": len(rows)}
    for i, row in enumerate(bylines):
        data |= {f"bylines-{i}-id": row.pk, f"bylines-{i}-article": article.pk, f"bylines-{i}-author": row.author_id,
                 f"bylines-{i}-position": row.position, f"bylines-{i}-role": row.role}  # fmt: skip
    return data | overrides


def change(client, article, **overrides):
    return client.post(reverse("admin:articles_article_change", args=[article.pk]), posted(article, **overrides))


def shown_digest(response):
    """The hidden field by which the confirmation says which public note it showed."""
    return re.search(r'name="_public_note_shown" value="(\w+)"', response.content.decode()).group(1)


class TestChangeForm:
    def test_withdraw_shows_the_public_note_then_readers_get_only_that(self, story, editor, client_for, client):
        """The Withdraw button first shows the form's Withdrawal note; confirmed, readers see it, not the desk's."""
        admin = client_for(editor)
        edits = {"title": "Ferry figures story, corrected", "withdrawal_note": PUBLIC, "transition_comment": INTERNAL}
        asked = change(admin, story, _transition="withdraw", **edits)
        assert asked.status_code == 200
        page = asked.content.decode()
        assert "Withdraw with this note" in page and PUBLIC in page and "Please correct" not in page
        unchanged = stored(story)
        assert (unchanged.status, unchanged.title, unchanged.withdrawal_note) == ("published", story.title, "")

        done = change(admin, story, _transition="withdraw", _public_note_shown=shown_digest(asked), **edits)
        assert done.status_code == 302
        withdrawn = stored(story)
        assert (withdrawn.status, withdrawn.withdrawal_note) == ("withdrawn", PUBLIC)
        assert withdrawn.title == "Ferry figures story, corrected"  # the form's other edits go with it
        assert withdrawn.transitions.get(target="withdrawn").comment == INTERNAL
        gone = client.get(withdrawn.get_absolute_url())
        assert gone.status_code == 410
        assert PUBLIC in gone.content.decode() and INTERNAL not in gone.content.decode()

    def test_a_note_changed_after_it_was_shown_is_shown_again(self, story, editor, client_for):
        """Only the note the editor saw goes out: editing it after the confirmation asks again."""
        admin = client_for(editor)
        asked = change(admin, story, _transition="withdraw", withdrawal_note=PUBLIC)
        again = change(admin, story, _transition="withdraw", withdrawal_note="Another note-zq.",
                       _public_note_shown=shown_digest(asked))  # fmt: skip
        assert again.status_code == 200 and "Another note-zq." in again.content.decode()
        assert stored(story).status == "published"

    def test_a_refused_withdrawal_saves_nothing(self, story, editor, client_for):
        """Withdrawing without a public note is refused, and the form's other edits are not saved either."""
        admin = client_for(editor)
        response = change(admin, story, _transition="withdraw", title="Edited headline-zq", withdrawal_note="")
        assert response.status_code == 200
        page = response.content.decode()
        assert "Nothing was saved" in page and "needs a public note" in page and "Edited headline-zq" in page
        after = stored(story)
        assert (after.status, after.title, after.version) == ("published", story.title, story.version)

    def test_a_refused_publication_saves_nothing(self, writer, editor, client_for):
        """Any refused button undoes the save: a publication refused by the checklist leaves the text as it was."""
        draft = make_article(title="Draft-zq", status=Article.Status.DRAFT, published_at=None, created_by=writer)
        Byline.objects.create(article=draft, author=make_author())
        response = change(client_for(editor), draft, _transition="publish", dek="", body="A rewritten body-zq.")
        assert response.status_code == 200 and "missing a dek" in response.content.decode()
        after = stored(draft)
        assert (after.status, after.dek, after.body) == ("draft", draft.dek, draft.body)


class TestBulkAction:
    def test_bulk_withdraw_uses_each_public_note_and_keeps_the_desk_note_internal(self, story, editor, client_for):
        """Left empty, the public note is each article's own; without one an article stays up. The desk's
        note only goes to the log."""
        Article.objects.filter(pk=story.pk).update(withdrawal_note=PUBLIC)
        bare = make_article(title="No note story")
        admin = client_for(editor)
        selected = {"action": "withdraw_selected", "_selected_action": [story.pk, bare.pk]}
        page = admin.post(CHANGELIST, selected).content.decode()
        assert PUBLIC in page and "no Withdrawal note yet" in page
        result = admin.post(CHANGELIST, selected | {"apply": "1", "note": "", "comment": INTERNAL}, follow=True)
        assert "refused for 1" in result.content.decode()
        assert (stored(story).status, stored(story).withdrawal_note) == ("withdrawn", PUBLIC)
        assert stored(story).transitions.get(target="withdrawn").comment == INTERNAL
        assert stored(bare).status == "published"

    def test_a_note_given_in_bulk_is_the_public_note(self, story, editor, client_for, client):
        """A public note typed on the bulk page goes to readers; the desk's note does not."""
        admin = client_for(editor)
        admin.post(CHANGELIST, {"action": "withdraw_selected", "_selected_action": [story.pk], "apply": "1",
                                "note": PUBLIC, "comment": INTERNAL})  # fmt: skip
        gone = client.get(story.get_absolute_url()).content.decode()
        assert PUBLIC in gone and INTERNAL not in gone
        assert stored(story).transitions.get(target="withdrawn").comment == INTERNAL
