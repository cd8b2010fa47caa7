import django.core.validators
import modelcluster.fields
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("courses", "0003_course_questionnaires")]

    operations = [
        migrations.RemoveField(model_name="attendancesettings", name="absent_counts"),
        migrations.RemoveField(model_name="attendancesettings", name="excused_counts"),
        migrations.RemoveField(model_name="attendancesettings", name="late_counts"),
        migrations.RemoveField(model_name="attendancesettings", name="present_counts"),
        migrations.AddField(
            model_name="coursepage",
            name="counted_statuses",
            field=models.CharField(
                default="PL",
                help_text="Letters of the statuses that count: P present, L late, E excused, A absent.",
                max_length=4,
                validators=[
                    django.core.validators.RegexValidator(
                        "^(?!.*(.).*\\1)[PLEA]{1,4}$",
                        "Use the letters P, L, E and A, each at most once.",
                    )
                ],
                verbose_name="attendance statuses that count toward completion",
            ),
        ),
        migrations.AddField(
            model_name="coursepage",
            name="require_post_questionnaire",
            field=models.BooleanField(
                default=False,
                help_text="Taking part is voluntary: an activist who declined is not held to this.",
                verbose_name="exit questionnaire submitted is required for the certificate",
            ),
        ),
        migrations.AddField(
            model_name="coursepage",
            name="require_pre_questionnaire",
            field=models.BooleanField(
                default=False,
                help_text="Taking part is voluntary: an activist who declined is not held to this.",
                verbose_name="entry questionnaire submitted is required for the certificate",
            ),
        ),
        migrations.AddField(
            model_name="coursepage",
            name="required_sessions",
            field=modelcluster.fields.ParentalManyToManyField(
                blank=True,
                related_name="+",
                to="courses.sessionpage",
                verbose_name="sessions that must be attended",
            ),
        ),
    ]
