"""Every lead image and author photo becomes a picture in the media library: the same stored file and the
same renditions (nothing is re-encoded or copied), with the article's alt text, caption and credit."""

import hashlib
from pathlib import PurePosixPath

from django.contrib.auth.management import create_permissions
from django.core.files.storage import default_storage
from django.db import migrations


def _digest(name):
    """The stored file's SHA-256, or "" when it cannot be read (a missing file keeps its row all the same)."""
    digest = hashlib.sha256()
    try:
        with default_storage.open(name, "rb") as handle:
            for chunk in iter(lambda: handle.read(1024 * 1024), b""):
                digest.update(chunk)
    except OSError:
        return ""
    return digest.hexdigest()


def _size(name):
    from PIL import Image as Pillow

    try:
        with default_storage.open(name, "rb") as handle, Pillow.open(handle) as picture:
            return picture.size
    except (OSError, ValueError, SyntaxError):
        return (0, 0)


def forwards(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Author = apps.get_model("articles", "Author")
    Image = apps.get_model("articles", "Image")
    for article in Article.objects.exclude(lead_image="").exclude(lead_image__isnull=True).iterator():
        name = article.lead_image.name
        renditions = article.lead_image_renditions or {}
        width, height = renditions.get("width"), renditions.get("height")
        if not width or not height:
            width, height = _size(name)
        image = Image.objects.create(
            file=name,
            width=width,
            height=height,
            renditions=renditions,
            alt=article.lead_image_alt,
            caption=article.lead_image_caption,
            credit=article.lead_image_credit,
            original_name=PurePosixPath(name).name,
            sha256=_digest(name),
            uploaded_by_id=article.created_by_id,
        )
        Image.objects.filter(pk=image.pk).update(uploaded_at=article.created_at)
        Article.objects.filter(pk=article.pk).update(lead_picture=image)
    for author in Author.objects.exclude(photo="").exclude(photo__isnull=True).iterator():
        name = author.photo.name
        width, height = _size(name)
        image = Image.objects.create(
            file=name,
            width=width,
            height=height,
            alt=author.name,
            credit="",
            original_name=PurePosixPath(name).name,
            sha256=_digest(name),
        )
        Author.objects.filter(pk=author.pk).update(photo_image=image)


def backwards(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Author = apps.get_model("articles", "Author")
    for article in Article.objects.exclude(lead_picture=None).select_related("lead_picture"):
        picture = article.lead_picture
        Article.objects.filter(pk=article.pk).update(
            lead_image=picture.file.name, lead_image_renditions=picture.renditions, lead_picture=None
        )
    for author in Author.objects.exclude(photo_image=None).select_related("photo_image"):
        Author.objects.filter(pk=author.pk).update(photo=author.photo_image.file.name, photo_image=None)


def roles(apps, schema_editor):
    """Writers upload, edit and use pictures; editors may also delete them."""
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    wanted = {
        "Writer": ["add_image", "change_image", "view_image"],
        "Editor": ["add_image", "change_image", "view_image", "delete_image"],
    }
    for group_name, codenames in wanted.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="articles", codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [("articles", "0012_media_library")]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.RunPython(roles, migrations.RunPython.noop),
    ]
