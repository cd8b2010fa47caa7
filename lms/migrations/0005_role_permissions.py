from django.contrib.auth.management import create_permissions
from django.db import migrations

# Model permissions of each role; scoping (own cohorts, own site) is enforced by selectors.
ROLE_PERMISSIONS = {
    "coordinador": [
        ("wagtailadmin", "access_admin"),
        ("lms", "view_site"),
        ("lms", "view_cem"),
        ("lms", "add_cem"),
        ("lms", "change_cem"),
        ("lms", "view_participantprofile"),
        ("lms", "add_participantprofile"),
        ("lms", "change_participantprofile"),
        ("lms", "view_auditlogentry"),
        ("courses", "view_cohort"),
        ("courses", "add_cohort"),
        ("courses", "change_cohort"),
        ("courses", "view_enrollment"),
        ("courses", "add_enrollment"),
        ("courses", "change_enrollment"),
        ("courses", "view_sessiondelivery"),
        ("courses", "add_sessiondelivery"),
        ("courses", "change_sessiondelivery"),
        ("courses", "view_attendancerecord"),
        ("courses", "add_attendancerecord"),
        ("courses", "change_attendancerecord"),
    ],
    "facilitador": [
        ("courses", "view_cohort"),
        ("courses", "view_enrollment"),
        ("courses", "view_sessiondelivery"),
        ("courses", "change_sessiondelivery"),
        ("courses", "view_attendancerecord"),
        ("courses", "add_attendancerecord"),
        ("courses", "change_attendancerecord"),
    ],
    "acreditador": [
        ("lms", "view_site"),
        ("lms", "view_cem"),
        ("lms", "view_auditlogentry"),
        ("courses", "view_cohort"),
        ("courses", "view_enrollment"),
        ("courses", "view_sessiondelivery"),
        ("courses", "view_attendancerecord"),
    ],
    "activista": [],
}


def grant_permissions(apps, schema_editor):
    # Permissions are normally created after migrate; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, permissions in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for app_label, codename in permissions:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("lms", "0004_profile_audit"),
        ("courses", "0002_delivery"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(grant_permissions, migrations.RunPython.noop)]
