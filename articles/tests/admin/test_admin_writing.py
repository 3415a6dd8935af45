"""The article form's layout: the writing first, then its kind of work, the rest in groups that start closed, each
field shown once."""

import pytest
from django.urls import reverse

from articles.tests.factories import draft_by
from articles.workflow import transitions

pytestmark = pytest.mark.django_db

GROUPS = ["Publishing", "Pictures", "Tags", "Address"]
EVERY_FIELD = {
    "title", "dek", "body", "reading", "state_badge", "checklist", "section", "published_at", "expires_at",
    "embargo_until", "assignee", "transition_comment", "version", "lead_image", "lead_image_upload",
    "lead_image_url", "lead_image_alt", "lead_image_caption", "lead_image_credit", "tags", "slug", "kind", "sponsor",
}  # fmt: skip
LIVE_FIELDS = {"live_from", "live_until", "live_oldest_first", "live_moderated"}  # editors', or on a live page


def flat(field):
    return field if isinstance(field, tuple) else (field,)


def layout(response):
    fieldsets = [(fieldset.name, fieldset.classes, list(fieldset.fields)) for fieldset in response.context["adminform"]]
    inlines = [(inline.opts.after, inline.classes) for inline in response.context["inline_admin_formsets"]]
    return fieldsets, inlines


@pytest.mark.parametrize("role", ["writer", "editor"])
def test_the_writing_comes_first_and_every_field_is_in_one_group(client_for, writer, editor, role):
    user = {"writer": writer, "editor": editor}[role]
    article = draft_by(writer, title="Quay vote")
    response = client_for(user).get(reverse("admin:articles_article_change", args=[article.pk]))
    fieldsets, inlines = layout(response)
    name, classes, fields = fieldsets[0]
    assert name is None and "collapse" not in classes and fields[:3] == ["title", "dek", "body"]
    assert fieldsets[1] == ("Kind of work", "kind-of-work", [("kind", "sponsor")])
    assert [name for name, _, _ in fieldsets[2:]] == GROUPS + (["Live coverage"] if role == "editor" else [])
    assert all("collapse" in classes for _, classes, _ in fieldsets[2:])
    shown = [name for _, _, fields in fieldsets for field in fields for name in flat(field)]
    if role == "editor":
        expected = EVERY_FIELD | LIVE_FIELDS | {"substantive_update", "withdrawal_note"}
    else:  # a writer is not shown the publisher's fields while they are empty
        expected = EVERY_FIELD - {"published_at", "expires_at", "embargo_until", "assignee"}
    assert len(shown) == len(set(shown)) and set(shown) == expected
    assert all(classes == "collapse" for _, classes in inlines)
    expected = {
        "writer": ["Pictures", ""],
        "editor": ["Pictures", "Address", "Address", "", ""],
    }
    assert [group for group, _ in inlines] == expected[role]
    content = response.content.decode()
    assert content.index('id="id_body"') < content.index("<details>") < content.index('id="bylines-group"')
    assert content.index('id="bylines-group"') < content.index('name="tags"') < content.index('name="slug"')
    if role == "editor":
        assert content.index('name="slug"') < content.index('id="share_links-group"') < content.index("Workflow log")


def test_a_group_holding_an_error_is_shown_open(client_for, editor, writer):
    """Django's admin shows a group open when a field in it has an error: the slug's group here."""
    article = draft_by(writer, title="Quay vote")
    client = client_for(editor)
    url = reverse("admin:articles_article_change", args=[article.pk])
    page = client.get(url).context
    form = page["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields if name != "lead_image_upload"}
    for inline in page["inline_admin_formsets"]:  # the rows as the page shows them
        data.update({f"{inline.formset.prefix}-{k}": v for k, v in inline.formset.management_form.initial.items()})
        for n, row in enumerate(inline.formset.forms):
            data.update({f"{inline.formset.prefix}-{n}-{k}": v or "" for k, v in row.initial.items()})
    data.update(slug="not a slug", tags="", _continue="1")
    response = client.post(url, data)
    assert response.status_code == 200
    groups = {fieldset.name: fieldset.is_collapsible for fieldset in response.context["adminform"]}
    assert groups["Address"] is False and groups["Publishing"] is True


def test_a_writer_reads_their_story_in_review_with_no_headline_field(client_for, writer):
    """Once submitted, the writer's story opens read-only: the form, with no headline field to count, still opens."""
    article = draft_by(writer, title="Quay vote")
    transitions.apply(article, "submit", writer)
    response = client_for(writer).get(reverse("admin:articles_article_change", args=[article.pk]))
    assert response.status_code == 200
    assert "title" not in response.context["adminform"].form.fields
    assert "Quay vote" in response.content.decode()
