"""Which questionnaire is due for an enrollment, and when each wave is open."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from assessments.models import Instrument, ResearchConsent, Response, Wave
from courses.models import Enrollment, SessionDelivery
from lms.research_codes import research_codes_of_people


@dataclass(frozen=True)
class WaveState:
    wave: str
    instrument: Instrument | None
    opens_on: dt.date | None
    closes_on: dt.date | None
    is_open: bool
    response: Response | None

    @property
    def submitted(self) -> bool:
        return bool(self.response and self.response.status == Response.Status.SUBMITTED)

    @property
    def is_due(self) -> bool:
        return self.is_open and self.instrument is not None and not self.submitted


def responses_of(enrollment: Enrollment) -> dict[str, Response]:
    """The enrollment's responses by wave (none while its activist has no research code)."""
    code = research_codes_of_people([enrollment.activist_id]).get(enrollment.activist_id)
    if code is None:
        return {}
    return {
        r.wave: r
        for r in Response.objects.filter(research_code=code, cohort_id=enrollment.cohort_id)
    }


def exit_window(
    deliveries: list[tuple[dt.datetime, str]], *, post_wave_days: int
) -> tuple[dt.date | None, dt.date | None]:
    """When the exit (post) questionnaire of a cohort opens and closes: from the day its last
    scheduled session is held, for the course's number of days; ``(None, None)`` while any
    session is still to be held. ``deliveries`` are the cohort's non-cancelled
    (scheduled_at, status) pairs in date order."""
    all_held = bool(deliveries) and all(status == "held" for _, status in deliveries)
    if not all_held:
        return None, None
    opens = timezone.localdate(deliveries[-1][0])
    return opens, opens + dt.timedelta(days=post_wave_days)


def questionnaire_waves(
    enrollment: Enrollment,
    *,
    today: dt.date | None = None,
    deliveries: list[tuple[dt.datetime, str]] | None = None,
    responses: dict[str, Response] | None = None,
) -> list[WaveState]:
    """The pre wave is open from enrollment until the first session is held (plus the course's
    grace days); the post wave from the day the last scheduled session is held until the
    course's number of days later.

    Callers showing many enrollments pass what they read in bulk: the cohort's non-cancelled
    (scheduled_at, status) pairs in date order and the enrollment's responses by wave."""
    today = today or timezone.localdate()
    course = enrollment.cohort.course
    if deliveries is None:
        deliveries = list(
            enrollment.cohort.deliveries.exclude(status=SessionDelivery.Status.CANCELLED)
            .order_by("scheduled_at")
            .values_list("scheduled_at", "status")
        )
    held = [timezone.localdate(at) for at, status in deliveries if status == "held"]
    active = enrollment.status != Enrollment.Status.WITHDRAWN
    if responses is None:
        responses = responses_of(enrollment)

    pre_closes = held[0] + dt.timedelta(days=course.pre_wave_grace_days) if held else None
    pre_open = (
        active and today >= enrollment.enrolled_on and (pre_closes is None or today <= pre_closes)
    )

    post_opens, post_closes = exit_window(deliveries, post_wave_days=course.post_wave_days)
    post_open = active and post_opens is not None and post_opens <= today <= post_closes

    return [
        WaveState(
            Wave.PRE,
            course.pre_instrument,
            enrollment.enrolled_on,
            pre_closes,
            pre_open,
            responses.get(Wave.PRE),
        ),
        WaveState(
            Wave.POST,
            course.post_instrument,
            post_opens,
            post_closes,
            post_open,
            responses.get(Wave.POST),
        ),
    ]


def research_consent_of(enrollment: Enrollment) -> ResearchConsent | None:
    return ResearchConsent.objects.filter(enrollment=enrollment).first()
