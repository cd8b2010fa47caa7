"""Completion evidence of one cohort, for accreditors: sessions planned and held, and per
activist the attendance at each session with its history, the completion rule, questionnaires
submitted (yes/no) and certificates.

Everything here reads, in a fixed number of queries whatever the size of the cohort.
Questionnaires appear only as "submitted: yes/no": answers and scores are never read from the
database.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import CharField
from django.db.models.functions import Cast

from assessments.models import ResearchConsent, Response, Wave
from certificates.issuance.selectors import Eligibility, cohort_eligibility
from certificates.models import Certificate
from courses.models import AttendanceRecord, Cohort, CoursePage, Enrollment, SessionDelivery
from courses.selectors.delivery import AttendanceSummary
from lms.models import AuditLogEntry


def _status_label(code: str | None) -> str:
    if not code:
        return ""
    try:
        return AttendanceRecord.Status(code).label
    except ValueError:
        return code


@dataclass(frozen=True)
class AttendanceEvent:
    """One audit log entry about an attendance record: who set which status, when."""

    action: str
    before: str | None
    after: str | None
    actor: AbstractBaseUser | None
    at: datetime

    @property
    def is_edit(self) -> bool:
        return self.action == AuditLogEntry.Action.UPDATE

    @property
    def before_label(self) -> str:
        return _status_label(self.before)

    @property
    def after_label(self) -> str:
        return _status_label(self.after)


@dataclass(frozen=True)
class AttendanceCell:
    """An activist's attendance at one session, with its history from the audit log."""

    delivery: SessionDelivery
    record: AttendanceRecord | None
    counts: bool
    events: tuple[AttendanceEvent, ...] = ()

    @property
    def edits(self) -> tuple[AttendanceEvent, ...]:
        return tuple(e for e in self.events if e.is_edit)

    @property
    def first_event(self) -> AttendanceEvent | None:
        return self.events[0] if self.events else None


@dataclass(frozen=True)
class SessionEvidence:
    delivery: SessionDelivery
    facilitators: list
    facilitators_recorded: bool  # False: none recorded, the cohort's trainers are shown
    records: int


@dataclass(frozen=True)
class ResearchDecision:
    decision: str
    label: str
    text_version: str
    decided_at: datetime

    @property
    def refused(self) -> bool:
        return self.decision == ResearchConsent.Decision.REFUSED


@dataclass(frozen=True)
class ActivistEvidence:
    eligibility: Eligibility
    cells: list[AttendanceCell]
    entry_submitted: bool
    exit_submitted: bool
    research: ResearchDecision | None
    certificates: list[Certificate]
    min_percent: int

    @property
    def enrollment(self) -> Enrollment:
        return self.eligibility.enrollment

    @property
    def attendance(self) -> AttendanceSummary:
        return self.eligibility.attendance

    @property
    def full_name(self) -> str:
        activist = self.enrollment.activist
        return activist.get_full_name() or activist.username

    @property
    def participant_code(self) -> str:
        profile = getattr(self.enrollment.activist, "profile", None)
        return profile.participant_code if profile else ""

    @property
    def attendance_rule_met(self) -> bool:
        summary = self.attendance
        return bool(summary.scheduled) and (
            summary.attended * 100 >= self.min_percent * summary.scheduled
        )

    @property
    def sessions_attended(self) -> list[int]:
        """Numbers of the (not cancelled) sessions whose status counts toward completion."""
        return [
            cell.delivery.session.number
            for cell in self.cells
            if cell.counts and cell.delivery.status != SessionDelivery.Status.CANCELLED
        ]

    @property
    def edit_count(self) -> int:
        return sum(len(cell.edits) for cell in self.cells)

    @property
    def questionnaires_declined(self) -> bool:
        return bool(self.research and self.research.refused)

    @property
    def certificate(self) -> Certificate | None:
        """The valid certificate, else the latest one."""
        valid = [c for c in self.certificates if c.is_valid]
        if valid:
            return valid[-1]
        return self.certificates[-1] if self.certificates else None


@dataclass(frozen=True)
class CompletionRule:
    min_percent: int
    counted_statuses: tuple[str, ...]
    required_sessions: tuple[str, ...]
    require_pre: bool
    require_post: bool

    @property
    def counted_labels(self) -> list[str]:
        return [_status_label(code) for code in self.counted_statuses]


@dataclass
class CohortEvidence:
    cohort: Cohort
    rule: CompletionRule
    sessions: list[SessionEvidence]
    activists: list[ActivistEvidence]
    trainers: list = field(default_factory=list)

    @property
    def course(self) -> CoursePage:
        return self.cohort.course

    def _enrollments_with(self, status: str) -> int:
        return sum(1 for a in self.activists if a.enrollment.status == status)

    @property
    def enrolled(self) -> int:
        return len(self.activists)

    @property
    def completed(self) -> int:
        return self._enrollments_with(Enrollment.Status.COMPLETED)

    @property
    def withdrawn(self) -> int:
        return self._enrollments_with(Enrollment.Status.WITHDRAWN)

    def _sessions_with(self, status: str) -> int:
        return sum(1 for s in self.sessions if s.delivery.status == status)

    @property
    def sessions_planned(self) -> int:
        return len(self.sessions) - self.sessions_cancelled

    @property
    def sessions_held(self) -> int:
        return self._sessions_with(SessionDelivery.Status.HELD)

    @property
    def sessions_cancelled(self) -> int:
        return self._sessions_with(SessionDelivery.Status.CANCELLED)

    def _certificates_with(self, status: str) -> int:
        return sum(1 for a in self.activists for c in a.certificates if c.status == status)

    @property
    def certificates_valid(self) -> int:
        return self._certificates_with(Certificate.Status.VALID)

    @property
    def certificates_revoked(self) -> int:
        return self._certificates_with(Certificate.Status.REVOKED)


