"""Which questionnaires an activist sees for one enrollment, and what each one needs now.

Used by the questionnaire views and by the "My courses" screen through
templates/assessments/includes/due_questionnaires.html."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from assessments.models import ResearchConsent, Wave
from assessments.selectors import WaveState, questionnaire_waves, research_consent_of
from assessments.services.responses import QUESTIONNAIRE_CONSENT_VERSION
from courses.models import Enrollment

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
        return bool(self.consent and self.consent.decision == ResearchConsent.Decision.REFUSED)

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
