"""Research consent, drafts and the one final submission per wave."""

import uuid

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.analytics.cache import responses_changed
from assessments.instruments.scoring import ScoringKey
from assessments.models import Instrument, ResearchConsent, Response
from assessments.questionnaires.windows import WaveState, questionnaire_waves
from courses.models import Enrollment
from lms.audit import audit_record, model_snapshot
from lms.models import AuditLogEntry
from lms.research_codes import research_code_of

QUESTIONNAIRE_CONSENT_VERSION = "2026-1"


@transaction.atomic
def research_consent_decide(
    *, enrollment: Enrollment, accepted: bool, text_version: str = QUESTIONNAIRE_CONSENT_VERSION
) -> ResearchConsent:
    """Record the activist's decision with its time and the version of the text they read."""
    previous = ResearchConsent.objects.filter(enrollment=enrollment).first()
    before = model_snapshot(previous) if previous else None
    consent, _created = ResearchConsent.objects.update_or_create(
        enrollment=enrollment,
        defaults={
            "decision": ResearchConsent.Decision.ACCEPTED
            if accepted
            else ResearchConsent.Decision.REFUSED,
            "text_version": text_version,
            "decided_at": timezone.now(),
        },
    )
    audit_record(
        actor=enrollment.activist,
        action=AuditLogEntry.Action.UPDATE if previous else AuditLogEntry.Action.CREATE,
        instance=consent,
        site=enrollment.cohort.cem.site_id,
        before=before,
        after=model_snapshot(consent),
    )
    return consent


@transaction.atomic
def research_consent_withdraw(
    *, actor: AbstractBaseUser | None, person: AbstractBaseUser, answers_code: str | None
) -> int:
    """Opposition: she withdraws her consent for research. Every accepted consent of hers
    becomes withdrawn (audit-logged) and every answer already given under `answers_code` is
    left out of analytics and exports from this moment (kept, flagged with the time, and
    counted on the analytics page). Idempotent; returns the number of responses withdrawn now.
    Answers she gives after consenting again are used; those withdrawn stay withdrawn."""
    now = timezone.now()
    consents = ResearchConsent.objects.select_for_update().filter(
        enrollment__activist=person, decision=ResearchConsent.Decision.ACCEPTED
    )
    for consent in consents.select_related("enrollment__cohort__cem"):
        before = model_snapshot(consent)
        consent.decision, consent.decided_at = ResearchConsent.Decision.WITHDRAWN, now
        consent.save(update_fields=["decision", "decided_at"])
        audit_record(
            actor=actor,
            action=AuditLogEntry.Action.UPDATE,
            instance=consent,
            site=consent.enrollment.cohort.cem.site_id,
            before=before,
            after=model_snapshot(consent),
        )
    withdrawn = 0
    if answers_code:
        withdrawn = Response.objects.filter(
            research_code=answers_code, withdrawn_at__isnull=True
        ).update(withdrawn_at=now)
    if withdrawn:
        responses_changed()
    return withdrawn


def answers_validate(instrument: Instrument, answers: dict[str, object]) -> dict[str, int | None]:
    """Every key must be an item of the instrument and every value on its scale, or None for
    "prefer not to answer". Problems are reported all at once; nothing is partially kept."""
    items = set(instrument.items.values_list("code", flat=True))
    problems, clean = [], {}
    for code, value in answers.items():
        if code not in items:
            problems.append(
                _("“%(code)s” is not a question of this questionnaire.") % {"code": code}
            )
            continue
        if value is None:
            clean[code] = None
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append(
                _("The answer to %(code)s is not a number of the scale.") % {"code": code}
            )
            continue
        if not instrument.scale_min <= value <= instrument.scale_max:
            problems.append(
                _("The answer to %(code)s must be between %(min)s and %(max)s.")
                % {"code": code, "min": instrument.scale_min, "max": instrument.scale_max}
            )
            continue
        clean[code] = value
    if problems:
        raise ValidationError(problems)
    return clean


def _open_wave(enrollment: Enrollment, wave: str) -> WaveState:
    consent = ResearchConsent.objects.filter(enrollment=enrollment).first()
    if (
        consent is None
        or consent.decision != ResearchConsent.Decision.ACCEPTED
        or consent.text_version != QUESTIONNAIRE_CONSENT_VERSION
    ):
        raise ValidationError(_("The questionnaire needs your consent first."))
    state = next(s for s in questionnaire_waves(enrollment) if s.wave == wave)
    if state.instrument is None:
        raise ValidationError(_("This course has no questionnaire for this stage."))
    if not state.is_open and not state.submitted:
        raise ValidationError(_("This questionnaire is not open now."))
    return state


def _response_for(enrollment: Enrollment, state: WaveState) -> Response:
    if state.response is not None:
        return Response.objects.select_for_update().get(pk=state.response.pk)
    profile = enrollment.activist.profile
    code = research_code_of(profile)
    try:
        with transaction.atomic():
            return Response.objects.create(
                research_code=code,
                instrument=state.instrument,
                cohort=enrollment.cohort,
                site_id=enrollment.cohort.cem.site_id,
                wave=state.wave,
                sex=profile.sex,
                generation=profile.generation,
            )
    except IntegrityError:  # a concurrent request created it first
        return Response.objects.select_for_update().get(
            research_code=code, cohort=enrollment.cohort, wave=state.wave
        )


@transaction.atomic
def response_draft_save(*, enrollment: Enrollment, wave: str, answers: dict) -> Response:
    """Keep the answers given so far; a submitted response is never changed."""
    state = _open_wave(enrollment, wave)
    clean = answers_validate(state.instrument, answers)
    response = _response_for(enrollment, state)
    if response.status == Response.Status.SUBMITTED:
        return response
    response.answers = clean
    response.save(update_fields=["answers", "updated_at"])
    return response


@transaction.atomic
def response_submit(
    *, enrollment: Enrollment, wave: str, answers: dict, submission_key: uuid.UUID | None = None
) -> tuple[Response, bool]:
    """Submit a wave once. Returns (response, newly_submitted): a repeated submission (double
    tap, back button) changes nothing and returns False."""
    state = _open_wave(enrollment, wave)
    response = _response_for(enrollment, state)
    if response.status == Response.Status.SUBMITTED:
        return response, False
    clean = answers_validate(state.instrument, answers)
    key = ScoringKey.for_instrument(state.instrument)
    response.answers = clean
    response.scores = key.scores(clean)
    response.scoring_key_version = key.version
    response.status = Response.Status.SUBMITTED
    response.submitted_at = timezone.now()
    response.submission_key = submission_key or uuid.uuid4()
    response.full_clean()
    response.save()
    responses_changed()
    return response, True
