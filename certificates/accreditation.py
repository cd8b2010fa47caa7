"""Completion evidence for accreditors: the audit of every cohort, the evidence of one cohort
and its "acta de cumplimiento" (CSV and PDF).

Everything here reads, in a fixed number of queries whatever the size of the cohort, except
:func:`acta_export`, which also writes the export to the audit log. Questionnaires appear only
as "submitted: yes/no": answers and scores are never read from the database.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import groupby

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import CharField, Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Cast, Coalesce
from django.urls import reverse
from django.utils import timezone, translation

from assessments.models import ResearchConsent, Response, Wave
from certificates.acta import (
    ActaActivist,
    ActaContent,
    ActaPdfRenderer,
    ActaSession,
    acta_filename,
)
from certificates.models import Certificate
from certificates.selectors import Eligibility, cohort_eligibility
from courses.models import AttendanceRecord, Cohort, CoursePage, Enrollment, SessionDelivery
from courses.selectors.delivery import AttendanceSummary, cohorts_supervised_by
from lms.audit import audit_record
from lms.downloads import CSV_MIMETYPE, csv_document, spreadsheet_text
from lms.models import AuditLogEntry
from lms.roles import Role, user_roles

#: Roles that read completion evidence (superusers too). Trainers and activists do not.
EVIDENCE_ROLES = frozenset({Role.ACCREDITOR, Role.COORDINATOR})

# Stable, machine-readable column names (as in the questionnaire exports).
CSV_COLUMNS = (
    "participant_code",
    "full_name",
    "enrollment_status",
    "enrolled_on",
    "completed_on",
    "withdrawn_on",
    "consent_version",
    "consent_given_at",
    "consent_method",
    "sessions_attended",
    "sessions_scheduled",
    "sessions_held",
    "attendance_percent",
    "attendance_rule_met",
    "sessions_attended_list",
    "attendance_edits",
    "entry_questionnaire",
    "exit_questionnaire",
    "questionnaires_declined",
    "eligible",
    "certificate_code",
    "certificate_status",
    "certificate_issued_on",
    "certificate_revoked_at",
    "certificate_revoked_reason",
)


def reads_evidence(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Accreditors, coordinators and superusers read completion evidence."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or bool(user_roles(user) & EVIDENCE_ROLES)


def evidence_cohorts(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Cohort]:
    """Cohorts whose evidence the user reads: all for accreditors, national coordinators and
    superusers; a site coordinator's own site (and the cohorts they train); none otherwise."""
    if not reads_evidence(user):
        return Cohort.objects.none()
    return cohorts_supervised_by(user)


# --------------------------------------------------------------------------------------------
# The completion audit: every course, its cohorts and their counts
# --------------------------------------------------------------------------------------------


