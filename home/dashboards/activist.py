"""The activist's section: her own courses, next session, progress to the certificate (the
completion rule), questionnaires and certificates. Nothing about any other person is read."""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from assessments.questionnaires.due import QuestionnaireStatus, questionnaires_for_many
from certificates.completion.rule import COMPLETION, EnrollmentCompletion
from certificates.models import Certificate
from courses.models import AttendanceSettings, Cohort, CoursePage, Enrollment, SessionDelivery
from courses.selectors.delivery import AttendanceSummary, deliveries_by_cohort
from courses.validation.selectors import MyRound, my_open_rounds
from lms import access


@dataclass(frozen=True)
class ActivistCourse:
    enrollment: Enrollment
    completion: EnrollmentCompletion
    next_delivery: SessionDelivery | None
    questionnaires: list[QuestionnaireStatus]

    @property
    def attendance(self) -> AttendanceSummary:
        return self.completion.attendance

    @property
    def cohort(self) -> Cohort:
        return self.enrollment.cohort

    @property
    def course(self) -> CoursePage:
        return self.enrollment.cohort.course

    @property
    def active(self) -> bool:
        return self.enrollment.status == Enrollment.Status.ENROLLED

    @property
    def needed(self) -> int:
        return self.completion.attendance_check.needed

    @property
    def reachable(self) -> bool:
        return self.completion.attendance_check.reachable


@dataclass(frozen=True)
class ActivistSection:
    courses: list[ActivistCourse]
    certificates: list[Certificate]
    validation_rounds: list[MyRound]


def _questionnaires_may_be_open(
    enrollment: Enrollment, deliveries: list[SessionDelivery], today: dt.date
) -> bool:
    """A cheap superset of "some wave is open or just submitted": the cohort is not closed, or
    its last session was held within the exit questionnaire's window. Old, closed courses are
    left out: nothing is due there any more."""
    course = enrollment.cohort.course
    if enrollment.status == Enrollment.Status.WITHDRAWN:
        return False
    if course.pre_instrument_id is None and course.post_instrument_id is None:
        return False
    if enrollment.cohort.status != Cohort.Status.CLOSED:
        return True
    held = [d for d in deliveries if d.status == SessionDelivery.Status.HELD]
    if not held:
        return False
    last = timezone.localdate(held[-1].scheduled_at)
    return today <= last + dt.timedelta(days=course.post_wave_days)


def activist_section(
    user: AbstractBaseUser, *, rules: AttendanceSettings, now: dt.datetime
) -> ActivistSection:
    """The activist's own courses: next session, progress to the certificate, questionnaires
    and certificates. Nothing about any other person is read."""
    today = timezone.localdate(now)
    enrollments = list(
        access.owned(user, Enrollment)
        .select_related(
            "cohort__cem__site",
            "activist__profile",
            "cohort__course__pre_instrument",
            "cohort__course__post_instrument",
        )
        .order_by("-cohort__start_date")
    )
    deliveries = deliveries_by_cohort([e.cohort_id for e in enrollments], related=("session",))
    completions = COMPLETION.of_enrollments(enrollments, deliveries=deliveries, rules=rules)
    questionnaires = questionnaires_for_many(enrollments, deliveries, today=today)
    courses = []
    for enrollment in enrollments:
        schedule = deliveries[enrollment.cohort_id]
        upcoming = (
            d
            for d in schedule
            if d.status == SessionDelivery.Status.SCHEDULED and d.scheduled_at >= now
        )
        courses.append(
            ActivistCourse(
                enrollment=enrollment,
                completion=completions[enrollment.pk],
                next_delivery=next(upcoming, None),
                questionnaires=(
                    questionnaires[enrollment.pk]
                    if _questionnaires_may_be_open(enrollment, schedule, today)
                    else []
                ),
            )
        )
    certificates = list(access.owned(user, Certificate).order_by("-issued_on", "-pk"))
    return ActivistSection(
        courses=courses, certificates=certificates, validation_rounds=my_open_rounds(user)
    )
