"""The desk: dashboard, presence, autosave, revisions of bylines and tags, assignment and its e-mails."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.desk import presence
from articles.markup import limits
from articles.models import Article, Autosave, Correction, DeskPreferences, SiteSettings, UndeliveredMail
from articles.tests.factories import change_url, draft_by, form_data, make_article, make_author, refresh
from articles.workflow import transitions

pytestmark = pytest.mark.django_db
INDEX = reverse("admin:index")


def heartbeat(client, article, **data):
    response = client.post(reverse("admin:articles_article_presence", args=[article.pk]), data)
    assert response.status_code == 200, response.content
    return response.json()


def autosave(client, article, **fields):
    url = (
        reverse("admin:articles_article_autosave", args=[article.pk])
        if article
        else reverse("admin:articles_article_autosave_new")
    )
    return client.post(url, fields)


@pytest.fixture
def named(writer, editor):
    writer.first_name, writer.last_name, writer.email = "Wendy", "Writer", "wendy@example.org"
    editor.first_name, editor.last_name, editor.email = "Ana", "Ruiz", "ana@example.org"
    writer.save()
    editor.save()
    return writer, editor


@pytest.fixture
def second_editor(db):
    from django.contrib.auth.models import Group

    user = User.objects.create_user("bea", password="x", is_staff=True, email="bea@example.org", first_name="Bea")
    user.groups.add(Group.objects.get(name="Editor"))
    return user


def site_in_kolkata():
    """The site's display time zone set to UTC+05:30: no chance of a coincidence with UTC."""
    site = SiteSettings.load()
    site.time_zone = "Asia/Kolkata"
    site.save()


class TestDashboard:
    def fill(self, writer, editor, n):
        now = timezone.now()
        for i in range(n):
            draft_by(writer, title=f"Mine {i}")
            review = draft_by(writer, title=f"Waiting {i}")
            transitions.apply(review, "submit", writer)
            make_article(title=f"Soon {i}", published_at=now + timedelta(hours=3 + i))
            make_article(title=f"Out {i}", published_at=now - timedelta(hours=2 + i))
            stale = draft_by(writer, title=f"Old {i}")
            Article.objects.filter(pk=stale.pk).update(modified_at=now - timedelta(days=20))
            Correction.objects.create(article=make_article(), text=f"Fixed {i}.")

    def test_editor_sees_each_block_with_counts_and_links(self, named, client_for):
        writer, editor = named
        self.fill(writer, editor, 2)
        back = draft_by(writer, title="Returned piece")
        transitions.apply(back, "submit", writer)
        transitions.apply(refresh(back), "send_back", editor, comment="Needs a source.")
        assigned = draft_by(writer, title="For Ana")
        transitions.apply(assigned, "submit", writer)
        Article.objects.filter(pk=assigned.pk).update(assignee=editor)
        page = client_for(editor).get(INDEX).content.decode()
        blocks = [
            "Assigned to me", "Waiting for review", "Scheduled in the next 48 hours", "Published in the last 24 hours",
            "Drafts untouched for 14 days", "Today&#x27;s corrections", "Pictures whose rights end",
        ]  # fmt: skip
        for title in blocks:
            assert title in page, title
        assert page.index("Assigned to me") < page.index("Waiting for review")  # the assignee sees it first
        assert "submitted by Wendy Writer" in page
        assert "?desk=review" in page and "?desk=next_48h" in page
        listed = client_for(editor).get(reverse("admin:articles_article_changelist") + "?desk=review")
        assert "Waiting 0" in listed.content.decode() and "Mine 0" not in listed.content.decode()
        corrected = Article.objects.filter(corrections__isnull=False).first()
        Correction.objects.create(article=corrected, text="A second fix today.")
        listed = client_for(editor).get(reverse("admin:articles_article_changelist") + "?desk=corrected_today")
        assert listed.context["cl"].result_count == 2  # two articles corrected, one of them twice: listed once

    def test_writer_sees_only_their_own_blocks(self, named, other_writer, client_for):
        writer, editor = named
        self.fill(writer, editor, 1)
        back = draft_by(writer, title="Returned piece")
        transitions.apply(back, "submit", writer)
        transitions.apply(refresh(back), "send_back", editor, comment="Needs a source.")
        page = client_for(writer).get(INDEX).content.decode()
        assert "Sent back to me" in page and "Returned piece" in page
        assert "sent back by Ana Ruiz: “Needs a source.”" in page
        assert "My drafts" in page and "My articles in review" in page and "Waiting 0" in page
        assert "Waiting for review" not in page and "Scheduled in the next 48 hours" not in page
        other = client_for(other_writer).get(INDEX).content.decode()
        assert "Returned piece" not in other and "Mine 0" not in other

    def test_dashboard_queries_are_fixed(self, named, client_for):
        """The desk costs the same number of queries with 1 or 6 articles in every block."""
        writer, editor = named
        client = client_for(editor)
        self.fill(writer, editor, 1)
        client.get(INDEX)
        with CaptureQueriesContext(connection) as few:
            client.get(INDEX)
        self.fill(writer, editor, 6)
        client.get(INDEX)  # what is read once per generation of the site's state
        with CaptureQueriesContext(connection) as many:
            assert client.get(INDEX).status_code == 200
        assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]

    def test_times_are_in_the_site_time_zone(self, named, client_for):
        writer, editor = named
        site_in_kolkata()
        at = timezone.now().replace(microsecond=0) + timedelta(hours=5)
        make_article(title="Evening story", published_at=at)
        page = client_for(editor).get(INDEX).content.decode()
        local = timezone.localtime(at, timezone=__import__("zoneinfo").ZoneInfo("Asia/Kolkata"))
        assert f"{local.day} {local:%b %Y, %H:%M}" in page  # the admin's one format, in the site's zone
        article = draft_by(writer)
        transitions.apply(article, "submit", writer)
        log = client_for(editor).get(change_url(article)).content.decode()
        logged = timezone.localtime(
            article.transitions.get().at, timezone=__import__("zoneinfo").ZoneInfo("Asia/Kolkata")
        )
        assert f"{logged:%H:%M}" in log


