"""The API's authors carry what their pages show: role, expertise, profiles and public e-mail."""

import pytest

from api.tests.calls import body, call
from articles.tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db


def test_an_author_in_the_api_has_role_expertise_profiles_and_public_email(client):
    """The author's own address and the list both carry the new fields."""
    author = make_author(
        "Rosa Marin",
        job_title="Health reporter",
        expertise="Public health\n\nHospitals\n",
        public_email="rosa@newsroom.example",
        profiles="https://social.example/@rosa\nhttps://code.example/rosa",
    )
    make_article(title="Ward reopens", authors=[author])
    found = body(call(client, f"/authors/{author.slug}"))
    assert found["job_title"] == "Health reporter"
    assert found["expertise"] == ["Public health", "Hospitals"]
    assert found["profiles"] == ["https://social.example/@rosa", "https://code.example/rosa"]
    assert found["public_email"] == "rosa@newsroom.example"
    listed = body(call(client, "/authors"))["data"]
    assert [row["job_title"] for row in listed if row["slug"] == author.slug] == ["Health reporter"]
