"""The site settings row, from the environment's settings, and what Writers and Editors may do with sections,
the front page and the site settings."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

WRITER = [("articles", "view_section")]
EDITOR = WRITER + [
    ("articles", "add_section"),
    ("articles", "change_section"),
    ("articles", "delete_section"),
    ("articles", "view_sectionalias"),
    ("articles", "delete_sectionalias"),
    ("articles", "add_pin"),
    ("articles", "change_pin"),
    ("articles", "delete_pin"),
    ("articles", "view_pin"),
    ("articles", "add_banner"),
    ("articles", "change_banner"),
    ("articles", "delete_banner"),
    ("articles", "view_banner"),
    ("articles", "change_sitesettings"),
    ("articles", "view_sitesettings"),
]


def forwards(apps, schema_editor):
    from articles.models.site import default_values

    apps.get_model("articles", "SiteSettings").objects.get_or_create(pk=1, defaults=default_values())
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in (("Writer", WRITER), ("Editor", EDITOR)):
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        for app_label, codename in codes:
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def backwards(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=["Writer", "Editor"]):
        for app_label, codename in EDITOR:
            group.permissions.remove(*Permission.objects.filter(content_type__app_label=app_label, codename=codename))


class Migration(migrations.Migration):
    dependencies = [("articles", "0009_sections_frontpage_site")]

    operations = [migrations.RunPython(forwards, backwards)]
