"""What each role's dashboard shows, read in a fixed number of queries whatever the data.

Every section loads its rows with a few set-wide queries (cohorts, enrollments, deliveries,
attendance records, responses, certificates) and combines them in Python, so the count does not
grow with cohorts, activists or sessions.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, F, Q
from django.utils import timezone

from assessments.analytics.analysis import MIN_CELL, ChangeResult
from assessments.analytics.selectors import Grouping, analytics_allowed, analytics_report_for
from assessments.models import Instrument
from assessments.questionnaires.due import QuestionnaireStatus, questionnaires_for_many
from certificates.completion.rule import COMPLETION, EnrollmentCompletion
from certificates.models import Certificate
from courses.models import (
    AttendanceSettings,
    Cohort,
    CoursePage,
    Enrollment,
    SessionDelivery,
)
from courses.selectors.delivery import (
    AttendanceSummary,
    attendance_summaries_batch,
    deliveries_by_cohort,
)
from lms import access
from lms.models import Site
from lms.roles import Role, user_roles

# --------------------------------------------------------------------------------------
# Attendance of many cohorts at once
# --------------------------------------------------------------------------------------


def _counted(cohorts: Iterable[Cohort]) -> dict[int, frozenset[str]]:
    return {c.pk: frozenset(c.course.counted_statuses) for c in cohorts}


def _start_of_tomorrow(now: dt.datetime) -> dt.datetime:
    tomorrow = timezone.localdate(now) + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(tomorrow, dt.time.min))


# --------------------------------------------------------------------------------------
# Activist
# --------------------------------------------------------------------------------------


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
    return ActivistSection(courses=courses, certificates=certificates)


# --------------------------------------------------------------------------------------
# Trainer
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrainerCohort:
    cohort: Cohort
    active_count: int
    flagged: list[AttendanceSummary]


@dataclass(frozen=True)
class TrainerSection:
    cohorts: list[TrainerCohort]
    to_log: list[SessionDelivery]  # scheduled today or earlier and not logged yet
    absence_alert_streak: int

    @property
    def flagged_count(self) -> int:
        return sum(len(c.flagged) for c in self.cohorts)


def trainer_section(
    user: AbstractBaseUser, *, rules: AttendanceSettings, now: dt.datetime
) -> TrainerSection:
    """The open cohorts the user trains, the sessions waiting to be logged and the activists
    flagged after consecutive absences."""
    cohorts = list(
        access.trained(user, Cohort)
        .exclude(status=Cohort.Status.CLOSED)
        .select_related("course", "cem__site")
        .order_by("start_date", "name", "pk")
    )
    by_id = {c.pk: c for c in cohorts}
    enrollments = list(
        Enrollment.objects.filter(cohort_id__in=list(by_id))
        .exclude(status=Enrollment.Status.WITHDRAWN)
        .select_related("activist")
        .order_by("activist__last_name", "activist__first_name", "pk")
    )
    deliveries = deliveries_by_cohort(by_id, related=("session",))
    summaries = attendance_summaries_batch(
        enrollments,
        deliveries,
        counted=_counted(cohorts),
        rules=rules,
        records=Q(enrollment__cohort_id__in=list(by_id)),
    )
    active: dict[int, int] = defaultdict(int)
    flagged: dict[int, list[AttendanceSummary]] = defaultdict(list)
    for summary in summaries.values():
        active[summary.enrollment.cohort_id] += 1
        if summary.flagged:
            flagged[summary.enrollment.cohort_id].append(summary)

    # The same rule as the attendance sheet: a session can be logged from its day on.
    tomorrow = _start_of_tomorrow(now)
    to_log = []
    for cohort_id, schedule in deliveries.items():
        for delivery in schedule:
            if (
                delivery.status == SessionDelivery.Status.SCHEDULED
                and delivery.scheduled_at < tomorrow
            ):
                delivery.cohort = by_id[cohort_id]  # already loaded: no query in the template
                to_log.append(delivery)
    to_log.sort(key=lambda d: (d.scheduled_at, d.pk))
    return TrainerSection(
        cohorts=[
            TrainerCohort(cohort=c, active_count=active[c.pk], flagged=flagged[c.pk])
            for c in cohorts
        ],
        to_log=to_log,
        absence_alert_streak=rules.absence_alert_streak,
    )


# --------------------------------------------------------------------------------------
# Coordinator
# --------------------------------------------------------------------------------------


def _percent(part: int, whole: int) -> float | None:
    return 100.0 * part / whole if whole else None


@dataclass
class CohortFigures:
    """One cohort as the coordinator reads it (or the sum of several, ``cohort`` None).
    Rates are ``None`` when nothing is due yet."""

    cohort: Cohort | None
    enrolled: int = 0  # not withdrawn
    sessions_to_date: int = 0  # scheduled (not cancelled) up to now
    unlogged: int = 0  # of those, still waiting for their attendance
    expected: int = 0  # sessions to date × enrolled activists
    attended: int = 0  # counted marks of the enrolled activists in those sessions
    entry_submitted: int = 0
    exit_submitted: int = 0
    to_issue: int = 0  # eligible without a valid certificate
    pdf_pending: int = 0  # valid certificate whose PDF is not rendered yet

    @property
    def attendance_rate(self) -> float | None:
        return _percent(self.attended, self.expected)

    @property
    def entry_rate(self) -> float | None:
        return _percent(self.entry_submitted, self.enrolled)

    @property
    def exit_rate(self) -> float | None:
        return _percent(self.exit_submitted, self.enrolled)

    @property
    def certificates_pending(self) -> bool:
        return bool(self.to_issue or self.pdf_pending)

    def add(self, other: "CohortFigures") -> None:
        for name in self.__dataclass_fields__:
            if name != "cohort":
                setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass(frozen=True)
class Headline:
    """Pre/post change of all participants in scope for one instrument (all scored items)."""

    instrument: Instrument
    n_participants: int
    change: ChangeResult | None  # None: no submitted response yet
    min_cell: int = MIN_CELL

    @property
    def suppressed(self) -> bool:
        return self.change is None or self.change.suppressed


@dataclass(frozen=True)
class CoordinatorSection:
    site: Site | None  # None: every site
    status_counts: dict[str, int]
    running: list[CohortFigures]
    running_totals: CohortFigures
    certificates_pending: list[CohortFigures]
    headlines: list[Headline]
    can_see_analytics: bool


def _headlines(user: AbstractBaseUser, cohorts: Iterable[Cohort]) -> list[Headline]:
    """One headline per instrument of the courses in scope (a handful, never one per cohort):
    the "all participants in scope" row of the analytics page, all scored items."""
    ids = set()
    for cohort in cohorts:
        ids |= {cohort.course.pre_instrument_id, cohort.course.post_instrument_id}
    ids.discard(None)
    headlines = []
    for instrument in Instrument.objects.filter(pk__in=ids).order_by("code", "version"):
        report = analytics_report_for(
            user, instrument=instrument, subscale=None, grouping=Grouping.SITE
        )
        headlines.append(
            Headline(
                instrument=instrument,
                n_participants=report.n_participants,
                change=report.overall.result.change if report.overall else None,
            )
        )
    return headlines


def coordinator_section(
    user: AbstractBaseUser, *, rules: AttendanceSettings, now: dt.datetime
) -> CoordinatorSection:
    """A site coordinator's site, or every site for a national coordinator or a superuser:
    cohorts by status, attendance and questionnaire rates of the running ones, certificates
    waiting to be issued or rendered, and the pre/post headline."""
    scope = access.coordinated(user, Cohort)
    status_counts = scope.order_by().aggregate(
        **{status.value: Count("pk", filter=Q(status=status)) for status in Cohort.Status}
    )
    # Planned cohorts have no attendance, answers or certificates yet.
    cohorts = list(
        scope.exclude(status=Cohort.Status.PLANNED)
        .select_related("course", "cem__site")
        .order_by("cem__site__name", "start_date", "name", "pk")
    )
    ids = [c.pk for c in cohorts]
    enrollments = list(
        Enrollment.objects.filter(cohort_id__in=ids)
        .only("pk", "cohort_id", "status", "activist_id")
        .annotate(participant_code=F("activist__profile__participant_code"))
        .order_by()
    )
    deliveries = deliveries_by_cohort(ids)
    completions = COMPLETION.of_enrollments(
        enrollments, cohorts=cohorts, deliveries=deliveries, rules=rules
    )
    latest_certificate: dict[int, tuple[str, str]] = {}  # the newest decides, as on its page
    for enrollment_id, status, pdf in (
        Certificate.objects.filter(enrollment__cohort_id__in=ids)
        .order_by("created_at", "pk")
        .values_list("enrollment_id", "status", "pdf")
    ):
        latest_certificate[enrollment_id] = (status, pdf)

    figures: dict[int, CohortFigures] = {}
    to_date_ids: dict[int, set[int]] = {}
    for cohort in cohorts:
        to_date = [d for d in deliveries[cohort.pk] if d.scheduled_at <= now]
        to_date_ids[cohort.pk] = {d.pk for d in to_date}
        figures[cohort.pk] = CohortFigures(
            cohort=cohort,
            sessions_to_date=len(to_date),
            unlogged=sum(1 for d in to_date if d.status == SessionDelivery.Status.SCHEDULED),
        )
    for completion in completions.values():
        enrollment = completion.enrollment
        row = figures[enrollment.cohort_id]
        attendance, questionnaires = (
            completion.attendance_check,
            completion.checks["questionnaires"],
        )
        if enrollment.status != Enrollment.Status.WITHDRAWN:
            row.enrolled += 1
            row.expected += row.sessions_to_date
            row.attended += sum(
                1
                for delivery_id, status in attendance.attendance.statuses.items()
                if delivery_id in to_date_ids[enrollment.cohort_id] and status in attendance.counted
            )
            row.entry_submitted += questionnaires.entry_submitted
            row.exit_submitted += questionnaires.exit_submitted
        certificate = latest_certificate.get(enrollment.pk)
        valid = certificate is not None and certificate[0] == Certificate.Status.VALID
        if valid and not certificate[1]:
            row.pdf_pending += 1
        if certificate is None and completion.eligible:
            row.to_issue += 1

    running = [figures[c.pk] for c in cohorts if c.status == Cohort.Status.RUNNING]
    totals = CohortFigures(cohort=None)
    for row in running:
        totals.add(row)
    allowed = analytics_allowed(user)
    return CoordinatorSection(
        site=access.coordination_scope(user).site(),
        status_counts=status_counts,
        running=running,
        running_totals=totals,
        certificates_pending=[row for row in figures.values() if row.certificates_pending],
        headlines=_headlines(user, cohorts) if allowed else [],
        can_see_analytics=allowed,
    )


# --------------------------------------------------------------------------------------
# Accreditor
# --------------------------------------------------------------------------------------


@dataclass
class CourseCompletion:
    course_id: int
    title: str = ""
    code: str = ""
    cohorts: int = 0
    closed: int = 0
    enrolled: int = 0
    completed: int = 0
    withdrawn: int = 0
    valid: int = 0
    revoked: int = 0


@dataclass(frozen=True)
class AccreditorSection:
    courses: list[CourseCompletion]


def accreditor_section(user: AbstractBaseUser) -> AccreditorSection:
    """Completion evidence per course over the cohorts the user reads (every site, for an
    accreditor), in four grouped queries."""
    rows: dict[int, CourseCompletion] = {}

    def row(course_id: int) -> CourseCompletion:
        return rows.setdefault(course_id, CourseCompletion(course_id=course_id))

    closed = Q(status=Cohort.Status.CLOSED)
    for item in (
        access.readable(user, Cohort)
        .order_by()
        .values("course_id")
        .annotate(cohorts=Count("pk"), closed=Count("pk", filter=closed))
    ):
        target = row(item["course_id"])
        target.cohorts, target.closed = item["cohorts"], item["closed"]
    status = Enrollment.Status
    for item in (
        access.readable(user, Enrollment)
        .order_by()
        .values("cohort__course_id")
        .annotate(
            enrolled=Count("pk"),
            completed=Count("pk", filter=Q(status=status.COMPLETED)),
            withdrawn=Count("pk", filter=Q(status=status.WITHDRAWN)),
        )
    ):
        target = row(item["cohort__course_id"])
        target.enrolled, target.completed = item["enrolled"], item["completed"]
        target.withdrawn = item["withdrawn"]
    for item in (
        access.readable(user, Certificate)
        .order_by()
        .values("enrollment__cohort__course_id")
        .annotate(
            valid=Count("pk", filter=Q(status=Certificate.Status.VALID)),
            revoked=Count("pk", filter=Q(status=Certificate.Status.REVOKED)),
        )
    ):
        target = row(item["enrollment__cohort__course_id"])
        target.valid, target.revoked = item["valid"], item["revoked"]
    for pk, title, code in CoursePage.objects.filter(pk__in=list(rows)).values_list(
        "pk", "title", "code"
    ):
        rows[pk].title, rows[pk].code = title, code
    return AccreditorSection(
        courses=sorted(rows.values(), key=lambda r: (r.title.casefold(), r.code))
    )


# --------------------------------------------------------------------------------------
# The whole page
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dashboard:
    activist: ActivistSection | None = None
    trainer: TrainerSection | None = None
    coordinator: CoordinatorSection | None = None
    accreditor: AccreditorSection | None = None

    @property
    def sections(self) -> int:
        return sum(
            s is not None for s in (self.activist, self.trainer, self.coordinator, self.accreditor)
        )


def dashboard_for(
    user: AbstractBaseUser, *, now: dt.datetime | None = None, request=None
) -> Dashboard:
    """The sections of every role the user holds; a superuser reads the coordinator's view of
    every site."""
    now = now or timezone.now()
    roles = user_roles(user)
    is_coordinator = access.has_any_role(user, access.COORDINATES)
    needs_rules = is_coordinator or roles & {Role.ACTIVIST, Role.TRAINER}
    rules = AttendanceSettings.load(request) if needs_rules else None
    return Dashboard(
        activist=(activist_section(user, rules=rules, now=now) if Role.ACTIVIST in roles else None),
        trainer=trainer_section(user, rules=rules, now=now) if Role.TRAINER in roles else None,
        coordinator=coordinator_section(user, rules=rules, now=now) if is_coordinator else None,
        accreditor=accreditor_section(user) if Role.ACCREDITOR in roles else None,
    )
