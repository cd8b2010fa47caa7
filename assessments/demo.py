"""Demo questionnaires: the example instrument on the demo course and simulated answers.

Answers are simulated so that the coordinators' page shows real figures on first run: a latent
tolerance per person, lower after the course by an amount that differs by site."""

import random
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from assessments.analytics.cache import responses_changed
from assessments.instruments.files import instrument_import
from assessments.instruments.scoring import ScoringKey
from assessments.models import Instrument, ResearchConsent, Response, Wave
from assessments.questionnaires.services import QUESTIONNAIRE_CONSENT_VERSION
from courses.models import Cohort, CoursePage, Enrollment
from lms.research_codes import research_codes_of

EXAMPLE_INSTRUMENT = Path(__file__).resolve().parent / "instruments" / "ejemplo_tolerancia.json"
# Mean drop of the latent tolerance score (1-5 scale) between entry and exit, per site.
SITE_EFFECT = {"villa-maria-del-triunfo": 0.7, "arequipa": 0.4, "iquitos": 0.15}
# Activists who answer the entry questionnaire themselves in the demo.
LEFT_FOR_THE_DEMO = {"activista", "activista-iquitos"}


def example_instrument() -> Instrument:
    instrument = Instrument.objects.filter(code="ejemplo-tolerancia", version="1.0").first()
    return instrument or instrument_import(EXAMPLE_INSTRUMENT.read_bytes())


@transaction.atomic
def seed_questionnaires(*, course: CoursePage) -> None:
    """Attach the example instrument to the course and simulate answers (idempotent)."""
    instrument = example_instrument()
    if course.pre_instrument_id is None:
        course.pre_instrument = course.post_instrument = instrument
        # Keep the entry questionnaire open while the demo cohorts are halfway through.
        course.pre_wave_grace_days = 60
        course.save_revision().publish()
    key = ScoringKey.for_instrument(instrument)
    items = list(instrument.items.all())
    enrollments = (
        Enrollment.objects.filter(cohort__course=course)
        .select_related("activist__profile", "cohort__cem__site")
        .order_by("pk")
    )
    done = set(Response.objects.values_list("research_code", "cohort_id", "wave"))
    codes = research_codes_of([e.activist.profile for e in enrollments], create=True)
    consents, responses = [], []
    now = timezone.now()
    for enrollment in enrollments:
        profile = enrollment.activist.profile
        if enrollment.activist.username in LEFT_FOR_THE_DEMO and enrollment.cohort.status != (
            Cohort.Status.CLOSED
        ):
            continue
        rng = random.Random(f"{profile.participant_code}-{enrollment.cohort_id}")
        if rng.random() < 0.08:
            continue  # a few never answer: attrition is part of real data
        waves = [Wave.PRE]
        if enrollment.cohort.status == Cohort.Status.CLOSED and rng.random() > 0.1:
            waves.append(Wave.POST)
        code = codes[profile.pk]
        if all((code, enrollment.cohort_id, w) in done for w in waves):
            continue
        consents.append(
            ResearchConsent(
                enrollment=enrollment,
                decision=ResearchConsent.Decision.ACCEPTED,
                text_version=QUESTIONNAIRE_CONSENT_VERSION,
                decided_at=now,
            )
        )
        latent = rng.gauss(3.3 if profile.sex == "M" else 2.9, 0.6)
        effect = SITE_EFFECT.get(enrollment.cohort.cem.site.slug, 0.3)
        for wave in waves:
            level = latent - (rng.gauss(effect, 0.35) if wave == Wave.POST else 0)
            answers = {}
            for item in items:
                if rng.random() < 0.04:
                    continue  # skipped
                if rng.random() < 0.02:
                    answers[item.code] = None  # prefer not to answer
                    continue
                value = min(5, max(1, round(level + rng.gauss(0, 0.8))))
                answers[item.code] = 6 - value if item.reverse else value
            responses.append(
                Response(
                    research_code=code,
                    instrument=instrument,
                    cohort=enrollment.cohort,
                    site=enrollment.cohort.cem.site,
                    wave=wave,
                    sex=profile.sex,
                    generation=profile.generation,
                    status=Response.Status.SUBMITTED,
                    answers=answers,
                    scores=key.scores(answers),
                    scoring_key_version=key.version,
                    submitted_at=now,
                )
            )
    ResearchConsent.objects.bulk_create(consents, ignore_conflicts=True)
    Response.objects.bulk_create(responses, ignore_conflicts=True)
    if responses:
        responses_changed()
