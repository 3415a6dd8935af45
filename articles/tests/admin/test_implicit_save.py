"""Enter in a one-line field of the article form presses the form's first submit button: a plain Save (a
button without a name), before any step's Confirm, so a browser without the step's script cannot publish or
withdraw by Enter either."""

import re

from articles.tests.factories import change_url, draft_by, form_data, refresh
from articles.workflow import transitions


def first_submit(page):
    form = page[page.index('id="article_form"') :]
    return re.search(r"<(?:button|input)[^>]*type=\"submit\"[^>]*>", form).group(0)


def test_the_first_submit_button_saves_even_with_the_publish_step_shown(client_for, writer, editor):
    story = transitions.apply(draft_by(writer, title="Survey figures"), "submit", writer)
    client = client_for(editor)
    assert 'class="implicit-save"' in first_submit(client.get(change_url(story)).content.decode())
    stepped = client.post(change_url(story), form_data(refresh(story), _transition="publish")).content.decode()
    assert 'id="action-step"' in stepped and "Confirm" in stepped  # the step is shown, nothing saved yet
    assert 'class="implicit-save"' in first_submit(stepped) and "name=" not in first_submit(stepped)
    assert refresh(story).status == story.status
    # What it sends, no button's name: a plain save, which keeps the editor on the story.
    saved = client.post(change_url(story), form_data(refresh(story), title="Survey figures again"))
    assert saved.status_code == 302 and saved["Location"] == change_url(story)
    assert refresh(story).title == "Survey figures again" and refresh(story).status == story.status
