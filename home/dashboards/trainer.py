"""The trainer's section: the open cohorts she trains, the sessions waiting to be logged and
the activists flagged after consecutive absences."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q
from django.utils import timezone

from courses.models import AttendanceSettings, Cohort, Enrollment, SessionDelivery
from courses.selectors.delivery import (
    AttendanceSummary,
    attendance_summaries_batch,
    deliveries_by_cohort,
)
from lms import access


def _counted(cohorts: Iterable[Cohort]) -> dict[int, frozenset[str]]:
    return {c.pk: frozenset(c.course.counted_statuses) for c in cohorts}


def _start_of_tomorrow(now: dt.datetime) -> dt.datetime:
    tomorrow = timezone.localdate(now) + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(tomorrow, dt.time.min))


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
