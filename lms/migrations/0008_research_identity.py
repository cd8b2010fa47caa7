import django.db.models.deletion
from django.db import migrations, models

import lms.models


def give_every_participant_a_research_code(apps, schema_editor):
    from lms.codes import research_code_generate

    ParticipantProfile = apps.get_model("lms", "ParticipantProfile")
    ResearchIdentity = apps.get_model("lms", "ResearchIdentity")
    ids = ParticipantProfile.objects.values_list("pk", flat=True).iterator()
    ResearchIdentity.objects.bulk_create(
        (ResearchIdentity(profile_id=pk, research_code=research_code_generate()) for pk in ids),
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [("lms", "0007_audit_origin")]

    operations = [
        migrations.CreateModel(
            name="ResearchIdentity",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "research_code",
                    models.CharField(
                        default=lms.models._new_research_code,
                        editable=False,
                        max_length=16,
                        unique=True,
                        verbose_name="research code",
                    ),
                ),
                (
                    "profile",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="research_identity",
                        to="lms.participantprofile",
                    ),
                ),
            ],
            options={
                "verbose_name": "research identity",
                "verbose_name_plural": "research identities",
                "default_permissions": (),
            },
        ),
        migrations.RunPython(give_every_participant_a_research_code, migrations.RunPython.noop),
    ]
