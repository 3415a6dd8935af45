"""Migrations 0012–0014 move every lead image and author photo into the media library: the same stored files, the
same renditions, the article's alt text, caption and credit; and back again when unapplied."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from PIL import Image as PillowImage

from articles.media import renditions

BEFORE = [("articles", "0011_section_index")]
AFTER = [("articles", "0014_library_fields")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def jpeg(size, colour):
    buffer = io.BytesIO()
    PillowImage.new("RGB", size, colour).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.mark.django_db(transaction=True)
def test_old_lead_images_and_author_photos_survive_with_their_renditions():
    apps = migrate(BEFORE)
    Article, Author = apps.get_model("articles", "Article"), apps.get_model("articles", "Author")
    # A lead image as the release before stored it: the cleaned file and its renditions, made by the same pipeline.
    cleaned, picture = renditions.clean_upload(ContentFile(jpeg((2000, 1000), "navy"), name="old.jpg"))
    lead_name = default_storage.save("articles/2025/01/oldlead.jpg", cleaned)
    made = renditions.build_renditions(lead_name, picture)
    photo_name = default_storage.save("authors/2025/01/oldface.jpg", ContentFile(jpeg((400, 400), "olive")))
    author = Author.objects.create(name="Old Hand", slug="old-hand", photo=photo_name)
    article = Article.objects.create(
        title="Old story", slug="old-story", lead_image=lead_name, lead_image_renditions=made,
        lead_image_alt="A navy sky", lead_image_caption="Dusk", lead_image_credit="Staff",
    )  # fmt: skip
    files = [lead_name, *renditions.rendition_files(made), photo_name]

    apps = migrate(AFTER)
    Article, Author = apps.get_model("articles", "Article"), apps.get_model("articles", "Author")
    Image = apps.get_model("articles", "Image")
    lead = Article.objects.get(pk=article.pk).lead_image
    assert lead.file.name == lead_name and lead.renditions == made
    assert (lead.alt, lead.caption, lead.credit, lead.width, lead.height) == ("A navy sky", "Dusk", "Staff", 2000, 1000)
    assert len(lead.sha256) == 64
    photo = Author.objects.get(pk=author.pk).photo
    assert photo.file.name == photo_name and (photo.width, photo.height) == (400, 400) and photo.alt == "Old Hand"
    assert Image.objects.count() == 2
    assert all(default_storage.exists(name) for name in files)
    Group = apps.get_model("auth", "Group")
    assert Group.objects.get(name="Writer").permissions.filter(codename="add_image").exists()
    assert not Group.objects.get(name="Writer").permissions.filter(codename="delete_image").exists()
    assert Group.objects.get(name="Editor").permissions.filter(codename="delete_image").exists()

    apps = migrate(BEFORE)  # and back: the old fields point at the same files again
    Article, Author = apps.get_model("articles", "Article"), apps.get_model("articles", "Author")
    again = Article.objects.get(pk=article.pk)
    assert again.lead_image.name == lead_name and again.lead_image_renditions == made
    assert Author.objects.get(pk=author.pk).photo.name == photo_name
    assert all(default_storage.exists(name) for name in files)
    migrate(executor_targets_latest())


def executor_targets_latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()