class TestPresence:
    def test_second_editor_sees_the_first_and_can_take_over(self, named, second_editor, client, django_user_model):
        from django.test import Client

        writer, ana = named
        article = draft_by(writer)
        first, second = Client(), Client()
        first.force_login(ana)
        second.force_login(second_editor)
        state = heartbeat(first, article)
        assert state["you_hold"] and state["others"] == []
        state = heartbeat(second, article)
        assert not state["you_hold"] and state["holder"]["name"] == "Ana Ruiz"
        assert state["holder"]["since_text"]  # "Ana Ruiz is editing this article since 10:42"
        assert [p["name"] for p in heartbeat(first, article)["others"]] == ["Bea"]
        listing = second.get(reverse("admin:articles_article_changelist")).content.decode()
        assert "Ana Ruiz" in listing  # shown in the list too
        taken = heartbeat(second, article, take_over="1")
        assert taken["you_hold"]
        told = heartbeat(first, article)
        assert not told["you_hold"] and told["taken_over"]["by"] == "Bea" and told["taken_over"]["at_text"]
        # Presence never blocks a save: the one who lost the hold can still save.
        response = first.post(change_url(article), form_data(refresh(article), body="Still mine to save."))
        assert response.status_code == 302 and refresh(article).body == "Still mine to save."

    def test_a_gone_holder_is_replaced_and_leaving_releases(self, named, second_editor, time_machine):
        from django.test import Client

        writer, ana = named
        article = draft_by(writer)
        first, second = Client(), Client()
        first.force_login(ana)
        second.force_login(second_editor)
        time_machine.move_to(timezone.now(), tick=False)
        heartbeat(first, article)
        time_machine.shift(presence.GONE_SECONDS + 1)
        assert heartbeat(second, article)["you_hold"]  # Ana's tab went away without a word
        heartbeat(second, article, leave="1")
        assert heartbeat(first, article)["you_hold"]

    def test_heartbeats_are_throttled_past_the_limit(self, writer, client_for, time_machine):
        article = draft_by(writer)
        client = client_for(writer)
        url = reverse("admin:articles_article_presence", args=[article.pk])
        time_machine.move_to(timezone.now().replace(second=0), tick=True)  # all in one window of the limit
        answers = [client.post(url) for _ in range(presence.BEATS_PER_MINUTE + 1)]
        assert {response.status_code for response in answers[:-1]} == {200}
        assert answers[-1].status_code == 429 and 1 <= int(answers[-1]["Retry-After"]) <= 60
        assert "Too many heartbeats" in answers[-1].json()["error"]

    def test_leaving_is_answered_past_the_heartbeat_limit(self, writer, client_for, time_machine):
        """Leaving only lets go of the article: a form closed after a flood of beats still frees it at once."""
        article = draft_by(writer)
        client = client_for(writer)
        url = reverse("admin:articles_article_presence", args=[article.pk])
        time_machine.move_to(timezone.now().replace(second=0), tick=True)  # all in one window of the limit
        for _ in range(presence.BEATS_PER_MINUTE + 1):
            client.post(url)
        assert client.post(url).status_code == 429
        assert heartbeat(client, article, leave="1") == {"left": True}
        assert presence.present(article.pk) == []

    def test_twenty_forms_beating_every_30_seconds_are_never_throttled(self, writer, client_for, time_machine):
        articles = [draft_by(writer) for _ in range(20)]
        client = client_for(writer)
        time_machine.move_to(timezone.now().replace(second=59, microsecond=500_000), tick=False)
        for _ in range(12):  # six minutes, each beat landing near a window's edge
            for article in articles:
                assert heartbeat(client, article)["you_hold"]
            time_machine.shift(30)

    def test_only_those_who_may_edit_send_heartbeats(self, writer, other_writer, client_for):
        article = draft_by(writer)
        client = client_for(other_writer)
        response = client.post(reverse("admin:articles_article_presence", args=[article.pk]))
        assert response.status_code in (403, 404)
        assert client_for(writer).get(reverse("admin:articles_article_presence", args=[article.pk])).status_code == 403


