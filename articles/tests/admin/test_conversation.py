"""The review conversation: the notes left with workflow steps, at the top of the story, on the desk and in the
e-mails, each with who left it and when."""

import zoneinfo

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import timezone

from articles.models import SiteSettings
from articles.tests.factories import change_url, draft_by, form_data, refresh

pytestmark = pytest.mark.django_db
KOLKATA = zoneinfo.ZoneInfo("Asia/Kolkata")


@pytest.fixture
def named(writer, editor):
    writer.first_name, writer.last_name, writer.email = "Wendy", "Writer", "wendy@example.org"
    editor.first_name, editor.last_name, editor.email = "Ana", "Ruiz", "ana@example.org"
    writer.save()
    editor.save()
    site = SiteSettings.load()
    site.time_zone = "Asia/Kolkata"  # UTC+05:30: a time shown in UTC by mistake cannot match
    site.save()
    return writer, editor


@pytest.fixture
def committed(django_capture_on_commit_callbacks, eager_jobs):
    """The callbacks of a commit run, and the jobs they queue (the desk's e-mail) at once, here."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def step(client, article, name, note, **fields):
    """Press "Save and: <name>" on the article's change form with ``note`` for the desk."""
    data = form_data(refresh(article), _transition=name, transition_comment=note, **fields)
    response = client.post(change_url(article), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return refresh(article)


def sent_back(client_for, writer, editor, note="Needs the council's answer."):
    article = draft_by(writer, title="Harbour dues rise")
    step(client_for(writer), article, "submit", "First draft, photos to follow.")
    return step(client_for(editor), article, "send_back", note)


def shown_at(moment):
    return f"{timezone.localtime(moment, KOLKATA):%-d %b %Y, %H:%M}"


def conversation(page):
    start = page.index('<section class="review-conversation"')
    return page[start : page.index("</section>", start)]


class TestAtTheTopOfTheStory:
    def test_the_writer_finds_the_send_back_note_above_the_writing_fields(self, named, client_for):
        writer, editor = named
        article = sent_back(client_for, writer, editor, note="Needs the council's answer.\nAnd a second source.")
        page = client_for(writer).get(change_url(article)).content.decode()
        notes = conversation(page)
        assert page.index("review-conversation") < page.index('id="id_title"')  # above the writing fields
        send_back = article.transitions.get(target="draft")
        latest = notes[notes.index("conversation-latest") :]
        assert "<strong>Ana Ruiz</strong> sent it back to draft" in latest
        assert shown_at(send_back.at) in latest
        assert "Needs the council&#x27;s answer.<br>And a second source." in latest
        assert "conversation-for-you" in notes and "For you" in latest  # addressed to her, and said so
        earlier = notes[: notes.index("conversation-latest")]
        assert "1 earlier note" in earlier and "<strong>Wendy Writer</strong> submitted it for review" in earlier
        assert "First draft, photos to follow." in earlier
        compare = reverse("admin:articles_article_revisions", args=[article.pk])
        assert f'<a href="{compare}">What changed since it was submitted</a>' in notes

    def test_the_resubmission_answers_and_is_for_the_editor(self, named, client_for):
        writer, editor = named
        article = sent_back(client_for, writer, editor)
        step(client_for(writer), article, "submit", "Added the council's answer.")
        page = client_for(editor).get(change_url(article)).content.decode()
        latest = conversation(page)[conversation(page).index("conversation-latest") :]
        assert "<strong>Wendy Writer</strong> resubmitted it for review" in latest
        assert "Added the council&#x27;s answer." in latest and "For you" in latest
        assert "2 earlier notes" in conversation(page)

    def test_a_note_is_for_whom_it_speaks_to_until_answered(self, named, client_for):
        writer, editor = named
        bea = User.objects.create_user("bea", is_staff=True, first_name="Bea")
        bea.groups.add(Group.objects.get(name="Editor"))

        def for_you(user, article):
            return "For you" in conversation(client_for(user).get(change_url(article)).content.decode())

        article = sent_back(client_for, writer, editor)
        assert for_you(writer, article) and not for_you(editor, article) and not for_you(bea, article)
        step(client_for(writer), article, "submit", "")  # answered, without a note
        assert not for_you(writer, article) and not for_you(editor, article)
        other = draft_by(writer, title="Ferry timetable")
        type(other).objects.filter(pk=other.pk).update(assignee=bea)
        step(client_for(writer), other, "submit", "Bea, this is the one we discussed.")
        assert for_you(bea, other) and not for_you(editor, other)  # the editor it is assigned to

    def test_nothing_is_shown_without_notes_and_notes_are_text(self, named, client_for):
        writer, editor = named
        article = draft_by(writer)
        assert "review-conversation" not in client_for(writer).get(change_url(article)).content.decode()
        step(client_for(writer), article, "submit", "   ")
        assert "review-conversation" not in client_for(editor).get(change_url(article)).content.decode()
        step(client_for(editor), article, "send_back", "<script>alert(1)</script>")
        page = client_for(writer).get(change_url(article)).content.decode()
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in conversation(page)


class TestOnTheDesk:
    def test_the_resubmit_note_reaches_the_review_blocks(self, named, client_for):
        writer, editor = named
        article = sent_back(client_for, writer, editor)
        step(client_for(writer), article, "submit", "Added the council's answer.")
        desk = client_for(editor).get(reverse("admin:index")).content.decode()
        block = desk[desk.index('id="desk-review"') :]
        block = block[: block.index("</section>")]
        assert "Harbour dues rise" in block
        assert "resubmitted by Wendy Writer" in block and "“Added the council&#x27;s answer.”" in block
        type(article).objects.filter(pk=article.pk).update(assignee=editor)
        desk = client_for(editor).get(reverse("admin:index")).content.decode()
        assigned = desk[desk.index('id="desk-assigned"') :]
        assert "“Added the council&#x27;s answer.”" in assigned[: assigned.index("</section>")]
        mine = client_for(writer).get(reverse("admin:index")).content.decode()
        mine = mine[mine.index('id="desk-my_review"') :]
        assert "“Added the council&#x27;s answer.”" in mine[: mine.index("</section>")]

    def test_the_resubmit_note_goes_out_by_email_as_the_send_back_note_does(
        self, named, client_for, committed, mail_server
    ):
        writer, editor = named
        with committed():
            article = sent_back(client_for, writer, editor, note="Needs the council's answer.")
        assert "Needs the council's answer." in mail_server.received[-1].get_content()
        mail_server.received.clear()
        with committed():
            step(client_for(writer), article, "submit", "Added the council's answer.")
        (mail,) = mail_server.received
        assert mail["To"] == "ana@example.org"
        assert "Their note:\nAdded the council's answer." in mail.get_content().replace("\r\n", "\n")
