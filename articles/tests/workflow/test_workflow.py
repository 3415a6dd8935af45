from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleTransition
from articles.tests.factories import article_form, change_url, draft_by, form_data, make_article, refresh
from articles.workflow import transitions

pytestmark = pytest.mark.django_db


class TestTransitionsPerRole:
    @pytest.mark.parametrize(
        ("role", "name", "start", "allowed"),
        [
            ("writer", "submit", "draft", True),
            ("writer", "publish", "draft", False),
            ("writer", "publish", "review", False),
            ("writer", "schedule", "draft", False),
            ("writer", "withdraw", "published", False),
            ("writer", "send_back", "review", False),
            ("editor", "submit", "draft", True),
            ("editor", "publish", "draft", True),
            ("editor", "publish", "review", True),
            ("editor", "schedule", "review", True),
            ("editor", "send_back", "review", True),
            ("editor", "withdraw", "published", True),
            ("editor", "withdraw", "draft", False),
            ("editor", "submit", "review", False),
            ("editor", "send_back", "draft", False),
        ],
    )
    def test_grid(self, request, writer, role, name, start, allowed):
        """Each role may make exactly the transitions the desk's rules give it."""
        user = request.getfixturevalue(role)
        article = draft_by(writer)
        Article.objects.filter(pk=article.pk).update(
            status=start, published_at=timezone.now() - timedelta(hours=1) if start == "published" else None
        )
        article = refresh(article)
        when = timezone.now() + timedelta(days=1) if name == "schedule" else None
        try:
            transitions.apply(article, name, user, comment="Because.", when=when, public_note="Taken down.")
            happened = True
        except transitions.TransitionError:
            happened = False
        assert happened is allowed
        assert ArticleTransition.objects.filter(article=article).exists() is allowed

    def test_superuser_can_do_everything(self, admin_user, writer):
        """Superusers publish and withdraw like editors."""
        article = draft_by(writer)
        transitions.apply(article, "publish", admin_user)
        transitions.apply(article, "withdraw", admin_user, public_note="Legal advice.")
        assert refresh(article).status == Article.Status.WITHDRAWN

    def test_writers_cannot_submit_others_drafts(self, writer, other_writer):
        """A writer's rights stop at their own drafts."""
        article = draft_by(writer)
        with pytest.raises(transitions.TransitionError, match="your own drafts"):
            transitions.apply(article, "submit", other_writer)

    def test_transitions_are_recorded(self, writer, editor):
        """Who moved the article, from where, to where and why is kept."""
        article = draft_by(writer)
        transitions.apply(article, "submit", writer)
        transitions.apply(article, "send_back", editor, comment="Needs a second source.")
        log = list(
            ArticleTransition.objects.filter(article=article).values_list(
                "user__username", "source", "target", "comment"
            )
        )
        assert log == [("wendy", "draft", "review", ""), ("eddie", "review", "draft", "Needs a second source.")]


