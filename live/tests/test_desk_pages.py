"""The live panels of the back office: the article form's coverage group and posting panel, the desk's live pages,
each update's revisions, breaking a key event out, and the admin of updates."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Section, SiteSettings
from articles.tests.factories import change_url, make_article, make_author
from live import stream
from live.models import Update
from live.tests.factories import coverage_form, desk_url, live_desk, make_live_article

pytestmark = pytest.mark.django_db


def test_the_posting_panel_is_on_a_live_page_only_and_outside_the_article_form(client_for, editor):
    """A live page's change form is followed by the posting panel; an ordinary article's has none."""
    live = make_live_article(title="Election night")
    stream.post(live, editor, body="Update-marker-6Q")
    page = client_for(editor).get(change_url(live)).content.decode()
    assert 'id="live-panel"' in page and "Update-marker-6Q" in page
    assert page.index('id="live-panel"') > page.index("</form>", page.index('id="article_form"'))
    assert "Live coverage" in page and 'name="live_from_0"' in page
    jump = page.index('<a href="#live-panel">Post an update</a>')  # among the tools at the top, above the form
    assert jump < page.index('id="article_form"')
    plain = client_for(editor).get(change_url(make_article())).content.decode()
    assert 'id="live-panel"' not in plain and "Live coverage" in plain and "#live-panel" not in plain


def test_a_writer_sees_coverage_as_text_and_only_on_a_live_page(client_for, writer):
    """A writer credited on a live page gets the posting panel and its coverage read-only; on an ordinary
    article of theirs the coverage group is not shown at all."""
    live = make_live_article(authors=[writer.author])
    page = client_for(writer).get(change_url(live)).content.decode()
    assert 'id="live-panel"' in page and "Live coverage" in page and 'name="live_from_0"' not in page
    plain = client_for(writer).get(change_url(make_article(authors=[writer.author]))).content.decode()
    assert "Live coverage" not in plain and 'id="live-panel"' not in plain


def test_coverage_ending_before_it_starts_is_named_on_the_field(client_for, editor):
    """Article.clean's error about the coverage's end shows on that field, and nothing is saved."""
    live = make_live_article()
    data = coverage_form(live, live_until=live.live_from - timedelta(hours=1))
    response = client_for(editor).post(change_url(live), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["live_until"] == ["Coverage must end after it starts."]
    assert Article.objects.get(pk=live.pk).live_until is None


def test_ending_coverage_through_the_article_form(client_for, editor):
    """The coverage group sets when coverage ends and the order the stream keeps after it."""
    live = make_live_article()
    ended = timezone.now() - timedelta(minutes=1)
    response = client_for(editor).post(change_url(live), coverage_form(live, live_until=ended, live_oldest_first="on"))
    assert response.status_code == 302
    stored = Article.objects.get(pk=live.pk)
    assert stored.coverage_ended() and stored.live_oldest_first


def test_an_updates_revisions_list_every_version_with_who_and_what_changed(client_for, editor):
    """The revisions page shows each version, who saved it, and the text's change word by word."""
    update = stream.post(make_live_article(), editor, body="Turnout is 40 per cent.")
    stream.edit(update, editor, version=1, body="Turnout is 45 per cent.", correction="We said 40.")
    stream.edit(Update.objects.get(), editor, version=2, pinned=True)
    page = client_for(editor).get(desk_url("revisions", update.pk))
    html = page.content.decode()
    assert page.status_code == 200
    for version in (1, 2, 3):
        assert f'id="version-{version}"' in html
    assert "<del>40</del>" in html and "<ins>45</ins>" in html and "We said 40." in html
    assert "Pinned." in html and "eddie" in html


def test_a_writer_not_credited_sees_no_revisions(client_for, editor, other_writer):
    """The revisions of an update on a page the writer may not post to are refused."""
    update = stream.post(make_live_article(), editor, body="Editors only.")
    assert client_for(other_writer).get(desk_url("revisions", update.pk)).status_code == 403


def test_a_key_event_broken_out_is_a_draft_that_links_back(client_for, editor):
    """Breaking out makes a draft with the update's headline, text, authors and a link to its permalink."""
    section = Section.objects.create(name="Politics", slug="politics")
    live = make_live_article(title="Election night", section=section)
    author = make_author("Ada Reporter")
    update = stream.post(live, editor, body="The **count** is over.", headline="The count ends", authors=[author],
                         key_event=True)  # fmt: skip
    answer = client_for(editor).post(desk_url("break_out", update.pk))
    assert answer.status_code == 201
    draft = Article.objects.get(pk=answer.json()["article"]["id"])
    assert answer.json()["article"]["url"] == change_url(draft)
    assert (draft.title, draft.status, draft.section, draft.created_by) == ("The count ends", "draft", section, editor)
    assert draft.body.startswith("The **count** is over.")
    permalink = SiteSettings.current().absolute(reverse("live:update", args=[live.slug, update.pk]))
    assert permalink.startswith("http") and f"]({permalink})" in draft.body and "#update-" not in draft.body
    assert [byline.author for byline in draft.bylines.all()] == [author]


