from django.db import migrations, models


def number_rosters(apps, schema_editor):
    """Existing enrollments get roster numbers in the order they joined their cohort."""
    Enrollment = apps.get_model("courses", "Enrollment")
    numbers: dict[int, int] = {}
    changed = []
    for enrollment in Enrollment.objects.order_by("cohort_id", "pk"):
        numbers[enrollment.cohort_id] = numbers.get(enrollment.cohort_id, 0) + 1
        enrollment.roster_number = numbers[enrollment.cohort_id]
        changed.append(enrollment)
    Enrollment.objects.bulk_update(changed, ["roster_number"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ('courses', '0004_completion_rules'),
    ]

    operations = [
        migrations.AddField(
            model_name='enrollment',
            name='roster_number',
            field=models.PositiveSmallIntegerField(editable=False, null=True, verbose_name='roster number'),
        ),
        migrations.RunPython(number_rosters, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='enrollment',
            constraint=models.UniqueConstraint(fields=('cohort', 'roster_number'), name='unique_roster_number_per_cohort'),
        ),
    ]