def _count_per_cohort(queryset: QuerySet, cohort_path: str = "cohort") -> Coalesce:
    """A correlated COUNT(*) per cohort, so that several counts need no multiplying joins."""
    counted = (
        queryset.filter(**{cohort_path: OuterRef("pk")})
        .order_by()
        .values(cohort_path)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


@dataclass(frozen=True)
class CourseAudit:
    course: CoursePage
    cohorts: list[Cohort]  # annotated by completion_audit


def completion_audit(user: AbstractBaseUser | AnonymousUser) -> list[CourseAudit]:
    """Each course with its cohorts visible to the user, in one query. Every cohort carries
    `enrolled`, `completed`, `withdrawn`, `sessions_planned` (not cancelled), `sessions_held`,
    `sessions_cancelled`, `certificates_valid` and `certificates_revoked`."""
    S, E, C = SessionDelivery.Status, Enrollment.Status, Certificate.Status
    cohorts = (
        evidence_cohorts(user)
        .annotate(
            enrolled=_count_per_cohort(Enrollment.objects.all()),
            completed=_count_per_cohort(Enrollment.objects.filter(status=E.COMPLETED)),
            withdrawn=_count_per_cohort(Enrollment.objects.filter(status=E.WITHDRAWN)),
            sessions_planned=_count_per_cohort(SessionDelivery.objects.exclude(status=S.CANCELLED)),
            sessions_held=_count_per_cohort(SessionDelivery.objects.filter(status=S.HELD)),
            sessions_cancelled=_count_per_cohort(
                SessionDelivery.objects.filter(status=S.CANCELLED)
            ),
            certificates_valid=_count_per_cohort(
                Certificate.objects.filter(status=C.VALID), "enrollment__cohort"
            ),
            certificates_revoked=_count_per_cohort(
                Certificate.objects.filter(status=C.REVOKED), "enrollment__cohort"
            ),
        )
        .order_by("course__title", "course_id", "-start_date", "name")
    )
    return [
        CourseAudit(course=group[0].course, cohorts=group)
        for group in (list(g) for _key, g in groupby(cohorts, key=lambda c: c.course_id))
    ]


# --------------------------------------------------------------------------------------------
# The evidence of one cohort
# --------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------
# The acta: CSV and PDF
# --------------------------------------------------------------------------------------------


def _iso(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return value.isoformat()


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def acta_csv(evidence: CohortEvidence) -> tuple[str, str, bytes]:
    """One row per activist; UTF-8 with a byte-order mark so that Excel shows the accents."""
    rows = []
    for activist in evidence.activists:
        enrollment, summary = activist.enrollment, activist.attendance
        certificate = activist.certificate
        row = {
            "participant_code": activist.participant_code,
            "full_name": spreadsheet_text(activist.full_name),
            "enrollment_status": enrollment.status,
            "enrolled_on": _iso(enrollment.enrolled_on),
            "completed_on": _iso(enrollment.completed_on),
            "withdrawn_on": _iso(enrollment.withdrawn_on),
            "consent_version": spreadsheet_text(enrollment.consent_version),
            "consent_given_at": _iso(enrollment.consent_given_at),
            "consent_method": enrollment.consent_method,
            "sessions_attended": summary.attended,
            "sessions_scheduled": summary.scheduled,
            "sessions_held": summary.held,
            "attendance_percent": f"{summary.percent:.1f}",
            "attendance_rule_met": _yes_no(activist.attendance_rule_met),
            "sessions_attended_list": " ".join(str(n) for n in activist.sessions_attended),
            "attendance_edits": activist.edit_count,
            "entry_questionnaire": _yes_no(activist.entry_submitted),
            "exit_questionnaire": _yes_no(activist.exit_submitted),
            "questionnaires_declined": _yes_no(activist.questionnaires_declined),
            "eligible": _yes_no(activist.eligibility.eligible),
            "certificate_code": certificate.code if certificate else "",
            "certificate_status": certificate.status if certificate else "",
            "certificate_issued_on": _iso(certificate.issued_on if certificate else None),
            "certificate_revoked_at": _iso(certificate.revoked_at if certificate else None),
            "certificate_revoked_reason": spreadsheet_text(
                certificate.revoked_reason if certificate else ""
            ),
        }
        rows.append([row[column] for column in CSV_COLUMNS])
    filename = acta_filename(evidence.course.code, evidence.cohort.pk, "csv")
    return filename, CSV_MIMETYPE, csv_document(CSV_COLUMNS, rows)


def _absolute(name: str, *args) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return settings.BASE_URL + reverse(name, args=args)


def acta_content(
    evidence: CohortEvidence, *, produced_by: AbstractBaseUser, produced_at: datetime
) -> ActaContent:
    """Plain values for the PDF renderer: what was produced, when, by whom, from what."""
    cohort, course = evidence.cohort, evidence.course
    name = produced_by.get_full_name()
    who = f"{name} ({produced_by.get_username()})" if name else produced_by.get_username()
    return ActaContent(
        course_title=course.title,
        course_code=course.code,
        curriculum_version=course.curriculum_version,
        credit_hours=course.credit_hours,
        accrediting_institution=course.accrediting_institution,
        cohort_id=cohort.pk,
        cohort_name=cohort.name,
        cohort_status=cohort.status,
        site_name=cohort.cem.site.name,
        cem_name=cohort.cem.name,
        cohort_start=cohort.start_date,
        cohort_end=cohort.end_date,
        trainers=tuple(t.get_full_name() or t.get_username() for t in evidence.trainers),
        min_attendance_percent=evidence.rule.min_percent,
        counted_statuses=evidence.rule.counted_statuses,
        required_sessions=evidence.rule.required_sessions,
        require_pre=evidence.rule.require_pre,
        require_post=evidence.rule.require_post,
        enrolled=evidence.enrolled,
        completed=evidence.completed,
        withdrawn=evidence.withdrawn,
        sessions_planned=evidence.sessions_planned,
        sessions_held=evidence.sessions_held,
        sessions_cancelled=evidence.sessions_cancelled,
        certificates_valid=evidence.certificates_valid,
        certificates_revoked=evidence.certificates_revoked,
        produced_at=timezone.localtime(produced_at),
        produced_by=who,
        base_url=settings.BASE_URL,
        evidence_url=_absolute("accreditation:cohort", cohort.pk),
        verification_url=_absolute("certificates:verify_form"),
        sessions=tuple(
            ActaSession(
                number=s.delivery.session.number,
                title=s.delivery.session.title,
                scheduled_at=timezone.localtime(s.delivery.scheduled_at),
                status=s.delivery.status,
                facilitators=tuple(f.get_full_name() or f.get_username() for f in s.facilitators),
                records=s.records,
            )
            for s in evidence.sessions
        ),
        activists=tuple(
            ActaActivist(
                participant_code=a.participant_code,
                full_name=a.full_name,
                enrollment_status=a.enrollment.status,
                attended=a.attendance.attended,
                scheduled=a.attendance.scheduled,
                percent=a.attendance.percent,
                rule_met=a.attendance_rule_met,
                eligible=a.eligibility.eligible,
                sessions_attended=tuple(a.sessions_attended),
                attendance_edits=a.edit_count,
                entry_questionnaire=a.entry_submitted,
                exit_questionnaire=a.exit_submitted,
                questionnaires_declined=a.questionnaires_declined,
                certificate_code=a.certificate.code if a.certificate else "",
                certificate_status=a.certificate.status if a.certificate else "",
                certificate_issued_on=a.certificate.issued_on if a.certificate else None,
                certificate_revoked_at=(
                    timezone.localtime(a.certificate.revoked_at)
                    if a.certificate and a.certificate.revoked_at
                    else None
                ),
                certificate_revoked_reason=a.certificate.revoked_reason if a.certificate else "",
            )
            for a in evidence.activists
        ),
    )


ACTA_FORMATS = ("acta.csv", "acta.pdf")


def acta_export(*, actor: AbstractBaseUser, cohort: Cohort, kind: str) -> tuple[str, str, bytes]:
    """Build the acta of a cohort (`acta.csv` or `acta.pdf`) and write the export to the audit
    log. Returns ``(filename, mimetype, bytes)``."""
    if kind not in ACTA_FORMATS:
        raise ValueError(f"kind must be one of {ACTA_FORMATS}, not {kind!r}")
    evidence = cohort_evidence(cohort)
    if kind == "acta.csv":
        result = acta_csv(evidence)
    else:
        content = acta_content(evidence, produced_by=actor, produced_at=timezone.now())
        result = ActaPdfRenderer().render(content)
    audit_record(
        actor=actor,
        action=AuditLogEntry.Action.CREATE,
        instance=cohort,
        site=cohort.cem.site_id,
        after={"export": kind},
    )
    return result