class TestChecklistAndTimes:
    def test_checklist_blocks_publishing_and_says_what(self, editor):
        """Without a dek, a byline and alt text, publishing is refused with each missing item named."""
        article = make_article(status=Article.Status.DRAFT, dek="", lead_image_url="https://img.example/a.jpg")
        with pytest.raises(transitions.TransitionError) as error:
            transitions.apply(article, "publish", editor)
        assert (
            str(error.value)
            == "missing a dek (the summary under the headline), at least one byline, alt text for the lead image"
        )
        assert refresh(article).status == Article.Status.DRAFT

    def test_first_publication_time_is_kept(self, writer, editor):
        """Withdrawing and republishing keeps the original publication time."""
        article = draft_by(writer)
        first = transitions.apply(article, "publish", editor).published_at
        transitions.apply(article, "withdraw", editor, public_note="Error.")
        assert transitions.apply(article, "publish", editor).published_at == first

    def test_withdraw_keeps_a_public_note(self, writer, editor):
        """The public note given when withdrawing is stored for readers; the desk's note is not."""
        article = draft_by(writer)
        transitions.apply(article, "publish", editor)
        with pytest.raises(transitions.TransitionError, match="needs a public note"):
            transitions.apply(article, "withdraw", editor, comment="Court order of 5 December.")
        withdrawn = transitions.apply(
            article, "withdraw", editor, comment="Court order of 5 December.", public_note="Withdrawn pending review."
        )
        assert withdrawn.withdrawal_note == "Withdrawn pending review."
        assert withdrawn.transitions.get(target="withdrawn").comment == "Court order of 5 December."

    def test_scheduled_visibility_flips_at_its_time(self, writer, editor, time_machine):
        """A scheduled article appears when its time comes, with no job run."""
        time_machine.move_to(timezone.now(), tick=False)
        article = draft_by(writer)
        at = timezone.now() + timedelta(hours=3)
        article = transitions.apply(article, "schedule", editor, when=at)
        assert transitions.state(article) == transitions.SCHEDULED
        assert not Article.objects.published().exists()
        time_machine.shift(timedelta(hours=3))
        assert list(Article.objects.published()) == [article]
        assert transitions.state(refresh(article)) == Article.Status.PUBLISHED

    def test_schedule_needs_a_future_time(self, writer, editor):
        """A schedule in the past is refused rather than published silently."""
        article = draft_by(writer)
        with pytest.raises(transitions.TransitionError, match="in the future"):
            transitions.apply(article, "schedule", editor, when=timezone.now() - timedelta(minutes=1))


