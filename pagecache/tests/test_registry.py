from pathlib import Path

import pytest

from articles.models import Author
from articles.tests.factories import make_author
from pagecache import generation, registry


def test_the_release_is_read_from_the_apps_of_the_project_and_no_installed_package(settings):
    """The release digest covers every installed app that lives in the project, its templates and static files,
    and none of the virtualenv's packages."""
    base = Path(settings.BASE_DIR).resolve()
    folders = [folder.relative_to(base).as_posix() for folder, _ in generation.release_folders(base)]
    assert folders == [
        "about",
        "api",
        "articles",
        "edge",
        "interchange",
        "live",
        "newsletters",
        "newsroom",
        "pagecache",
        "static",
        "templates",
        "webhooks",
        "websub",
    ]


def test_an_app_added_to_the_settings_is_part_of_the_release_with_no_edit(settings):
    """A new app of the project (here a package installed as one for the test) is in the digest once installed."""
    base = Path(settings.BASE_DIR).resolve()
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "articles.tests.site"]
    folders = [folder.relative_to(base).as_posix() for folder, _ in generation.release_folders(base)]
    assert "articles/tests/site" in folders


@pytest.mark.django_db
def test_writes_inside_retiring_once_retire_the_pages_once_when_it_ends():
    """Bulk writes inside ``retiring_once`` keep the page generation until the block ends, then retire it."""
    author = make_author("Ann Byline")
    before = generation.generation()
    with registry.retiring_once():
        for n in range(3):
            assert Author.objects.filter(pk=author.pk).update(name=f"Ann {n}") == 1
        assert generation.generation() == before
    assert generation.generation() != before


@pytest.mark.django_db
def test_a_write_outside_retiring_once_retires_the_pages_at_once():
    """Without ``retiring_once`` each bulk write retires the cached pages itself."""
    author = make_author("Ann Byline")
    before = generation.generation()
    Author.objects.filter(pk=author.pk).update(name="Ann Renamed")
    assert generation.generation() != before
