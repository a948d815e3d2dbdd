"""Give the "Glossary editors" group the domain permissions: editors add, rename and
delete the domains concepts are grouped by."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Glossary editors"
DOMAIN_PERMISSIONS = ["add_domain", "change_domain", "delete_domain", "view_domain"]


def grant_domain_permissions(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure the domain's
    # exist now, on a fresh database as on one migrated before domains.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP_NAME)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="terms", codename__in=DOMAIN_PERMISSIONS
        )
    )


def revoke_domain_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=GROUP_NAME):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="terms", codename__in=DOMAIN_PERMISSIONS
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("terms", "0012_terminology_depth"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant_domain_permissions, revoke_domain_permissions)]