class TestAdminPermissions:
    def test_writer_cannot_publish_by_direct_post(self, writer, client_for):
        """A writer posting the publish button gets a refusal and the article stays a draft."""
        article = draft_by(writer)
        client = client_for(writer)
        response = client.post(change_url(article), form_data(article, _transition="publish"), follow=True)
        assert response.status_code == 200
        assert "you do not have permission to publish" in response.content.decode()
        assert refresh(article).status == Article.Status.DRAFT

    def test_writer_cannot_publish_by_posting_a_status(self, writer, client_for):
        """Status is not a form field: posting one saves the other edits and leaves the status alone."""
        article = draft_by(writer)
        client_for(writer).post(change_url(article), form_data(article, title="Edited-7Q", status="published"))
        article = refresh(article)
        assert (article.title, article.status) == ("Edited-7Q", Article.Status.DRAFT)

    def test_writer_cannot_use_the_bulk_publish_action(self, writer, client_for):
        """The publish action is not offered to writers, and posting it does nothing."""
        article = draft_by(writer)
        client = client_for(writer)
        changelist = client.get(reverse("admin:articles_article_changelist"))
        assert "publish_selected" not in changelist.content.decode()
        client.post(
            reverse("admin:articles_article_changelist"),
            {"action": "publish_selected", "_selected_action": [article.pk]},
        )
        assert refresh(article).status == Article.Status.DRAFT

    def test_writer_submits_own_draft_from_the_form(self, writer, client_for):
        """Saving with the submit button saves the edits and moves the draft to review."""
        article = draft_by(writer)
        client_for(writer).post(change_url(article), form_data(article, title="Sharper headline", _transition="submit"))
        article = refresh(article)
        assert (article.title, article.status) == ("Sharper headline", Article.Status.REVIEW)

    def test_writer_sees_only_their_own_articles(self, writer, other_writer, client_for):
        """Another writer's draft is neither listed nor editable, while the same post saves the writer's own."""
        mine, theirs = draft_by(writer, title="Mine-7Q"), draft_by(other_writer, title="Theirs-7Q")
        client = client_for(writer)
        listing = client.get(reverse("admin:articles_article_changelist")).content.decode()
        assert "Mine-7Q" in listing and "Theirs-7Q" not in listing
        assert client.get(change_url(theirs)).status_code in (302, 403, 404)
        client.post(change_url(theirs), form_data(theirs, title="Hijacked"))
        assert refresh(theirs).title == "Theirs-7Q"
        assert client.get(change_url(mine)).status_code == 200
        client.post(change_url(mine), form_data(mine, title="Mine, sharpened"))
        assert refresh(mine).title == "Mine, sharpened"

    def test_writer_cannot_edit_own_article_in_review(self, writer, editor, client_for):
        """Once submitted, the text is the desk's until sent back: the post that the desk may make is refused."""
        article = draft_by(writer)
        transitions.apply(article, "submit", writer)
        client_for(writer).post(change_url(article), form_data(refresh(article), title="Late change"))
        assert refresh(article).title != "Late change"
        client_for(editor).post(change_url(article), form_data(refresh(article), title="Desk change"))
        assert refresh(article).title == "Desk change"

    def test_bulk_actions_report_done_and_refused(self, writer, editor, client_for):
        """Bulk publish says what it published and what it refused, and why."""
        ready = draft_by(writer, title="Ready one")
        not_ready = make_article(title="Missing dek", dek="", status=Article.Status.DRAFT)
        response = client_for(editor).post(
            reverse("admin:articles_article_changelist"),
            {"action": "publish_selected", "_selected_action": [ready.pk, not_ready.pk]},
            follow=True,
        )
        text = response.content.decode()
        assert "Publish: done for 1" in text and "Ready one" in text
        assert "Publish: refused for 1" in text and "Missing dek" in text and "missing a dek" in text
        assert refresh(ready).status == Article.Status.PUBLISHED

    def test_bulk_withdraw_asks_for_a_note(self, writer, editor, client_for):
        """Withdrawing in bulk asks for the public note first."""
        article = draft_by(writer)
        transitions.apply(article, "publish", editor)
        client = client_for(editor)
        url = reverse("admin:articles_article_changelist")
        page = client.post(url, {"action": "withdraw_selected", "_selected_action": [article.pk]})
        assert "Public note" in page.content.decode() and refresh(article).status == Article.Status.PUBLISHED
        client.post(
            url, {"action": "withdraw_selected", "_selected_action": [article.pk], "apply": "1", "note": "Gone."}
        )
        assert refresh(article).status == Article.Status.WITHDRAWN and refresh(article).withdrawal_note == "Gone."

    def test_changelist_counts_states(self, writer, editor, client_for):
        """The desk sees how many articles are in each state."""
        draft_by(writer)
        make_article()
        page = client_for(editor).get(reverse("admin:articles_article_changelist")).content.decode()
        assert "Draft <strong>1</strong>" in page and "Published <strong>1</strong>" in page

    def test_live_preview_uses_the_reader_pipeline(self, writer, client_for):
        """The editor's preview pane gets sanitised HTML and counts."""
        response = client_for(writer).post(
            reverse("admin:articles_article_preview_markdown"), {"body": "Hello **there** <script>x()</script>"}
        )
        data = response.json()
        assert "<strong>there</strong>" in data["html"] and "<script" not in data["html"]
        assert data["words"] == 3 and data["minutes"] == 1  # the tag goes, as in Hugo; its text stays

    def test_live_preview_needs_a_login(self, client):
        """Anonymous visitors cannot use the renderer."""
        response = client.post(reverse("admin:articles_article_preview_markdown"), {"body": "x"})
        assert response.status_code == 302


@pytest.mark.parametrize(
    "empty", ["\u200b", "\ufeff\u2060", "\u00a0\u200b\u3000", "&nbsp;", "<!-- to come -->", "&#8203;"]
)
def test_submitting_a_story_of_invisible_characters_is_refused_as_empty(client_for, writer, empty):
    """Text that shows readers nothing (zero-width and other invisible characters, an entity for a space, an HTML
    comment) is no dek and no body."""
    data = article_form(title="Quay reopens", dek=empty, body=empty, version=0, _transition="submit")
    page = client_for(writer).post(reverse("admin:articles_article_add"), data).content.decode()
    assert "Nothing was saved" in page and "a dek (the summary under the headline), a body" in page, empty
    assert not Article.objects.filter(title="Quay reopens").exists()
