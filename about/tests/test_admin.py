"""The newsroom's pages in the admin: editors write, restore and save them safely; writers only look."""

import pytest
from django.test import override_settings
from django.urls import reverse

from about.admin import NewsroomPageForm
from about.models import NewsroomPage, Role
from about.tests.factories import form_data, make_page

pytestmark = pytest.mark.django_db


def change_url(page):
    return reverse("admin:about_newsroompage_change", args=[page.pk])


def test_an_editor_adds_a_page_in_markdown(client_for, editor):
    """The add form takes Markdown and a blank slug; the page is saved with its HTML and an address from its title."""
    client = client_for(editor)
    form = client.get(reverse("admin:about_newsroompage_add")).content.decode()
    assert 'class="markdown writing-body"' in form and "Markdown: ## for a heading" in form
    data = {"title": "Ethics policy", "body": "We **never** pay sources.", "role": Role.ETHICS, "slug": "",
            "summary": "How we work.", "published": "on", "in_footer": "on", "position": 2, "version": ""}  # fmt: skip
    response = client.post(reverse("admin:about_newsroompage_add"), data)
    assert response.status_code == 302
    page = NewsroomPage.objects.get(role=Role.ETHICS)
    assert page.slug == "ethics-policy" and page.body_html == "<p>We <strong>never</strong> pay sources.</p>"
    assert page.version == 1 and page.history.get().history_user == editor


def test_the_list_shows_title_role_publication_footer_and_modified(client_for, editor):
    """Editors' list of pages has a column for the title, role, publication, footer and last change."""
    make_page(title="Masthead-L7", role=Role.MASTHEAD)
    page = client_for(editor).get(reverse("admin:about_newsroompage_changelist")).content.decode()
    for column in ("column-title", "column-role", "column-published", "column-in_footer", "column-modified_at"):
        assert column in page, column
    assert "Masthead-L7" in page


def test_an_edit_is_a_new_revision_listed_with_who_and_when(client_for, editor):
    """Each save is a revision; the page's history lists them with the editor's name."""
    page = make_page(title="Contact", body="Old text-R1")
    client = client_for(editor)
    response = client.post(change_url(page), form_data(page, body="New text-R2"))
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.body == "New text-R2" and page.version == 2 and page.history.count() == 2
    history = client.get(reverse("admin:about_newsroompage_history", args=[page.pk])).content.decode()
    assert "eddie" in history and history.count("/history/") >= 2


def test_an_earlier_revision_is_restored_as_a_new_one(client_for, editor):
    """The revision's form shows its text; saving it brings the text back over the page as it is now."""
    page = make_page(title="Contact", body="First text-R3")
    first = page.history.get()
    page.body = "Second text-R4"
    page.save()
    client = client_for(editor)
    url = reverse("admin:about_newsroompage_simple_history", args=[page.pk, first.history_id])
    form = client.get(url).context["adminform"].form
    assert form["body"].value() == "First text-R3"
    shown = {name: form[name].value() for name in form.fields}
    ticked = {name: "on" for name, value in shown.items() if value is True}
    data = {name: value for name, value in shown.items() if value is not None and not isinstance(value, bool)} | ticked
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    page.refresh_from_db()
    assert page.body == "First text-R3" and page.body_html == "<p>First text-R3</p>" and page.version == 3
    assert page.history.first().history_change_reason == f"Restored revision #{first.history_id}"


def test_a_save_from_an_out_of_date_page_is_refused_and_keeps_the_typed_text(client_for, editor):
    """Someone saved since the page was opened: nothing is saved, their value and the typed one are shown."""
    page = make_page(title="Masthead", body="Opened text")
    opened = form_data(page, body="My typed text-S1")
    page.body = "Their text-S2"
    page.save()
    response = client_for(editor).post(change_url(page), opened)
    assert response.status_code == 200
    body = response.content.decode()
    assert "after you opened version 1" in body and "Their text-S2" in body and "My typed text-S1" in body
    page.refresh_from_db()
    assert page.body == "Their text-S2"


