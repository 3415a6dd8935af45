"""The Writer and Editor groups and their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

WRITER = [
    ("articles", "add_article"),
    ("articles", "change_article"),
    ("articles", "view_article"),
    ("articles", "view_author"),
    ("articles", "add_byline"),
    ("articles", "change_byline"),
    ("articles", "delete_byline"),
    ("articles", "view_byline"),
    ("taggit", "view_tag"),
]
EDITOR = WRITER + [
    ("articles", "delete_article"),
    ("articles", "publish_article"),
    ("articles", "withdraw_article"),
    ("articles", "edit_any_article"),
    ("articles", "add_author"),
    ("articles", "change_author"),
    ("articles", "delete_author"),
    ("articles", "add_correction"),
    ("articles", "change_correction"),
    ("articles", "delete_correction"),
    ("articles", "view_correction"),
    ("articles", "add_sharelink"),
    ("articles", "change_sharelink"),
    ("articles", "view_sharelink"),
    ("articles", "add_articlealias"),
    ("articles", "change_articlealias"),
    ("articles", "delete_articlealias"),
    ("articles", "view_articlealias"),
    ("articles", "view_historicalarticle"),
    ("articles", "view_articletransition"),
    ("taggit", "add_tag"),
    ("taggit", "change_tag"),
    ("taggit", "delete_tag"),
]


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; make them now so groups can hold them.
    for label in ("articles", "taggit"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in (("Writer", WRITER), ("Editor", EDITOR)):
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in codes:
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Writer", "Editor"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_workflow"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
