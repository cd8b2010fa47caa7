"""The acta de cumplimiento of a cohort, as CSV and as PDF, each export audit-logged."""

from datetime import date, datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.urls import reverse
from django.utils import timezone, translation

from certificates.accreditation.acta import (
    ActaActivist,
    ActaContent,
    ActaPdfRenderer,
    ActaSession,
    acta_filename,
)
from certificates.accreditation.evidence import CohortEvidence, cohort_evidence
from courses.models import Cohort
from lms.audit import audit_record
from lms.downloads import CSV_MIMETYPE, csv_document, spreadsheet_text
from lms.models import AuditLogEntry

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
    "practice_required",
    "practice_unit",
    "practice_verified",
    "practice_met",
    "eligible",
    "certificate_code",
    "certificate_status",
    "certificate_issued_on",
    "certificate_revoked_at",
    "certificate_revoked_reason",
)


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
            "practice_required": activist.practice.required,
            "practice_unit": activist.practice.unit,
            "practice_verified": activist.practice.done,
            "practice_met": _yes_no(activist.practice.met),
            "eligible": _yes_no(activist.eligible),
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
    with translation.override("es"):  # the acta is a Spanish record, whoever produces it
        rule = tuple(str(sentence) for sentence in evidence.sentences)
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
        completion_rule=rule,
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
                eligible=a.eligible,
                sessions_attended=tuple(a.sessions_attended),
                attendance_edits=a.edit_count,
                entry_questionnaire=a.entry_submitted,
                exit_questionnaire=a.exit_submitted,
                questionnaires_declined=a.questionnaires_declined,
                practice_required=a.practice.required,
                practice_unit=a.practice.unit,
                practice_done=a.practice.done,
                practice_met=a.practice.met,
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
