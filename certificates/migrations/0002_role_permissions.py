from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "coordinador": ["view_certificate", "add_certificate", "change_certificate"],
    "facilitador": ["view_certificate"],
    "acreditador": ["view_certificate"],
}


def grant_permissions(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="certificates", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [("certificates", "0001_initial"), ("lms", "0005_role_permissions")]

    operations = [migrations.RunPython(grant_permissions, migrations.RunPython.noop)]
