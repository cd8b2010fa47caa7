import datetime as dt
import uuid

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone


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


@pytest.fixture
def about_her(demo) -> dict:
    """Her part in the demo's validation round and in the cascade, with her name and phone
    typed where people type them, and an evidence photo of one of her replica sessions."""
    from axes.models import AccessAttempt

    from courses.models import (
        ReplicaAttendee,
        ReplicaSession,
        ValidationAnswer,
        ValidationFeedback,
        ValidationParticipant,
        ValidationRound,
        ValidationWorkshop,
    )
    from lms.models import AccountCode
    from lms.research_codes import research_code_of

    activist = demo["activist"]
    profile = activist.profile
    phone = profile.phone
    round_ = ValidationRound.objects.get()
    ValidationParticipant.objects.get_or_create(
        round=round_,
        person=activist,
        defaults={"site_id": profile.site_id, "cem_id": profile.cem_id, "source": "profile"},
    )
    feedback, _created = ValidationFeedback.objects.get_or_create(
        round=round_,
        research_code=research_code_of(profile),
        defaults={
            "site_id": profile.site_id,
            "sex": profile.sex,
            "generation": profile.generation,
            "source": "online",
            "submission_key": uuid.uuid4(),
            "submitted_at": timezone.now(),
        },
    )
    ValidationFeedback.objects.filter(pk=feedback.pk).update(
        missing=f"Que me llamen, soy {activist.get_full_name()}: {phone}"
    )
    ValidationAnswer.objects.update_or_create(
        feedback=feedback,
        item=round_.items.order_by("position").first(),
        defaults={"clear": 4, "comment": f"Lo digo yo, {activist.first_name}."},
    )
    ValidationWorkshop.objects.filter(round=round_, site_id=profile.site_id).update(
        notes=f"{activist.get_full_name()} habló por su grupo."
    )
    replica = ReplicaSession.objects.filter(group__activist=activist).order_by("pk").first()
    replica.photo.save("foto.png", ContentFile(_PNG), save=True)
    ReplicaSession.objects.filter(pk=replica.pk).update(notes=f"Llamar al {phone}.")
    elsewhere = ReplicaSession.objects.exclude(group__activist=activist).first()
    ReplicaAttendee.objects.create(replica=elsewhere, full_name=activist.get_full_name())
    # Signing in: a code she was sent, and the throttle's record of her mistyped password.
    AccountCode.objects.create(
        user=activist,
        purpose="reset",
        channel="email",
        nonce="n" * 32,
        code_hash="h" * 64,
        expires_at=timezone.now() + dt.timedelta(days=1),
    )
    AccessAttempt.objects.create(
        username=activist.username,
        ip_address="203.0.113.7",
        user_agent="Teléfono",
        get_data="",
        post_data="",
        http_accept="*/*",
        path_info="/cuenta/ingresar/",
        failures_since_start=2,
    )
    return {
        "photo": replica.photo.name,
        "feedback": feedback.pk,
        "replica": replica.pk,
        "username": activist.username,
    }


# The smallest PNG there is: one transparent pixel.
_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
