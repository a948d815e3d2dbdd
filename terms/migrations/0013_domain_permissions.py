"""Give the "Glossary editors" group the domain permissions: editors add, rename and
delete the domains concepts are grouped by."""

from django.db import migrations

from terms.migrations import _editor_permissions

DOMAIN_PERMISSIONS = ["add_domain", "change_domain", "delete_domain", "view_domain"]


def grant_domain_permissions(apps, schema_editor):
    _editor_permissions.grant(apps, DOMAIN_PERMISSIONS)


def revoke_domain_permissions(apps, schema_editor):
    _editor_permissions.revoke(apps, DOMAIN_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("terms", "0012_terminology_depth"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant_domain_permissions, revoke_domain_permissions)]
