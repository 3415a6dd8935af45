"""Editors write the newsroom's pages; writers may read them in the admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

WANTED = {
    "Writer": ["view_newsroompage"],
    "Editor": ["add_newsroompage", "change_newsroompage", "view_newsroompage", "delete_newsroompage"],
}


def roles(apps, schema_editor):
    app_config = apps.get_app_config("about")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in WANTED.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="about", codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [("about", "0001_initial"), ("articles", "0003_roles")]

    operations = [migrations.RunPython(roles, migrations.RunPython.noop)]
