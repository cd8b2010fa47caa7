"""Who is eligible for a certificate, and why not yet: one computation for every screen."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from assessments.models import ResearchConsent, Response, Wave
from certificates.models import Certificate
from courses.models import Cohort, CoursePage, Enrollment, SessionDelivery
from courses.selectors.delivery import AttendanceSummary, attendance_summaries


@dataclass(frozen=True)
class Eligibility:
    enrollment: Enrollment
    attendance: AttendanceSummary
    eligible: bool
    reasons: tuple[str, ...]
    certificate: Certificate | None

    @property
    def pending_pdf(self) -> bool:
        return bool(self.certificate and self.certificate.is_valid and not self.certificate.pdf)


def eligibility_reasons(
    summary: AttendanceSummary,
    *,
    course: CoursePage,
    required_deliveries: dict[int, str],
    submitted_waves: set[str],
    declined: bool,
) -> list[str]:
    """Why an enrollment is not eligible yet (empty when it is): the one statement of the
    course's completion rules, for data already read. `required_deliveries` maps the delivery
    of each session that must be attended to the session's title."""
    enrollment = summary.enrollment
    reasons: list[str] = []
    if enrollment.status == Enrollment.Status.WITHDRAWN:
        reasons.append(_("Withdrew from the cohort."))
    if not summary.scheduled or summary.attended * 100 < (
        course.min_attendance_percent * summary.scheduled
    ):
        reasons.append(
            _(
                "Attended %(attended)s of %(scheduled)s sessions (%(percent).0f%%); "
                "%(required)s%% is required."
            )
            % {
                "attended": summary.attended,
                "scheduled": summary.scheduled,
                "percent": summary.percent,
                "required": course.min_attendance_percent,
            }
        )
    counted = set(course.counted_statuses)
    for delivery_id, title in required_deliveries.items():
        if summary.statuses.get(delivery_id) not in counted:
            reasons.append(_("Must attend the session “%(title)s”.") % {"title": title})
    # Taking part in the questionnaires is voluntary: a recorded refusal meets the requirement.
    if not declined:
        if course.require_pre_questionnaire and Wave.PRE not in submitted_waves:
            reasons.append(_("The entry questionnaire has not been submitted."))
        if course.require_post_questionnaire and Wave.POST not in submitted_waves:
            reasons.append(_("The exit questionnaire has not been submitted."))
    return reasons


def cohort_eligibility(cohort: Cohort) -> list[Eligibility]:
    """Eligibility of every enrollment of a cohort in a fixed number of queries.

    Rules come from the course page: minimum attendance over all scheduled (not cancelled)
    sessions, future ones included; which statuses count; sessions that must be attended;
    entry/exit questionnaires submitted when required. Withdrawn activists are not eligible."""
    course = cohort.course
    summaries = attendance_summaries(cohort)
    required = dict(course.required_sessions.order_by("number").values_list("pk", "title"))
    delivery_of_session = dict(
        cohort.deliveries.exclude(status=SessionDelivery.Status.CANCELLED)
        .filter(session_id__in=list(required))
        .values_list("session_id", "pk")
    )
    submitted: dict[str, set[str]] = {}
    for code, wave in Response.objects.filter(
        cohort=cohort, status=Response.Status.SUBMITTED
    ).values_list("participant_code", "wave"):
        submitted.setdefault(code, set()).add(wave)
    declined = set(
        ResearchConsent.objects.filter(
            enrollment__cohort=cohort, decision=ResearchConsent.Decision.REFUSED
        ).values_list("enrollment_id", flat=True)
    )
    certificates = {
        c.enrollment_id: c
        for c in Certificate.objects.filter(enrollment__cohort=cohort).order_by("created_at")
    }
    required_deliveries = {
        delivery_of_session[session_id]: title
        for session_id, title in required.items()
        if session_id in delivery_of_session
    }
    results = []
    for summary in summaries:
        enrollment = summary.enrollment
        code = getattr(getattr(enrollment.activist, "profile", None), "participant_code", None)
        reasons = eligibility_reasons(
            summary,
            course=course,
            required_deliveries=required_deliveries,
            submitted_waves=submitted.get(code, set()),
            declined=enrollment.pk in declined,
        )
        results.append(
            Eligibility(
                enrollment=enrollment,
                attendance=summary,
                eligible=not reasons,
                reasons=tuple(reasons),
                certificate=certificates.get(enrollment.pk),
            )
        )
    return results