class TestAutosave:
    def test_autosave_is_kept_apart_and_offered_back_with_a_diff(self, writer, client_for):
        article = draft_by(writer, body="Saved paragraph.")
        client = client_for(writer)
        before = (refresh(article).version, article.history.count())
        response = autosave(client, article, title=article.title, dek=article.dek, body="Typed paragraph-q7.",
                            version=article.version)  # fmt: skip
        assert response.status_code == 200 and response.json()["saved_at"]
        assert (refresh(article).version, article.history.count()) == before  # not a revision, not a save
        assert refresh(article).body == "Saved paragraph."
        page = client.get(change_url(article)).content.decode()
        assert "You have unsaved text from" in page and "Restore my text" in page
        assert "paragraph-q7" in page  # in the diff and in the data the restore button puts back
        assert client.get(article.get_absolute_url()).status_code == 404  # a draft, autosave or not
        # Saving the article is the end of the autosave.
        client.post(change_url(article), form_data(refresh(article), body="Typed paragraph-q7."))
        assert not Autosave.objects.exists()
        assert "Restore my text" not in client.get(change_url(article)).content.decode()

    def test_discard(self, writer, client_for):
        article = draft_by(writer)
        client = client_for(writer)
        autosave(client, article, title="x", dek="", body="y")
        assert autosave(client, article, discard="1").json() == {"discarded": True}
        assert not Autosave.objects.exists()

    def test_a_stale_save_keeps_the_refused_text(self, writer, editor, client_for):
        article = draft_by(writer, body="Original.")
        opened = refresh(article)
        client_for(editor).post(change_url(article), form_data(opened, body="Editor's version."))
        client = client_for(writer)
        response = client.post(change_url(article), form_data(opened, body="Writer's refused words-k3."))
        assert "kept as your autosave" in response.content.decode()
        kept = Autosave.objects.get(user=writer, article=article)
        assert kept.body == "Writer's refused words-k3." and kept.refused and kept.version == opened.version
        page = client.get(change_url(article)).content.decode()
        assert "was kept" in page and "refused words-k3" in page

    def test_restoring_an_autosave_older_than_a_save_is_refused_with_both_texts(self, named, client_for):
        import json
        import re

        writer, ana = named
        article = draft_by(writer, body="First paragraph.")
        opened = refresh(article)
        editor = client_for(ana)
        autosave(editor, article, title=opened.title, dek=opened.dek, body="First paragraph, edited by Ana-e5.",
                 version=opened.version)  # fmt: skip
        writer_save = form_data(opened, body="First paragraph.\n\nThe writer's new paragraph-w8.")
        assert client_for(writer).post(change_url(article), writer_save).status_code == 302
        page = client_for(ana).get(change_url(article)).content.decode()
        # The offer says someone saved since, and shows their change.
        assert "Wendy Writer saved this article at " in page and f"(version {opened.version + 1})" in page
        assert "Their change since your text" in page and "+The writer&#x27;s new paragraph-w8." in page
        # The restore button gives the form the autosave's text and the version it was typed in ...
        fields = json.loads(re.search(r'id="desk-autosave-fields"[^>]*>(.*?)</script>', page).group(1))
        assert fields["version"] == opened.version and "edited by Ana-e5" in fields["body"]
        # ... so saving it is refused as out of date, with both texts, and the writer's paragraph stays.
        response = client_for(ana).post(change_url(article), form_data(refresh(article), **fields))
        assert response.status_code == 200
        assert "This article was saved by wendy" in response.content.decode()
        assert "paragraph-w8" in refresh(article).body and "Ana-e5" not in refresh(article).body

    def test_an_autosave_without_its_version_counts_as_older_than_a_later_save(self, named, client_for):
        import json
        import re

        writer, ana = named
        article = draft_by(writer, body="First paragraph.")
        autosave(client_for(ana), article, title=article.title, dek=article.dek, body="Ana's words-n1.")
        client_for(writer).post(change_url(article), form_data(refresh(article), body="Wendy's words-n2."))
        page = client_for(ana).get(change_url(article)).content.decode()
        assert "Wendy Writer saved this article at " in page
        fields = json.loads(re.search(r'id="desk-autosave-fields"[^>]*>(.*?)</script>', page).group(1))
        response = client_for(ana).post(change_url(article), form_data(refresh(article), **fields))
        assert response.status_code == 200 and refresh(article).body == "Wendy's words-n2."

    def test_restoring_an_autosave_nobody_saved_over_is_saved(self, writer, client_for):
        import json
        import re

        article = draft_by(writer, body="First paragraph.")
        client = client_for(writer)
        autosave(client, article, title=article.title, dek=article.dek, body="Restored words-r2.",
                 version=refresh(article).version)  # fmt: skip
        page = client.get(change_url(article)).content.decode()
        assert "saved this article" not in page
        fields = json.loads(re.search(r'id="desk-autosave-fields"[^>]*>(.*?)</script>', page).group(1))
        assert client.post(change_url(article), form_data(refresh(article), **fields)).status_code == 302
        assert refresh(article).body == "Restored words-r2."

    def test_a_new_article_is_autosaved_too(self, writer, client_for):
        client = client_for(writer)
        assert autosave(client, None, title="Unsaved headline", dek="", body="Draft in progress.").status_code == 200
        page = client.get(reverse("admin:articles_article_add")).content.decode()
        assert "Restore my text" in page and "Draft in progress." in page

    def test_autosaves_are_private_and_bounded(self, writer, other_writer, client_for, settings):
        article = draft_by(writer)
        assert autosave(client_for(other_writer), article, body="intrusion").status_code in (403, 404)
        huge = "x" * (limits.MAX_SOURCE_BYTES + 1)
        response = autosave(client_for(writer), article, title="t", body=huge)
        assert response.status_code == 413 and "Not autosaved" in response.json()["error"]
        assert client_for(writer).get(reverse("admin:articles_article_autosave", args=[article.pk])).status_code == 403
        assert not Autosave.objects.exists()


