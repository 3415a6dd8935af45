import pytest
from django.urls import reverse

from articles.tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["article", "author"])
def test_changelist_and_add_pages_load(admin_client, model):
    """A superuser can open the list and the add form of each model."""
    make_article(authors=[make_author()], tags=["Politics"], title="Admin listed headline")
    assert admin_client.get(reverse(f"admin:articles_{model}_changelist")).status_code == 200
    assert admin_client.get(reverse(f"admin:articles_{model}_add")).status_code == 200


def test_changelist_shows_articles_and_searches_the_body(admin_client):
    """Editors find an article by a word from its body."""
    make_article(title="Harbour story", body="The ferry zyxquux returned.")
    make_article(title="Other story")
    response = admin_client.get(reverse("admin:articles_article_changelist"), {"q": "zyxquux"})
    assert b"Harbour story" in response.content
    assert b"Other story" not in response.content
