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

from assessments.models import ResearchConsent
from certificates.completion.rule import CohortCompletion, EnrollmentCompletion, cohort_completion
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
    completion: EnrollmentCompletion
    cells: list[AttendanceCell]
    certificates: list[Certificate]

    @property
    def enrollment(self) -> Enrollment:
        return self.completion.enrollment

    @property
    def attendance(self) -> AttendanceSummary:
        return self.completion.attendance

    @property
    def eligible(self) -> bool:
        return self.completion.eligible

    @property
    def reasons(self) -> tuple[str, ...]:
        return self.completion.reasons

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
        return self.completion.checks["attendance"].met

    @property
    def sessions_attended(self) -> list[int]:
        """Numbers of the (not cancelled) sessions whose status counts toward completion."""
        return self.completion.attendance_check.attended_sessions

    @property
    def practice(self):
        """The supervised-practice check (``required`` 0 when the course asks for none)."""
        return self.completion.checks["practice"]

    @property
    def edit_count(self) -> int:
        return sum(len(cell.edits) for cell in self.cells)

    @property
    def _questionnaires(self):
        return self.completion.checks["questionnaires"]

    @property
    def entry_submitted(self) -> bool:
        return self._questionnaires.entry_submitted

    @property
    def exit_submitted(self) -> bool:
        return self._questionnaires.exit_submitted

    @property
    def questionnaires_declined(self) -> bool:
        return self._questionnaires.declined

    @property
    def research(self) -> ResearchDecision | None:
        consent = self._questionnaires.consent
        if consent is None:
            return None
        return ResearchDecision(
            decision=consent.decision,
            label=consent.get_decision_display(),
            text_version=consent.text_version,
            decided_at=consent.decided_at,
        )

    @property
    def certificate(self) -> Certificate | None:
        """The valid certificate, else the latest one."""
        valid = [c for c in self.certificates if c.is_valid]
        if valid:
            return valid[-1]
        return self.certificates[-1] if self.certificates else None


@dataclass
class CohortEvidence:
    cohort: Cohort
    completion: CohortCompletion
    sessions: list[SessionEvidence]
    activists: list[ActivistEvidence]
    trainers: list = field(default_factory=list)

    @property
    def course(self) -> CoursePage:
        return self.cohort.course

    @property
    def sentences(self) -> tuple[str, ...]:
        """The completion rule, in the active language."""
        return self.completion.sentences

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
    completion = cohort_completion(cohort)
    counted = frozenset(cohort.course.counted_statuses)
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
    certificates: dict[int, list[Certificate]] = defaultdict(list)
    for certificate in Certificate.objects.filter(enrollment__cohort=cohort).order_by(
        "created_at", "pk"
    ):
        certificates[certificate.enrollment_id].append(certificate)

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
    for row in completion.enrollments:
        enrollment = row.enrollment
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
                completion=row, cells=cells, certificates=certificates.get(enrollment.pk, [])
            )
        )
    return CohortEvidence(
        cohort=cohort,
        completion=completion,
        sessions=sessions,
        activists=activists,
        trainers=trainers,
    )
