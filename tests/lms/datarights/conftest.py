import pytest
from django.contrib.auth.models import User
from django.core.management import call_command


@pytest.fixture
def demo(db, django_capture_on_commit_callbacks, settings, tmp_path):
    """The demo programme, with its certificates' PDFs rendered as the worker does, in a media
    folder of its own (what other tests stored is not hers to find)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", verbosity=0)
    return {
        "activist": User.objects.get(username="activista"),
        "coordinator": User.objects.get(username="coordinadora"),  # national
        "arequipa": User.objects.get(username="coordinadora-arequipa"),
        "trainer": User.objects.get(username="facilitador"),
        "accreditor": User.objects.get(username="acreditadora"),
    }


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run what services queue after commit (the tasks, eagerly) when the block ends."""

    def runner():
        return django_capture_on_commit_callbacks(execute=True)

    return runner


@pytest.fixture
def holder(cohort_setup, course, instrument, django_capture_on_commit_callbacks):
    """An activist of the Villa María cohort who attended everything, answered the entry
    questionnaire and holds a certificate with its PDF; her site's coordinator."""
    from assessments.instruments.scoring import ScoringKey
    from certificates.issuance.services import certificates_issue
    from lms.research_codes import research_code_of
    from lms.roles import Role
    from tests.factories import EnrollmentFactory, hold_sessions, named_activist, person
    from tests.helpers import submit_response

    cohort = cohort_setup["cohort"]
    activist = named_activist(cohort, "Rosa Elena", "Quispe Huamán")
    activist.profile.phone = "+51 912 345 678"
    activist.profile.save()
    enrollment = EnrollmentFactory(cohort=cohort, activist=activist)
    hold_sessions(cohort, cohort_setup["sessions"], {enrollment: list("PPPP")}, days_ago_start=40)
    key = ScoringKey.for_instrument(instrument)
    answers = dict.fromkeys(key.item_codes, 3)
    submit_response(
        instrument=instrument,
        key=key,
        cohort=cohort,
        code=research_code_of(activist.profile),
        wave="pre",
        answers=answers,
    )
    with django_capture_on_commit_callbacks(execute=True):
        [certificate] = certificates_issue(
            actor=None, cohort=cohort, enrollment_ids=[enrollment.pk]
        )
    return {
        "activist": activist,
        "enrollment": enrollment,
        "cohort": cohort,
        "certificate": certificate,
        "instrument": instrument,
        "coordinator": person(Role.COORDINATOR, site_=cohort.cem.site),
    }
