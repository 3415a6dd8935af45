"""A hurried editor presses twice: the second press of the publish step's Confirm finds the story already out,
saves nothing, and the form it brings back offers the actions of the story as it is stored, not as it was."""

import re

import pytest
from django.contrib.messages import get_messages

from articles.models import Article, ArticleTransition
from articles.tests.factories import change_url, draft_by, form_data, refresh

pytestmark = pytest.mark.django_db


def bar(page):
    return page[page.index('id="action-bar"') : page.index("</details>", page.index('id="action-bar"'))]


def test_a_second_confirm_publishes_nothing_more_and_shows_the_story_as_published(writer, editor, client_for):
    article = draft_by(writer)
    opened = refresh(article)
    client = client_for(editor)
    asked = client.post(change_url(article), form_data(opened, _transition="publish")).content.decode()
    confirm = re.search(r'name="_confirm" value="([\w:]+)"', asked).group(1)
    first = client.post(change_url(article), form_data(opened, _confirm=confirm))
    assert first.status_code == 302 and refresh(article).status == Article.Status.PUBLISHED
    second = client.post(change_url(article), form_data(opened, _confirm=confirm))
    page = second.content.decode()
    assert second.status_code == 200 and "Nothing was saved" in page
    assert ArticleTransition.objects.filter(article=article).count() == 1
    # The first press's message is still to be read, and the bar says what is true now.
    assert "Published: readers see it now." in [str(message) for message in get_messages(second.wsgi_request)]
    shown = bar(page)
    assert 'class="state-badge state-published"' in shown
    assert re.findall(r'name="_transition" value="(\w+)"', shown) == ["withdraw"]
