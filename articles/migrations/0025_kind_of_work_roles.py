"""Editors keep the list of kinds of work; writers choose among them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

WANTED = {
    "Writer": ["view_kindofwork"],
    "Editor": ["add_kindofwork", "change_kindofwork", "view_kindofwork", "delete_kindofwork"],
}


def roles(apps, schema_editor):
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in WANTED.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="articles", codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [("articles", "0024_kinds_of_work")]

    operations = [migrations.RunPython(roles, migrations.RunPython.noop)]