def test_breaking_out_is_refused_to_a_writer_not_credited(client_for, editor, other_writer):
    """Someone who may not post to the live page cannot make an article of its update."""
    update = stream.post(make_live_article(), editor, body="Mine to break out.", key_event=True)
    assert client_for(other_writer).post(desk_url("break_out", update.pk)).status_code == 403
    assert Article.objects.count() == 1


def test_the_desk_lists_live_pages_in_progress_and_warns_of_a_quiet_one(client_for, editor):
    """A page with no update for the quiet time is flagged; a busy one and an ended one are not."""
    quiet = make_live_article(title="Storm watch", live_from=timezone.now() - timedelta(hours=2))
    stream.post(quiet, editor, body="Wind rising.", posted_at=timezone.now() - timedelta(minutes=40))
    busy = make_live_article(title="Match day")
    stream.post(busy, editor, body="Kick-off.")
    make_live_article(title="Old trial", live_until=timezone.now() - timedelta(minutes=1))
    page = live_desk(client_for(editor).get(reverse("admin:index")))
    assert "Live pages in progress" in page and "Storm watch" in page and "Match day" in page
    assert "Old trial" not in page
    assert page.count("Quiet for") == 1 and "Quiet for 40 minutes" in page
    assert page.count('class="live-post"') == 2
    with override_settings(NEWSROOM_LIVE_QUIET_MINUTES=60):
        assert "Quiet for" not in live_desk(client_for(editor).get(reverse("admin:index")))


def test_the_desk_counts_updates_waiting_for_approval(client_for, editor, writer, other_writer):
    """Pending writers' updates are counted for the editor; a writer sees only pages they may post to."""
    mine = make_live_article(title="Count night", authors=[writer.author], live_moderated=True)
    stream.post(mine, writer, body="Pending one.")
    stream.post(mine, writer, body="Pending two.")
    make_live_article(title="Not hers")
    assert "2 awaiting approval" in client_for(editor).get(reverse("admin:index")).content.decode()
    page = live_desk(client_for(writer).get(reverse("admin:index")))
    assert "Count night" in page and "Not hers" not in page
    assert "Live pages in progress" not in client_for(other_writer).get(reverse("admin:index")).content.decode()


def test_the_admin_of_updates_shows_writers_only_their_pages(client_for, editor, writer):
    """The moderation queue lists updates of pages the writer may post to, filtered by state."""
    mine = make_live_article(authors=[writer.author], live_moderated=True)
    stream.post(mine, writer, body="Waiting-marker-3K")
    stream.post(make_live_article(), editor, body="Elsewhere-marker-8P")
    changelist = reverse("admin:live_update_changelist")
    listed = client_for(writer).get(changelist).content.decode()
    assert "Waiting-marker-3K" in listed and "Elsewhere-marker-8P" not in listed
    queue = client_for(editor).get(changelist, {"status__exact": "pending"}).content.decode()
    assert "Waiting-marker-3K" in queue and "Elsewhere-marker-8P" not in queue


def test_the_full_form_writes_through_the_stream(client_for, editor):
    """Adding and changing through the admin's form numbers, versions and revises the update; a stale form is
    refused; deleting takes it off the stream and keeps it."""
    live = make_live_article()
    client = client_for(editor)
    now = timezone.localtime()
    added = client.post(reverse("admin:live_update_add"), {
        "article": live.pk, "headline": "", "body": "From the full form.",
        "posted_at": now.strftime("%Y-%m-%dT%H:%M:%S"),
    })  # fmt: skip
    assert added.status_code == 302
    update = Update.objects.get()
    assert (update.seq, update.version, update.revisions.count()) == (1, 1, 1) and update.created_by == editor
    change = reverse("admin:live_update_change", args=[update.pk])
    data = {"headline": "Now with a headline", "body": "From the full form.",
    "posted_at": now.strftime("%Y-%m-%dT%H:%M:%S"), "correction": "", "opened_version": 1}  # fmt: skip
    assert client.post(change, data).status_code == 302
    update = Update.objects.get()
    assert (update.headline, update.version, update.seq, update.revisions.count()) == ("Now with a headline", 2, 2, 2)
    stale = client.post(change, {**data, "headline": "Overwriting?"})
    assert stale.status_code == 200 and "changed by someone else" in stale.content.decode()
    assert client.post(reverse("admin:live_update_delete", args=[update.pk]), {"post": "yes"}).status_code == 302
    update = Update.objects.get()
    assert update.deleted_at is not None and update.revisions.count() == 3 and not Update.objects.shown().exists()
