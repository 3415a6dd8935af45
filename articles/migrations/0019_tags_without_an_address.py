"""Tags saved before every tag was given an address (``taxonomy.tag_address``) may have none: a name without a
letter or digit ("!!!") left django-taggit's slug empty, and a page linking such a tag could not be drawn. Each
is given a unique address now, "tag" when nothing else will do. Nothing to undo: an empty address is no address."""

from django.db import migrations

from articles.models.base import unique_slug


def give_addresses(apps, schema_editor):
    Tag = apps.get_model("taggit", "Tag")
    length = Tag._meta.get_field("slug").max_length
    for tag in Tag.objects.filter(slug="").order_by("pk"):
        tag.slug = unique_slug(Tag, tag.name, max_length=length, fallback="tag")
        tag.save(update_fields=["slug"])


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0018_banner_story_and_pin_board_order"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(give_addresses, migrations.RunPython.noop)]
