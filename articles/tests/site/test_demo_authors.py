"""The demo's reporters: ``demo_site`` gives them a role, subjects, a biography and a public address, as their
author pages and the bylines' JSON-LD show them, and leaves alone what an editor has set."""

import io

import pytest
from django.core.management import call_command

from articles.tests.factories import make_article, make_author
from tests.structured_data import extract, page_problems

pytestmark = pytest.mark.django_db


def test_the_demo_reporters_have_a_role_subjects_and_a_biography(settings, client):
    """A demo reporter's page shows the role and the bio, and its Person names the role and what they know."""
    weber = make_author("Jonas Weber")
    make_article(title="Council vote-D1", authors=[weber])
    settings.DEBUG = True
    call_command("demo_site", stdout=io.StringIO())
    weber.refresh_from_db()
    assert (weber.job_title, weber.public_email) == ("Politics editor", "jonas.weber@example.org")
    page = client.get(weber.get_absolute_url()).content.decode()
    assert "Politics editor" in page and "council chamber for nine years" in page
    assert page_problems(page) == []
    (profile,) = extract(page)
    assert profile["mainEntity"]["jobTitle"] == "Politics editor"
    assert profile["mainEntity"]["knowsAbout"] == ["City council", "Regional parliament", "Public budgets"]


def test_a_reporter_an_editor_has_described_is_left_as_it_is(settings):
    """Running the demo after an editor gave a reporter a role changes nothing of theirs."""
    silva = make_author("Marta Silva", job_title="Port correspondent")
    settings.DEBUG = True
    call_command("demo_site", stdout=io.StringIO())
    silva.refresh_from_db()
    assert (silva.job_title, silva.expertise, silva.bio, silva.public_email) == ("Port correspondent", "", "", "")
