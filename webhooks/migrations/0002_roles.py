"""Editors run the webhooks: the endpoints, and the delivery log they read and resend from."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

WANTED = {
    "Editor": [f"{verb}_endpoint" for verb in ("add", "change", "delete", "view")]
    + ["view_delivery", "change_delivery", "view_attempt"],
}


def roles(apps, schema_editor):
    app_config = apps.get_app_config("webhooks")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in WANTED.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="webhooks", codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [("webhooks", "0001_initial")]

    operations = [migrations.RunPython(roles, migrations.RunPython.noop)]
