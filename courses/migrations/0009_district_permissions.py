from django.contrib.auth.management import create_permissions
from django.db import migrations

# Coordinators keep the districts of their site in the admin (scoping: lms.access).
PERMISSIONS = ("view_district", "add_district", "change_district", "delete_district")


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name="coordinador")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="courses", codename__in=PERMISSIONS)
    )


class Migration(migrations.Migration):
    dependencies = [("courses", "0008_cascade"), ("lms", "0005_role_permissions")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
