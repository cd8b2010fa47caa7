"""Cohorts, rosters and attendance, read in a fixed number of queries; scoped by lms.access."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Q, QuerySet

from courses.models import AttendanceRecord, AttendanceSettings, Cohort, Enrollment, SessionDelivery
from lms import access


def trainer_cohorts(user: AbstractBaseUser) -> QuerySet[Cohort]:
    """The open cohorts whose sessions the user runs, with their number of active members."""
    return (
        access.manageable(user, Cohort.objects.select_related("course", "cem__site"))
        .exclude(status=Cohort.Status.CLOSED)
        .annotate(
            active_count=Count(
                "enrollments",
                filter=~Q(enrollments__status=Enrollment.Status.WITHDRAWN),
                distinct=True,
            )
        )
        .order_by("start_date")
    )


def managed_delivery_or_404(user: AbstractBaseUser, *, cohort_id: int, delivery_id: int):
    """A session delivery of a cohort the user runs, with its cohort; 404 when either does not
    exist, is not hers to run, or the delivery belongs to another cohort."""
    delivery = access.manage_or_404(
        user,
        SessionDelivery.objects.select_related("session", "cohort__cem__site", "cohort__course"),
        pk=delivery_id,
        cohort_id=cohort_id,
    )
    return delivery.cohort, delivery


@dataclass
class AttendanceSummary:
    """One enrollment's attendance over every scheduled (not cancelled) session of its cohort."""

    enrollment: Enrollment
    statuses: dict[int, str] = field(default_factory=dict)  # delivery id → status
    attended: int = 0
    scheduled: int = 0
    held: int = 0
    points: int = 0
    absence_streak: int = 0
    flagged: bool = False

    @property
    def percent(self) -> float:
        return 100.0 * self.attended / self.scheduled if self.scheduled else 0.0

    @property
    def remaining(self) -> int:
        """Sessions still to come: what can still be attended."""
        return self.scheduled - self.held

    def tally(
        self,
        deliveries: list[SessionDelivery],
        *,
        counting: frozenset[str],
        points: dict[str, int],
        rules: AttendanceSettings,
    ) -> None:
        """Fill the figures from `statuses`, given the cohort's non-cancelled deliveries in
        date order: attended, points, held so far and the current run of absences."""
        held = [d for d in deliveries if d.status == SessionDelivery.Status.HELD]
        self.scheduled, self.held = len(deliveries), len(held)
        for status in self.statuses.values():
            self.points += points.get(status, 0)
            if status in counting:
                self.attended += 1
        streak = 0
        for delivery in reversed(held):
            if self.statuses.get(delivery.pk) != AttendanceRecord.Status.ABSENT:
                break
            streak += 1
        self.absence_streak = streak
        self.flagged = (
            self.enrollment.status != Enrollment.Status.WITHDRAWN
            and streak >= rules.absence_alert_streak
        )

    def needed_for(self, min_percent: int) -> int:
        """How many more sessions must be attended to reach `min_percent` (0 when met)."""
        required = -(-self.scheduled * min_percent // 100)  # ceiling, integers only
        return max(0, required - self.attended)


def attendance_summaries(
    cohort: Cohort,
    *,
    enrollments: list[Enrollment] | None = None,
    deliveries: list[SessionDelivery] | None = None,
) -> list[AttendanceSummary]:
    """Attendance % of every enrollment (or the given ones) in a fixed number of queries."""
    rules = AttendanceSettings.load()
    counting = frozenset(cohort.course.counted_statuses)
    points = rules.points()
    if deliveries is None:
        deliveries = list(
            cohort.deliveries.exclude(status=SessionDelivery.Status.CANCELLED).order_by(
                "scheduled_at"
            )
        )
    else:
        deliveries = [d for d in deliveries if d.status != SessionDelivery.Status.CANCELLED]
    if enrollments is None:
        enrollments = list(
            cohort.enrollments.select_related("activist__profile").order_by(
                "activist__last_name", "activist__first_name"
            )
        )
    by_enrollment = {e.pk: AttendanceSummary(enrollment=e) for e in enrollments}
    records = AttendanceRecord.objects.filter(
        delivery__in=[d.pk for d in deliveries], enrollment_id__in=list(by_enrollment)
    ).values_list("enrollment_id", "delivery_id", "status")
    for enrollment_id, delivery_id, status in records:
        by_enrollment[enrollment_id].statuses[delivery_id] = status
    for summary in by_enrollment.values():
        summary.tally(deliveries, counting=counting, points=points, rules=rules)
    return list(by_enrollment.values())


def deliveries_by_cohort(
    cohort_ids: Iterable[int], *, related: tuple[str, ...] = ()
) -> dict[int, list[SessionDelivery]]:
    """Every scheduled or held (not cancelled) delivery of the cohorts, in date order."""
    by_cohort: dict[int, list[SessionDelivery]] = {pk: [] for pk in cohort_ids}
    deliveries = (
        SessionDelivery.objects.filter(cohort_id__in=list(by_cohort))
        .exclude(status=SessionDelivery.Status.CANCELLED)
        .order_by("scheduled_at", "pk")
    )
    if related:
        deliveries = deliveries.select_related(*related)
    for delivery in deliveries:
        by_cohort[delivery.cohort_id].append(delivery)
    return by_cohort


def attendance_summaries_batch(
    enrollments: Iterable[Enrollment],
    deliveries_by_cohort: dict[int, list[SessionDelivery]],
    *,
    counted: dict[int, frozenset[str]],
    rules: AttendanceSettings,
    records: Q,
) -> dict[int, AttendanceSummary]:
    """:func:`attendance_summaries` for enrollments of many cohorts
    in one query of attendance records (narrowed by ``records``), keyed by enrollment id.

    ``counted`` maps a cohort id to the statuses its course counts toward completion."""
    summaries = {e.pk: AttendanceSummary(enrollment=e) for e in enrollments}
    rows = (
        AttendanceRecord.objects.filter(records)
        .exclude(delivery__status=SessionDelivery.Status.CANCELLED)
        .values_list("enrollment_id", "delivery_id", "status")
    )
    for enrollment_id, delivery_id, status in rows:
        summary = summaries.get(enrollment_id)
        if summary is not None:
            summary.statuses[delivery_id] = status
    points = rules.points()
    for summary in summaries.values():
        cohort_id = summary.enrollment.cohort_id
        summary.tally(
            deliveries_by_cohort.get(cohort_id, []),
            counting=counted[cohort_id],
            points=points,
            rules=rules,
        )
    return summaries
