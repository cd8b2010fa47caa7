"""Which questionnaires an activist sees for one enrollment, and what each one needs now.

Used by the questionnaire views and by the "My courses" screen through
templates/assessments/includes/due_questionnaires.html."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from assessments.models import ResearchConsent, Response, Wave
from assessments.questionnaires.services import QUESTIONNAIRE_CONSENT_VERSION
from assessments.questionnaires.windows import (
    WaveState,
    questionnaire_waves,
    research_consent_of,
)
from courses.models import Enrollment
from lms.research_codes import research_codes_of_people

WAVE_TITLES: dict[str, Promise] = {
    Wave.PRE: _("Entry questionnaire"),
    Wave.POST: _("Exit questionnaire"),
}


class Timing:
    SUBMITTED = "submitted"
    OPEN = "open"
    NOT_YET = "not_yet"  # opens on a known date
    AFTER_COURSE = "after_course"  # opens when the last session has been held
    CLOSED = "closed"


@dataclass(frozen=True)
class QuestionnaireStatus:
    """One wave of one enrollment as the activist sees it."""

    state: WaveState
    consent: ResearchConsent | None
    today: dt.date

    @property
    def wave(self) -> str:
        return self.state.wave

    @property
    def title(self) -> Promise:
        return WAVE_TITLES[self.state.wave]

    @property
    def timing(self) -> str:
        state = self.state
        if state.submitted:
            return Timing.SUBMITTED
        if state.is_open:
            return Timing.OPEN
        if state.opens_on is None:
            return Timing.AFTER_COURSE
        if self.today < state.opens_on:
            return Timing.NOT_YET
        return Timing.CLOSED

    @property
    def declined(self) -> bool:
        """She said no, or withdrew her consent for research (opposition): nobody asks again
        unprompted; the consent screen stays open to her."""
        return bool(
            self.consent
            and self.consent.decision
            in (ResearchConsent.Decision.REFUSED, ResearchConsent.Decision.WITHDRAWN)
        )

    @property
    def needs_consent(self) -> bool:
        """No decision yet, a refusal, or a decision on an earlier version of the text."""
        return consent_needed(self.consent)

    @property
    def has_draft(self) -> bool:
        return bool(
            self.state.response and not self.state.submitted and self.state.response.answers
        )


def consent_needed(consent: ResearchConsent | None) -> bool:
    return (
        consent is None
        or consent.decision != ResearchConsent.Decision.ACCEPTED
        or consent.text_version != QUESTIONNAIRE_CONSENT_VERSION
    )


def questionnaires_for(
    enrollment: Enrollment, *, today: dt.date | None = None
) -> list[QuestionnaireStatus]:
    """The waves of the enrollment's course that have a questionnaire; none once withdrawn."""
    if enrollment.status == Enrollment.Status.WITHDRAWN:
        return []
    today = today or timezone.localdate()
    consent = research_consent_of(enrollment)
    return [
        QuestionnaireStatus(state=state, consent=consent, today=today)
        for state in questionnaire_waves(enrollment, today=today)
        if state.instrument is not None
    ]


def questionnaires_for_many(
    enrollments: list[Enrollment],
    deliveries_by_cohort: dict[int, list],
    *,
    today: dt.date | None = None,
) -> dict[int, list[QuestionnaireStatus]]:
    """:func:`questionnaires_for` of one activist's enrollments in three queries, whatever their
    number. `deliveries_by_cohort` holds each cohort's non-cancelled deliveries in date order."""
    today = today or timezone.localdate()
    active = [e for e in enrollments if e.status != Enrollment.Status.WITHDRAWN]
    consents = {c.enrollment_id: c for c in ResearchConsent.objects.filter(enrollment__in=active)}
    codes = research_codes_of_people({e.activist_id for e in active})
    responses: dict[tuple[str, int], dict[str, Response]] = {}
    for response in Response.objects.filter(
        research_code__in=set(codes.values()), cohort_id__in=[e.cohort_id for e in active]
    ):
        responses.setdefault((response.research_code, response.cohort_id), {})[response.wave] = (
            response
        )
    result: dict[int, list[QuestionnaireStatus]] = {e.pk: [] for e in enrollments}
    for enrollment in active:
        states = questionnaire_waves(
            enrollment,
            today=today,
            deliveries=[
                (d.scheduled_at, d.status) for d in deliveries_by_cohort[enrollment.cohort_id]
            ],
            responses=responses.get((codes.get(enrollment.activist_id), enrollment.cohort_id), {}),
        )
        result[enrollment.pk] = [
            QuestionnaireStatus(state=state, consent=consents.get(enrollment.pk), today=today)
            for state in states
            if state.instrument is not None
        ]
    return result