class TestRevisionsOfCredits:
    def test_bylines_and_tags_are_recorded_diffed_and_restored(self, writer, editor, client_for):
        article = draft_by(writer)
        client = client_for(editor)
        client.post(change_url(article), form_data(refresh(article), tags="climate, oceans"))
        extra = make_author("Second Reporter")
        data = form_data(refresh(article), tags="climate")
        data |= {"bylines-TOTAL_FORMS": 2, "bylines-1-author": extra.pk, "bylines-1-position": 1,
                 "bylines-1-role": "Additional reporting"}  # fmt: skip
        assert client.post(change_url(article), data).status_code == 302
        newest, previous = list(article.history.order_by("-history_id")[:2])
        assert newest.history_tags == ["climate"] and previous.history_tags == ["climate", "oceans"]
        assert [b["name"] for b in newest.history_bylines] == ["Wendy Writer", "Second Reporter"]
        page = client.get(reverse("admin:articles_article_revisions", args=[article.pk])).content.decode()
        assert "changed the bylines" in page and "<ins>\nSecond Reporter (Additional reporting)</ins>" in page
        assert "changed the tags" in page and "<del>\noceans</del>" in page
        client.post(reverse("admin:articles_article_restore", args=[article.pk, previous.history_id]))
        restored = refresh(article)
        assert sorted(restored.tags.names()) == ["climate", "oceans"]
        assert [b.author.name for b in restored.bylines.all()] == ["Wendy Writer"]
        assert article.history.order_by("-history_id").first().history_tags == ["climate", "oceans"]


