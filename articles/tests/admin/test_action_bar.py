"""The article form's action bar, the publish step, and where each save leaves the editor: on the story, with
what happened said at the top, or on the desk when they chose it; a refused action keeps them on the story with
the reason beside its field."""

import re
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Section
from articles.tests.factories import article_form, change_url, draft_by, form_data, make_picture, refresh
from articles.workflow import transitions

pytestmark = pytest.mark.django_db


def bar(page):
    """The action bar's markup."""
    return page[page.index('id="action-bar"') : page.index("</details>", page.index('id="action-bar"'))]


def actions_in(page):
    return re.findall(r'name="_transition" value="(\w+)"', bar(page))


def primary(page):
    """The workflow action (or the plain Save) styled as the primary one."""
    found = re.findall(r'class="button action-(\w+) default"', bar(page))
    assert len(found) == 1, found
    return found[0]


def said(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def confirm_value(page):
    """The publish step's Confirm button: the action and the digest of what the step showed."""
    return re.search(r'name="_confirm" value="([\w:]+)"', page).group(1)


@pytest.fixture
def in_review(writer, editor):
    return transitions.apply(draft_by(writer), "submit", writer)


@pytest.fixture
def published(writer, editor):
    return transitions.apply(draft_by(writer), "publish", editor)


class TestTheBar:
    @pytest.mark.parametrize(
        ("role", "story", "expected", "main"),
        [
            ("writer", "draft", ["submit"], "submit"),
            ("editor", "draft", ["submit", "publish", "schedule"], "publish"),
            ("editor", "review", ["publish", "schedule", "send_back"], "publish"),
            ("editor", "published", ["withdraw"], "save"),
            ("writer", "review", [], None),
        ],
    )
    def test_it_offers_exactly_the_actions_this_user_may_take_now(
        self, role, story, expected, main, writer, editor, client_for
    ):
        """The bar holds Save and the transitions the workflow allows this user on this story in its state."""
        user = {"writer": writer, "editor": editor}[role]
        article = draft_by(writer)
        if story != "draft":
            article = transitions.apply(article, "submit", writer)
        if story == "published":
            article = transitions.apply(article, "publish", editor)
        page = client_for(user).get(change_url(article)).content.decode()
        assert actions_in(page) == expected
        assert ('name="_continue"' in bar(page)) == (main is not None)  # a writer cannot save a story in review
        if main:
            assert primary(page) == main

    def test_the_admins_submit_row_is_replaced(self, writer, editor, client_for):
        """Nobody gets the default submit row below the form, nor a second set of buttons."""
        article = draft_by(writer)
        for user in (writer, editor):
            page = client_for(user).get(change_url(article)).content.decode()
            assert 'class="submit-row"' not in page and 'name="_save"' not in page
            assert page.count('name="_transition" value="submit"') == 1

    def test_writers_get_no_save_and_add_another_and_delete_is_apart_from_publish(self, writer, editor, client_for):
        article = draft_by(writer)
        writers = client_for(writer).get(change_url(article)).content.decode()
        assert "_addanother" not in writers and "Save and add another" not in writers
        editors = client_for(editor).get(change_url(article)).content.decode()
        assert 'name="_addanother"' in editors
        more = editors[editors.index('class="action-more"') :]
        assert "Delete this story" in more and "Delete" not in editors[: editors.index('class="action-more"')]

    def test_a_writer_posting_save_and_add_another_stays_on_the_story(self, writer, client_for):
        article = draft_by(writer)
        response = client_for(writer).post(change_url(article), form_data(refresh(article), _addanother="1"))
        assert response["Location"] == change_url(article)

    def test_view_on_site_of_a_draft_is_its_preview(self, writer, editor, client_for, published):
        """A draft has no public address yet: the link shows the staff preview, not a 404."""
        client = client_for(editor)
        page = client.get(change_url(draft_by(writer))).content.decode()
        link = re.search(r'<a href="([^"]+)" class="viewsitelink"', page).group(1)
        assert link.startswith("/preview/")
        assert client.get(link).status_code == 200
        live = client.get(change_url(published)).content.decode()
        assert re.search(r'<a href="([^"]+)" class="viewsitelink">View on site', live)

    def test_writers_do_not_see_the_publishing_fields_they_cannot_set(self, writer, editor, client_for):
        """Empty, they would be a dash; the assignee is shown once the desk has set one."""
        article = draft_by(writer)
        page = client_for(writer).get(change_url(article)).content.decode()
        for name in ("published_at", "expires_at", "embargo_until", "assignee"):
            assert f"field-{name}" not in page
        Article.objects.filter(pk=article.pk).update(assignee=editor)
        page = client_for(writer).get(change_url(article)).content.decode()
        assert "field-assignee" in page and "field-expires_at" not in page
        assert "field-expires_at" in client_for(editor).get(change_url(article)).content.decode()


class TestLanding:
    def test_save_stays_on_the_story(self, writer, client_for):
        article = draft_by(writer)
        response = client_for(writer).post(change_url(article), form_data(refresh(article), _continue="1"))
        assert response["Location"] == change_url(article)
        response = client_for(writer).post(change_url(article), form_data(refresh(article), title="Plain save-zq"))
        assert response["Location"] == change_url(article)
        assert said(response)[-1] == "Saved “Plain save-zq”."

    def test_submitting_lands_on_the_story_with_what_happened(self, writer, client_for):
        article = draft_by(writer)
        response = client_for(writer).post(change_url(article), form_data(refresh(article), _transition="submit"))
        assert response["Location"] == change_url(article)
        assert refresh(article).status == Article.Status.REVIEW
        page = client_for(writer).get(response["Location"]).content.decode()
        assert "Submitted for review. The desk has been told." in page

    def test_a_new_article_submitted_lands_on_its_own_form(self, writer, client_for):
        data = article_form(title="Quay reopens-zq", dek="After repairs.", body="The quay.", _transition="submit")
        response = client_for(writer).post(reverse("admin:articles_article_add"), data)
        article = Article.objects.get(title="Quay reopens-zq")
        assert response["Location"] == change_url(article) and article.status == Article.Status.REVIEW
        assert said(response) == ["Submitted for review. The desk has been told."]

    def test_sending_back_lands_on_the_story(self, in_review, editor, client_for):
        data = form_data(refresh(in_review), _transition="send_back")
        response = client_for(editor).post(change_url(in_review), data)
        assert response["Location"] == change_url(in_review)
        assert said(response) == ["Sent back to draft. Its writers have been told."]

    def test_the_desk_by_choice_remembered_for_the_session(self, writer, editor, client_for):
        """Chosen once, after an action the editor goes to the desk; a plain save still stays on the story."""
        client = client_for(writer)
        first, second, third = draft_by(writer), draft_by(writer), draft_by(writer)
        response = client.post(change_url(first), form_data(refresh(first), _transition="submit", _after="desk"))
        assert response["Location"] == reverse("admin:index")
        response = client.post(change_url(second), form_data(refresh(second), _transition="submit"))
        assert response["Location"] == reverse("admin:index")
        assert client.post(change_url(third), form_data(refresh(third)))["Location"] == change_url(third)
        page = client.get(change_url(third)).content.decode()
        assert '<option value="desk" selected>' in page


class TestRefused:
    def test_a_refused_publish_stays_on_the_story_with_reasons_beside_their_fields(self, writer, editor, client_for):
        """Missing dek and lead-picture alt text: nothing saved, each reason beside its field and at the top."""
        picture = make_picture(alt="")
        article = draft_by(writer)
        data = form_data(refresh(article), title="Edited-zq", dek="", lead_image=picture.pk, _transition="publish")
        response = client_for(editor).post(change_url(article), data)
        assert response.status_code == 200
        errors = response.context["adminform"].form.errors
        assert "a dek" in " ".join(errors["dek"]) and "alt text" in " ".join(errors["lead_image_alt"])
        page = response.content.decode()
        assert "Nothing was saved: Publish was refused: missing a dek" in page
        assert "Missing: alt text for the lead image" in page  # the step lists the checklist's problems
        assert 'name="_confirm"' not in page
        after = refresh(article)
        assert (after.status, after.title) == (Article.Status.DRAFT, article.title)

    def test_a_schedule_without_a_time_names_the_time_field(self, writer, editor, client_for):
        article = draft_by(writer)
        response = client_for(editor).post(change_url(article), form_data(refresh(article), _transition="schedule"))
        assert "in the future" in " ".join(response.context["adminform"].form.errors["published_at"])
        assert refresh(article).status == Article.Status.DRAFT


class TestPublishStep:
    def test_publish_first_shows_the_step_then_confirm_publishes(self, writer, editor, client_for):
        section = Section.objects.create(name="Harbour-zq", position=1)
        picture = make_picture(alt="Boats at the quay")
        article = draft_by(writer, dek="What the harbour board decided.")
        client = client_for(editor)
        edits = {"section": section.pk, "tags": "Coast, Ferries", "lead_image": picture.pk, "title": "Quay-zq"}
        asked = client.post(change_url(article), form_data(refresh(article), _transition="publish", **edits))
        assert asked.status_code == 200
        page = asked.content.decode()
        step = page[page.index('id="action-step"') : page.index("</dialog>")]
        assert "Harbour-zq" in step and "Coast, Ferries" in step and "goes live <strong>now</strong>" in step
        assert picture.renditions["sources"][1]["jpg"] in step  # the card's picture
        assert picture.renditions["social"] in step and "What the harbour board decided." in step
        assert "Nothing missing." in step and "Please correct" not in page
        after = refresh(article)
        assert (after.status, after.title, after.section_id) == (Article.Status.DRAFT, article.title, None)

        done = client.post(change_url(article), form_data(refresh(article), _confirm=confirm_value(page), **edits))
        assert done["Location"] == change_url(article)
        after = refresh(article)
        assert (after.status, after.title, after.section_id) == (Article.Status.PUBLISHED, "Quay-zq", section.pk)
        assert said(done) == ["Published: readers see it now."]

    def test_a_step_shown_for_other_text_is_shown_again(self, writer, editor, client_for):
        """A headline changed after the step was shown: the step is shown again, nothing goes out."""
        article = draft_by(writer)
        client = client_for(editor)
        asked = client.post(change_url(article), form_data(refresh(article), _transition="publish"))
        shown = confirm_value(asked.content.decode())
        again = client.post(change_url(article), form_data(refresh(article), title="Changed-zq", _confirm=shown))
        assert again.status_code == 200 and "Publish “Changed-zq”?" in again.content.decode()
        assert refresh(article).status == Article.Status.DRAFT

    def test_a_confirm_from_a_stale_form_is_refused(self, writer, editor, client_for):
        article = draft_by(writer)
        opened = refresh(article)
        client = client_for(editor)
        asked = client.post(change_url(article), form_data(opened, _transition="publish"))
        client.post(change_url(article), form_data(opened, body="Saved meanwhile."))
        stale = client.post(change_url(article), form_data(opened, _confirm=confirm_value(asked.content.decode())))
        assert stale.status_code == 200 and "Nothing was saved" in stale.content.decode()
        assert refresh(article).status == Article.Status.DRAFT

    def test_schedule_shows_the_time_then_schedules(self, writer, editor, client_for):
        article = draft_by(writer)
        Article.objects.filter(pk=article.pk).update(published_at=timezone.now() + timedelta(days=1))
        client = client_for(editor)
        asked = client.post(change_url(article), form_data(refresh(article), _transition="schedule")).content.decode()
        assert transitions.shown(refresh(article).published_at) in asked
        done = client.post(change_url(article), form_data(refresh(article), _confirm=confirm_value(asked)))
        assert done["Location"] == change_url(article) and refresh(article).state() == "scheduled"
        assert said(done)[0].startswith("Scheduled: it goes live on ")

    def test_a_writer_cannot_confirm_a_publication(self, writer, client_for):
        article = draft_by(writer)
        client = client_for(writer)
        response = client.post(change_url(article), form_data(refresh(article), _confirm="publish:0000"))
        assert "you do not have permission to publish" in response.content.decode()
        assert refresh(article).status == Article.Status.DRAFT


class TestWithdrawal:
    def test_the_confirmed_withdrawal_lands_on_the_story(self, published, editor, client_for):
        client = client_for(editor)
        note = "Withdrawn: the figures were wrong-zq."
        asked = client.post(change_url(published), form_data(refresh(published), withdrawal_note=note,
                                                              _transition="withdraw")).content.decode()  # fmt: skip
        step = asked[asked.index('id="action-step"') : asked.index("</dialog>")]
        assert note in step and "Withdraw with this note" in step
        digest = re.search(r'name="_public_note_shown" value="(\w+)"', step).group(1)
        done = client.post(change_url(published), form_data(refresh(published), withdrawal_note=note,
                           _transition="withdraw", _public_note_shown=digest))  # fmt: skip
        assert done["Location"] == change_url(published) and refresh(published).status == Article.Status.WITHDRAWN
        assert said(done) == ["Withdrawn: its address now answers “Gone” with your public note."]
