"""The old file fields go: lead images and author photos are library pictures now (0013 moved them)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("articles", "0013_move_pictures_into_library")]

    operations = [
        migrations.RemoveField(model_name="article", name="lead_image"),
        migrations.RemoveField(model_name="article", name="lead_image_renditions"),
        migrations.RemoveField(model_name="historicalarticle", name="lead_image"),
        migrations.RemoveField(model_name="author", name="photo"),
        migrations.RenameField(model_name="article", old_name="lead_picture", new_name="lead_image"),
        migrations.RenameField(model_name="historicalarticle", old_name="lead_picture", new_name="lead_image"),
        migrations.RenameField(model_name="author", old_name="photo_image", new_name="photo"),
        migrations.AlterField(
            model_name="article",
            name="lead_image",
            field=models.ForeignKey(
                blank=True,
                help_text="A picture from the media library (or upload a new one below).",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="lead_of",
                to="articles.image",
            ),
        ),
        migrations.AlterField(
            model_name="historicalarticle",
            name="lead_image",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text="A picture from the media library (or upload a new one below).",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="articles.image",
            ),
        ),
        migrations.AlterField(
            model_name="author",
            name="photo",
            field=models.ForeignKey(
                blank=True,
                help_text="A picture from the media library, shown cropped square around its focal point.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="photo_of",
                to="articles.image",
            ),
        ),
    ]