def _attendance_events(cohort: Cohort) -> dict[int, list[AttendanceEvent]]:
    """Audit entries of every attendance record of the cohort, in ONE query, by record id."""
    record_ids = (
        AttendanceRecord.objects.filter(delivery__cohort=cohort)
        .annotate(key=Cast("pk", output_field=CharField()))
        .values("key")
    )
    entries = (
        AuditLogEntry.objects.filter(
            content_type__app_label="courses",
            content_type__model="attendancerecord",
            object_id__in=record_ids,
        )
        .select_related("actor")
        .order_by("created_at", "pk")
    )
    events: dict[int, list[AttendanceEvent]] = defaultdict(list)
    for entry in entries:
        events[int(entry.object_id)].append(
            AttendanceEvent(
                action=entry.action,
                before=(entry.before or {}).get("status"),
                after=(entry.after or {}).get("status"),
                actor=entry.actor,
                at=entry.created_at,
            )
        )
    return events


def cohort_evidence(cohort: Cohort) -> CohortEvidence:
    """Sessions planned and held, and per activist: enrollment and consent, attendance at each
    session with who recorded it and every later change, the completion rule, questionnaires
    submitted (yes/no only) and certificates. The number of queries does not depend on the
    number of activists or sessions."""
    course = cohort.course
    eligibility = cohort_eligibility(cohort)
    counted = frozenset(course.counted_statuses)
    deliveries = list(
        cohort.deliveries.select_related("session")
        .prefetch_related("facilitators")
        .order_by("scheduled_at", "pk")
    )
    trainers = list(cohort.trainers.order_by("last_name", "first_name"))
    records = {
        (r.enrollment_id, r.delivery_id): r
        for r in AttendanceRecord.objects.filter(delivery__cohort=cohort).select_related(
            "recorded_by"
        )
    }
    events = _attendance_events(cohort)
    # Only who submitted which wave: never the answers or the scores.
    submitted = set(
        Response.objects.filter(cohort=cohort, status=Response.Status.SUBMITTED).values_list(
            "participant_code", "wave"
        )
    )
    research = {
        c.enrollment_id: ResearchDecision(
            decision=c.decision,
            label=c.get_decision_display(),
            text_version=c.text_version,
            decided_at=c.decided_at,
        )
        for c in ResearchConsent.objects.filter(enrollment__cohort=cohort)
    }
    certificates: dict[int, list[Certificate]] = defaultdict(list)
    for certificate in Certificate.objects.filter(enrollment__cohort=cohort).order_by(
        "created_at", "pk"
    ):
        certificates[certificate.enrollment_id].append(certificate)
    required = tuple(course.required_sessions.order_by("number").values_list("title", flat=True))

    recorded_per_delivery: dict[int, int] = defaultdict(int)
    for _enrollment_id, delivery_id in records:
        recorded_per_delivery[delivery_id] += 1
    sessions = []
    for delivery in deliveries:
        facilitators = list(delivery.facilitators.all())
        sessions.append(
            SessionEvidence(
                delivery=delivery,
                facilitators=facilitators or trainers,
                facilitators_recorded=bool(facilitators),
                records=recorded_per_delivery[delivery.pk],
            )
        )

    activists = []
    for row in eligibility:
        enrollment = row.enrollment
        profile = getattr(enrollment.activist, "profile", None)
        code = profile.participant_code if profile else None
        cells = []
        for delivery in deliveries:
            record = records.get((enrollment.pk, delivery.pk))
            cells.append(
                AttendanceCell(
                    delivery=delivery,
                    record=record,
                    counts=bool(record and record.status in counted),
                    events=tuple(events.get(record.pk, ())) if record else (),
                )
            )
        activists.append(
            ActivistEvidence(
                eligibility=row,
                cells=cells,
                entry_submitted=(code, Wave.PRE) in submitted,
                exit_submitted=(code, Wave.POST) in submitted,
                research=research.get(enrollment.pk),
                certificates=certificates.get(enrollment.pk, []),
                min_percent=course.min_attendance_percent,
            )
        )
    return CohortEvidence(
        cohort=cohort,
        rule=CompletionRule(
            min_percent=course.min_attendance_percent,
            counted_statuses=tuple(course.counted_statuses),
            required_sessions=required,
            require_pre=course.require_pre_questionnaire,
            require_post=course.require_post_questionnaire,
        ),
        sessions=sessions,
        activists=activists,
        trainers=trainers,
    )
