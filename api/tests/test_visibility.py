"""Anonymous callers see exactly what readers see: no article in a state readers cannot see, nor anything seen
only through one, reaches them through any endpoint; a key with the drafts scope sees them all."""

import json

import pytest

from api.tests.calls import call
from api.tests.factories import HIDDEN_STATES, make_hidden_stories, make_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def stories():
    """A published story, and one of every hidden state."""
    return make_story("published"), make_hidden_stories()


def addresses(article):
    """Every address that could show ``article`` or what is seen only through it."""
    section, author, tag = article.section.slug, article.bylines.get().author.slug, article.tags.get().slug
    lead, inline = article.lead_image_id, article.figures.get().image_id
    return {
        "/articles": {}, f"/articles/{article.pk}": {}, f"/articles/{article.pk}/updates": {},
        "/sections": {"limit": 100}, f"/sections/{section}": {}, "/tags": {"limit": 100}, f"/tags/{tag}": {},
        "/authors": {"limit": 100}, f"/authors/{author}": {}, "/pictures": {"limit": 100}, f"/pictures/{lead}": {},
        f"/pictures/{inline}": {}, "/corrections": {"limit": 100},
        f"/articles?section={section}": {}, f"/articles?tag={tag}": {}, f"/articles?author={author}": {},
        f"/articles?q=Headline+{article.slug.split('-', 1)[1]}": {},
    }  # fmt: skip


def shows(client, path, params, article):
    """Whether the answer at ``path`` shows ``article`` or one of its own things."""
    response = client.get(f"/api/v1{path}", params)
    assert response.status_code in (200, 404, 410), (path, response.content)
    if response.status_code in (404, 410):
        return False
    found = json.loads(response.content)
    marker = article.slug.split("-", 1)[1]
    text = json.dumps(found)
    picture_ids = {article.lead_image_id, article.figures.get().image_id}
    rows = found.get("data", [found])
    return (f"headline-{marker}" in text or f"section-{marker}" in text or f"author-{marker}" in text
            or f"tag-{marker}" in text or f"of {marker}." in text
            or any(row.get("id") in picture_ids for row in rows if "renditions" in row))  # fmt: skip


def test_anonymous_callers_see_published_stories_and_nothing_of_hidden_ones(client, stories):
    """Every endpoint shows the published story and nothing of a draft, an article in review, a scheduled, an
    embargoed, an expired or a withdrawn one."""
    published, hidden = stories
    for path, params in addresses(published).items():
        assert shows(client, path, params, published), path
    for state in HIDDEN_STATES:
        for path, params in addresses(hidden[state]).items():
            assert not shows(client, path, params, hidden[state]), (state, path)


def test_a_key_with_the_drafts_scope_sees_every_state(client, stories, drafts_caller):
    """A drafts key reads every hidden story through every endpoint."""
    _, hidden = stories
    for state in HIDDEN_STATES:
        for path, params in addresses(hidden[state]).items():
            assert shows(client, path, params, hidden[state]), (state, path)


def test_a_picture_whose_rights_ran_out_is_not_listed(client):
    """A published article's lead picture past its rights' end is no longer one readers can see."""
    import datetime as dt

    article = make_story("rights")
    article.lead_image.rights_expire_on = dt.date(2000, 1, 1)
    article.lead_image.save()
    assert call(client, f"/pictures/{article.lead_image_id}").status_code == 404
    assert article.lead_image_id not in [row["id"] for row in json.loads(call(client, "/pictures").content)["data"]]


def test_a_withdrawn_article_is_gone_with_its_public_note(client):
    """As its page does, a withdrawn article's address answers 410 with the note readers are shown, and nothing
    else of it."""
    article = make_story("gone", status="withdrawn", withdrawal_note="Taken down at the source's request.")
    response = call(client, f"/articles/{article.pk}")
    assert response.status_code == 410
    found = json.loads(response.content)
    assert found["detail"] == f"Article {article.pk} was withdrawn. Taken down at the source's request."
    assert "Headline gone" not in response.content.decode()
