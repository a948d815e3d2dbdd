"""Create the "Glossary editors" group with what editing and import/export need."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Glossary editors"
EDITOR_PERMISSIONS = [
    ("terms", "add_concept"),
    ("terms", "change_concept"),
    ("terms", "delete_concept"),
    ("terms", "view_concept"),
    ("terms", "add_concepttext"),
    ("terms", "change_concepttext"),
    ("terms", "delete_concepttext"),
    ("terms", "view_concepttext"),
]


def create_editors_group(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they
    # exist now so that the group gets them on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP_NAME)
    for app_label, codename in EDITOR_PERMISSIONS:
        permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
        group.permissions.add(permission)


def delete_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("terms", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editors_group, delete_editors_group)]
