import io

import pytest
from django.core.management import CommandError, call_command

from about.models import NewsroomPage, Role

pytestmark = pytest.mark.django_db
ROLES = [Role.ABOUT, Role.MASTHEAD, Role.ETHICS, Role.CORRECTIONS, Role.CONTACT, Role.ACCESSIBILITY]


def run():
    out = io.StringIO()
    call_command("demo_about", stdout=out)
    return out.getvalue()


def test_the_demo_has_the_newsrooms_pages_published_in_the_footer(settings, client):
    """Six pages, one per role, published, in the footer in order, each with a text readers can open."""
    settings.DEBUG = True
    assert "Newsroom pages added" in run()
    pages = list(NewsroomPage.objects.all())
    assert [page.role for page in pages] == ROLES
    assert all(page.published and page.in_footer and page.summary and "<h2" in page.body_html for page in pages)
    for page in pages:
        assert client.get(page.get_absolute_url()).status_code == 200, page.slug


def test_running_it_again_changes_nothing_and_keeps_an_editors_edit(settings):
    """A second run adds nothing and leaves each page (and an editor's edit of one) as it was."""
    settings.DEBUG = True
    run()
    ethics = NewsroomPage.objects.get(role=Role.ETHICS)
    ethics.body = "The editor's own text-E1"
    ethics.save()
    NewsroomPage.objects.get(role=Role.MASTHEAD).delete()
    NewsroomPage.objects.create(title="Our people", slug="masthead", role=Role.OTHER)
    before = {page.pk: (page.version, page.modified_at) for page in NewsroomPage.objects.all()}
    assert "Newsroom pages added: Masthead." in run()  # only the missing role, at a free address
    assert NewsroomPage.objects.get(role=Role.MASTHEAD).slug == "masthead-2"
    after = {page.pk: (page.version, page.modified_at) for page in NewsroomPage.objects.exclude(role=Role.MASTHEAD)}
    assert after == before
    assert "nothing changed" in run()
    assert NewsroomPage.objects.get(role=Role.ETHICS).body == "The editor's own text-E1"


def test_it_refuses_to_run_outside_development(settings):
    """With DEBUG off the command refuses to run, naming DJANGO_DEBUG."""
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG"):
        run()
