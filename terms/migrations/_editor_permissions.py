"""Granting the "Glossary editors" group a model's permissions from a data migration, shared
by the migrations that add editable models. The leading underscore keeps Django's migration
loader from taking this module for a migration."""

from django.contrib.auth.management import create_permissions

GROUP_NAME = "Glossary editors"


def grant(apps, codenames):
    # Permissions are normally created after all migrations; make sure these exist now, on
    # a fresh database as on one migrated before their model.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    group, _created = Group.objects.get_or_create(name=GROUP_NAME)
    group.permissions.add(*_permissions(apps, codenames))


def revoke(apps, codenames):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name=GROUP_NAME):
        group.permissions.remove(*_permissions(apps, codenames))


def _permissions(apps, codenames):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(content_type__app_label="terms", codename__in=codenames)
