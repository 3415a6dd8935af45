"""Editors run the newsletters: the lists, their subscribers and the issues. Writers see the lists and issues
(they can propose nothing that is sent)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ["newsletter", "subscriber", "subscription", "edition", "editionarticle", "delivery"]
WANTED = {
    "Editor": [f"{verb}_{model}" for model in MODELS for verb in ("add", "change", "delete", "view")],
    "Writer": ["view_newsletter", "view_edition"],
}


def roles(apps, schema_editor):
    app_config = apps.get_app_config("newsletters")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in WANTED.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="newsletters", codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [("newsletters", "0001_initial")]

    operations = [migrations.RunPython(roles, migrations.RunPython.noop)]
