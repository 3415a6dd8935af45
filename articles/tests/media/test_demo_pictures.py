"""The demo's pictures state their rights as the library lets them: a licence address beside the CC0 licence, so
their JSON-LD says ``license`` (what Google needs to show a picture as licensable) and their renditions carry it."""

import io

import pytest
from django.core.management import call_command

from articles.models import Image
from tests.structured_data import extract, page_problems

pytestmark = pytest.mark.django_db
CC0 = "https://creativecommons.org/publicdomain/zero/1.0/"


@pytest.fixture
def demo(settings, tmp_path, media_root):
    settings.DEBUG, settings.VAR_DIR = True, tmp_path
    call_command("import_markdown", "demo/content", stdout=io.StringIO())
    call_command("demo_site", stdout=io.StringIO())


def test_every_demo_picture_names_its_licence_for_search_engines(demo, client):
    """Each picture (the page bundle's and those demo_site draws) has CC0's address, which a lead picture's
    ImageObject gives as its license on a page with no structured-data error."""
    pictures = list(Image.objects.all())
    assert len(pictures) >= 10 and {picture.licence_url for picture in pictures} == {CC0}
    article = next(picture.lead_of.first() for picture in pictures if picture.lead_of.exists())
    page = client.get(article.get_absolute_url()).content.decode()
    assert page_problems(page) == []
    (data,) = [block for block in extract(page) if block["@type"] != "BreadcrumbList"]
    assert data["image"][0]["license"] == CC0
