"""Editors manage the content API's keys; Writers see nothing of them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

WANTED = {"Editor": [f"{verb}_apikey" for verb in ("add", "change", "delete", "view")]}


def roles(apps, schema_editor):
    app_config = apps.get_app_config("api")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in WANTED.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="api", codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [("api", "0001_apikey"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(roles, migrations.RunPython.noop)]
