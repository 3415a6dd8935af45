"""Writers post and change updates on the live pages they are credited on; editors also delete them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

WANTED = {
    "Writer": ["add_update", "change_update", "view_update"],
    "Editor": ["add_update", "change_update", "view_update", "delete_update"],
}


def roles(apps, schema_editor):
    app_config = apps.get_app_config("live")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in WANTED.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="live", codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [("live", "0001_initial"), ("articles", "0020_live_coverage")]

    operations = [migrations.RunPython(roles, migrations.RunPython.noop)]
