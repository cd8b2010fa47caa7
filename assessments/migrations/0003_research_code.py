"""Responses move from the participant (roster) code to the research code."""

from django.db import migrations, models


def rekey_to_research_codes(apps, schema_editor):
    """Each participant code of a response becomes its profile's research code; a code whose
    profile is gone gets a fresh research code of its own (its waves stay paired)."""
    from lms.codes import research_code_generate

    Response = apps.get_model("assessments", "Response")
    ResearchIdentity = apps.get_model("lms", "ResearchIdentity")
    by_participant = dict(
        ResearchIdentity.objects.values_list("profile__participant_code", "research_code")
    )
    old_codes = set(Response.objects.values_list("research_code", flat=True).distinct())
    for old in old_codes:
        new = by_participant.get(old) or research_code_generate()
        Response.objects.filter(research_code=old).update(research_code=new)


def rekey_to_participant_codes(apps, schema_editor):
    Response = apps.get_model("assessments", "Response")
    ResearchIdentity = apps.get_model("lms", "ResearchIdentity")
    for research_code, participant_code in ResearchIdentity.objects.values_list(
        "research_code", "profile__participant_code"
    ):
        Response.objects.filter(research_code=research_code).update(research_code=participant_code)


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0002_instrument_permissions"),
        ("lms", "0008_research_identity"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="response", name="one_response_per_wave"),
        migrations.RenameField(
            model_name="response", old_name="participant_code", new_name="research_code"
        ),
        migrations.AlterField(
            model_name="response",
            name="research_code",
            field=models.CharField(db_index=True, max_length=16, verbose_name="research code"),
        ),
        migrations.RunPython(rekey_to_research_codes, rekey_to_participant_codes),
        migrations.AddConstraint(
            model_name="response",
            constraint=models.UniqueConstraint(
                fields=("research_code", "cohort", "wave"), name="one_response_per_wave"
            ),
        ),
    ]