@pytest.fixture
def committed(django_capture_on_commit_callbacks, eager_jobs):
    """E-mail goes out once a change commits: ``with committed():`` runs those callbacks as a commit would, and
    the job each queues at once, here (``eager_jobs``)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


class TestAssignmentAndEmail:
    def test_submit_goes_to_all_editors_then_the_assignee_only(
        self, named, second_editor, client_for, committed, mail_server
    ):
        writer, ana = named
        article = draft_by(writer)
        with committed():
            transitions.apply(article, "submit", writer)
        assert sorted(m["To"] for m in mail_server.received) == ["ana@example.org", "bea@example.org"]
        assert "Submitted for review" in mail_server.received[0]["Subject"]
        mail_server.received.clear()
        with committed():
            transitions.apply(refresh(article), "send_back", ana, comment="Add the council's answer.")
        assert [m["To"] for m in mail_server.received] == ["wendy@example.org"]  # the writer, not Ana herself
        assert "Add the council's answer." in mail_server.received[0].get_content()
        mail_server.received.clear()
        Article.objects.filter(pk=article.pk).update(assignee=second_editor)
        with committed():
            transitions.apply(refresh(article), "submit", writer)
        assert [m["To"] for m in mail_server.received] == ["bea@example.org"]

    def test_assigning_in_the_admin_tells_the_assignee(self, named, second_editor, client_for, committed, mail_server):
        writer, ana = named
        article = draft_by(writer)
        with committed():
            transitions.apply(article, "submit", writer)
        mail_server.received.clear()
        with committed():
            response = client_for(ana).post(change_url(article), form_data(refresh(article), assignee=second_editor.pk))
        assert response.status_code == 302 and refresh(article).assignee == second_editor
        assert [m["To"] for m in mail_server.received] == ["bea@example.org"]
        assert "Assigned to you" in mail_server.received[0]["Subject"]
        assert "assigned" in mail_server.received[0].get_content()
        assert reverse("admin:desk_preferences") in mail_server.received[0].get_content()  # how to opt out

    def test_assigning_outside_the_admin_tells_the_assignee(self, named, second_editor, committed, mail_server):
        """A script or the shell assigns through the model: the assignee hears of it, once; who assigned it is
        named when known (a workflow user), else the newsroom."""
        writer, ana = named
        article = draft_by(writer)
        with committed():
            transitions.apply(article, "submit", writer)
        mail_server.received.clear()
        article = refresh(article)
        article.assignee = second_editor
        with committed():
            article.save()
        assert [(m["To"], m["Subject"]) for m in mail_server.received] == [
            ("bea@example.org", f"[Newsroom] Assigned to you: {article.title}")
        ]
        assert "The newsroom assigned" in mail_server.received[0].get_content()
        with committed():
            article.title = "Still Bea's"
            article.save()  # no new assignee: nobody is told again
        assert len(mail_server.received) == 1
        article.assignee, article._history_user = ana, second_editor
        with committed():
            article.save()
        assert [m["To"] for m in mail_server.received][1:] == ["ana@example.org"]
        assert "Bea assigned" in mail_server.received[1].get_content()

    def test_an_assignment_rolled_back_tells_nobody(self, named, second_editor, client_for, committed, mail_server):
        """In the admin, a refused button undoes the whole save, the new assignee with it; so does a script's
        failing transaction."""
        writer, ana = named
        article = draft_by(writer)
        with committed():
            transitions.apply(article, "submit", writer)
        mail_server.received.clear()
        data = form_data(refresh(article), assignee=second_editor.pk) | {"_transition": "submit"}  # in review already
        with committed():
            response = client_for(ana).post(change_url(article), data)
        assert response.status_code == 200 and refresh(article).assignee is None
        article = refresh(article)
        with committed(), pytest.raises(RuntimeError), transaction.atomic():
            article.assignee = second_editor
            article.save()
            raise RuntimeError("the rest of the script failed")
        assert refresh(article).assignee is None
        assert mail_server.received == [] and not UndeliveredMail.objects.exists()

    def test_a_step_rolled_back_tells_nobody(self, named, committed, mail_server):
        """A script whose transaction fails after a workflow step: the step is undone and nobody hears of it."""
        writer, ana = named
        article = draft_by(writer)
        with committed(), pytest.raises(RuntimeError), transaction.atomic():
            transitions.apply(article, "publish", ana)
            raise RuntimeError("the rest of the script failed")
        assert refresh(article).status == Article.Status.DRAFT
        assert mail_server.received == [] and not UndeliveredMail.objects.exists()

    def test_writers_cannot_assign_and_only_editors_are_offered(self, named, other_writer, client_for, committed):
        writer, ana = named
        article = draft_by(writer)
        client_for(writer).post(change_url(article), form_data(refresh(article), assignee=ana.pk))
        assert refresh(article).assignee is None
        page = client_for(ana).get(change_url(article)).content.decode()
        offered = page.split('name="assignee"', 1)[1].split("</select>", 1)[0]  # the assignee's choices only
        assert f'<option value="{ana.pk}">' in offered and f'<option value="{other_writer.pk}">' not in offered

    def test_publishing_tells_the_writer_and_the_opt_out_holds(self, named, client_for, committed, mail_server):
        writer, ana = named
        article = draft_by(writer)
        with committed():
            transitions.apply(article, "publish", ana)
        assert [(m["To"], "Published" in m["Subject"]) for m in mail_server.received] == [("wendy@example.org", True)]
        mail_server.received.clear()
        client = client_for(writer)
        assert client.get(reverse("admin:desk_preferences")).status_code == 200
        client.post(reverse("admin:desk_preferences"), {})  # the box unticked
        assert DeskPreferences.objects.get(user=writer).email_notifications is False
        other = draft_by(writer)
        with committed():
            transitions.apply(other, "publish", ana)
        assert mail_server.received == []

    def test_a_failing_mail_server_does_not_undo_the_step(self, named, committed, caplog, mail_server):
        writer, ana = named
        mail_server.stop()
        article = draft_by(writer)
        with committed():
            transitions.apply(article, "submit", writer)
        assert refresh(article).status == Article.Status.REVIEW
        assert any("could not send the submit e-mail" in r.getMessage() for r in caplog.records)


class TestSmallThings:
    def test_writing_fields_are_sized_for_their_text(self, writer, client_for):
        page = client_for(writer).get(change_url(draft_by(writer))).content.decode()
        assert 'class="vTextField headline-field"' in page and 'class="dek-field"' in page

    def test_lockout_says_until_when(self, writer, client, settings):
        site_in_kolkata()
        url = reverse("admin:login")
        for _ in range(settings.AXES_FAILURE_LIMIT + 1):
            response = client.post(url, {"username": "wendy", "password": "wrong"}, REMOTE_ADDR="10.1.2.3")
        page = response.content.decode()
        assert response.status_code == 429
        assert "You can try again from" in page and "IST" in page and "“wendy”" in page


class TestSubmitting:
    def test_an_empty_story_is_refused_by_name_and_nothing_of_the_form_is_saved(self, writer, client_for):
        article = draft_by(writer, dek="", body="")
        before = (refresh(article).version, article.history.count())
        client = client_for(writer)
        data = form_data(refresh(article), title="A sharper headline-u4", _transition="submit")
        response = client.post(change_url(article), data)
        page = response.content.decode()
        assert response.status_code == 200  # the form again, with the text as typed
        assert "Nothing was saved: Submit for review was refused: missing a dek" in page and "a body" in page
        assert "A sharper headline-u4" in page
        stored = refresh(article)
        assert (stored.title, stored.status) == (article.title, Article.Status.DRAFT)
        assert (stored.version, article.history.count()) == before
        # The same from the list's bulk action, and with the missing parts written the submission goes through.
        client.post(reverse("admin:articles_article_changelist"),
                    {"action": "submit_selected", "_selected_action": [article.pk]})  # fmt: skip
        assert refresh(article).status == Article.Status.DRAFT
        data = form_data(refresh(article), dek="What happened.", body="The story.", _transition="submit")
        assert client.post(change_url(article), data).status_code == 302
        assert refresh(article).status == Article.Status.REVIEW

    def test_a_refused_action_keeps_no_upload(self, editor, client_for, media_root):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from articles.models import Image
        from articles.tests.factories import picture_bytes

        article = draft_by(editor, dek="")
        upload = SimpleUploadedFile("lead.jpg", picture_bytes(), "image/jpeg")
        data = form_data(refresh(article), lead_image_upload=upload, lead_image_alt="Boats", _transition="publish")
        response = client_for(editor).post(change_url(article), data)
        assert "Nothing was saved: Publish was refused: missing a dek" in response.content.decode()
        assert not Image.objects.exists() and refresh(article).lead_image is None
        assert [path for path in media_root.rglob("*") if path.is_file()] == []

    def test_submitting_frees_the_story_for_the_desk_at_once(self, named, client):
        from django.test import Client

        writer, ana = named
        article = draft_by(writer)
        wendy, desk = Client(), Client()
        wendy.force_login(writer)
        desk.force_login(ana)
        assert heartbeat(wendy, article)["you_hold"]
        assert wendy.post(change_url(article), form_data(refresh(article), _transition="submit")).status_code == 302
        state = heartbeat(desk, article)
        assert state["you_hold"] and state["others"] == []  # no "Wendy is editing", no take-over offered

    def test_only_save_and_continue_keeps_the_hold(self, named):
        from django.test import Client

        writer, ana = named
        article = draft_by(writer)
        first, second = Client(), Client()
        first.force_login(ana)
        second.force_login(writer)
        heartbeat(first, article)
        first.post(change_url(article), form_data(refresh(article), body="Still here.", _continue="1"))
        assert not heartbeat(second, article)["you_hold"]
        heartbeat(second, article, leave="1")
        first.post(change_url(article), form_data(refresh(article), body="Done for now."))
        assert heartbeat(second, article)["you_hold"]