def test_a_second_page_with_a_role_is_refused_naming_the_page_that_has_it(client_for, editor):
    """One page per role: a clear form error naming the holder, not a database error; "other" any number of times."""
    make_page(title="Our ethics-D1", role=Role.ETHICS)
    client = client_for(editor)
    data = {"title": "Ethics again", "body": "x", "role": Role.ETHICS, "position": 0}
    response = client.post(reverse("admin:about_newsroompage_add"), data)
    assert response.status_code == 200
    assert "“Our ethics-D1” is already the ethics policy" in response.content.decode()
    assert NewsroomPage.objects.filter(role=Role.ETHICS).count() == 1
    make_page(role=Role.OTHER)
    response = client.post(reverse("admin:about_newsroompage_add"), data | {"role": Role.OTHER})
    assert response.status_code == 302 and NewsroomPage.objects.filter(role=Role.OTHER).count() == 2


def test_a_role_taken_between_validation_and_save_is_a_form_error(client_for, editor, monkeypatch):
    """Two editors at once: the checks ran before the rival's page was saved, the unique index refuses this save,
    and the form comes back naming the rival's page instead of an error page."""
    make_page(title="Rival's masthead-D2", role=Role.MASTHEAD)
    checked = []

    def once(check):
        def skipped_the_first_time(self, *args, **kwargs):
            if check.__name__ not in checked:  # as if the rival's save committed just after this check
                checked.append(check.__name__)
                return self.cleaned_data["role"] if check.__name__ == "clean_role" else None
            return check(self, *args, **kwargs)

        return skipped_the_first_time

    monkeypatch.setattr(NewsroomPageForm, "clean_role", once(NewsroomPageForm.clean_role))
    monkeypatch.setattr(NewsroomPage, "validate_constraints", once(NewsroomPage.validate_constraints))
    data = {"title": "Masthead", "body": "x", "role": Role.MASTHEAD, "position": 0}
    response = client_for(editor).post(reverse("admin:about_newsroompage_add"), data)
    assert response.status_code == 200
    assert "“Rival&#x27;s masthead-D2” is already the masthead" in response.content.decode()
    assert NewsroomPage.objects.filter(role=Role.MASTHEAD).count() == 1


def test_a_writer_views_pages_and_their_history_but_changes_nothing(client_for, writer):
    """View permission: the list, the page and its revisions; a change, an add or a restore is refused."""
    page = make_page(title="About us-W1", body="Kept")
    first = page.history.get()
    client = client_for(writer)
    assert b"About us-W1" in client.get(reverse("admin:about_newsroompage_changelist")).content
    assert client.get(change_url(page)).status_code == 200
    assert client.get(reverse("admin:about_newsroompage_history", args=[page.pk])).status_code == 200
    restore = reverse("admin:about_newsroompage_simple_history", args=[page.pk, first.history_id])
    assert client.get(restore).status_code == 200
    assert client.post(change_url(page), form_data(page, body="Changed")).status_code == 403
    assert client.post(restore, form_data(page, body="Changed")).status_code == 403
    assert client.get(reverse("admin:about_newsroompage_add")).status_code == 403
    page.refresh_from_db()
    assert page.body == "Kept" and page.version == 1


def test_the_preview_renders_the_markdown_for_editors_only(client_for, editor, writer):
    """The live preview answers the body's HTML as readers will get it; a writer is refused."""
    url = reverse("admin:about_newsroompage_preview_markdown")
    response = client_for(editor).post(url, {"body": "## Tips\n\nCall *us*."})
    assert response.status_code == 200
    assert response.json()["html"] == '<h2 id="md-tips">Tips</h2>\n<p>Call <em>us</em>.</p>'
    assert client_for(writer).post(url, {"body": "x"}).status_code == 403


@override_settings(NEWSROOM_PREVIEW_LIMIT=2, NEWSROOM_PREVIEW_PERIOD_SECONDS=60)
def test_the_page_preview_counts_against_the_editor_preview_budget(client_for, editor, time_machine):
    """Previews of an article and of a page share one budget per user: past it, a page's preview answers 429."""
    time_machine.move_to("2026-11-30 12:00:05", tick=False)
    client = client_for(editor)
    article_preview = reverse("admin:articles_article_preview_markdown")
    assert [client.post(article_preview, {"body": "*x*"}).status_code for _ in range(2)] == [200, 200]
    refused = client.post(reverse("admin:about_newsroompage_preview_markdown"), {"body": "*x*"})
    assert refused.status_code == 429 and refused["Retry-After"] == "55"
