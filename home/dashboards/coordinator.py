"""The coordinator's section: her site (every site for national coordinators and superusers),
cohorts by status, attendance and questionnaire rates of the running ones, certificates
waiting to be issued or rendered (by the completion rule), the pre/post headline (cached until
a response is submitted) and the data-rights requests waiting, overdue ones flagged."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, F, Q
from django.utils import timezone

from assessments.analytics.analysis import MIN_CELL, ChangeResult
from assessments.analytics.cache import cached_figure
from assessments.analytics.selectors import Grouping, analytics_allowed, analytics_report_for
from assessments.models import Instrument
from certificates.completion.rule import COMPLETION
from certificates.models import Certificate
from courses.models import AttendanceSettings, Cohort, Enrollment, SessionDelivery
from courses.selectors.delivery import deliveries_by_cohort
from lms import access
from lms.datarights.selectors import RequestFigures, request_figures
from lms.models import Site


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
    data_rights: RequestFigures


def _headlines(user: AbstractBaseUser, cohorts: Iterable[Cohort]) -> list[Headline]:
    """One headline per instrument of the courses in scope (a handful, never one per cohort):
    the "all participants in scope" row of the analytics page, all scored items. Computed once
    per scope until a response is submitted (:mod:`assessments.analytics.cache`)."""
    ids = set()
    for cohort in cohorts:
        ids |= {cohort.course.pre_instrument_id, cohort.course.post_instrument_id}
    ids.discard(None)
    scope = access.coordination_scope(user)
    scope_key = "every" if scope.every else f"site-{scope.site_id}"
    headlines = []
    for instrument in Instrument.objects.filter(pk__in=ids).order_by("code", "version"):

        def compute(instrument=instrument) -> tuple[int, ChangeResult | None]:
            report = analytics_report_for(
                user, instrument=instrument, subscale=None, grouping=Grouping.SITE
            )
            return report.n_participants, report.overall.result.change if report.overall else None

        n_participants, change = cached_figure(f"headline:{scope_key}:{instrument.pk}", compute)
        headlines.append(
            Headline(instrument=instrument, n_participants=n_participants, change=change)
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
        data_rights=request_figures(user, today=timezone.localdate(now)),
    )
