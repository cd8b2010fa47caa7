"""PDF "acta de cumplimiento" of a cohort: the completion evidence an accreditor files.

Like the certificate renderer, it works from plain, frozen values (:class:`ActaContent`) and
never touches the database::

    filename, content_type, data = ActaPdfRenderer().render(content)

The acta is a formal record produced in Spanish whatever the language of the interface, so its
fixed phrases live here (as in :mod:`certificates.documents.certificate`), not in the gettext
catalogue; the completion rule comes already stated, in Spanish, by the rule itself
(:mod:`certificates.completion`). It shares the certificate's toolkit
(:mod:`certificates.pdf`): fonts, colours, dates, file names, and the layout of the A4
records (:mod:`certificates.pdf.document`); the tables run over as many pages as needed and
repeat their header row on each page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from reportlab.platypus import LongTable, Paragraph, Spacer, Table

from certificates.pdf.document import DocumentInfo, DocumentPdfRenderer
from certificates.pdf.document import text as _text
from certificates.pdf.filenames import filename_part, safe_filename
from certificates.pdf.text import format_date, format_timestamp

__all__ = ["ActaActivist", "ActaContent", "ActaPdfRenderer", "ActaSession", "acta_filename"]

TITLE = "Acta de cumplimiento"
ENROLLMENT_STATUS = {"enrolled": "Inscrita/o", "completed": "Completó", "withdrawn": "Retirada/o"}
COHORT_STATUS = {"planned": "Planificado", "running": "En curso", "closed": "Cerrado"}
SESSION_STATUS = {"scheduled": "Programada", "held": "Realizada", "cancelled": "Cancelada"}
CERTIFICATE_STATUS = {"valid": "Válido", "revoked": "Revocado"}


@dataclass(frozen=True)
class ActaSession:
    number: int
    title: str
    scheduled_at: datetime
    status: str
    facilitators: tuple[str, ...]
    records: int


@dataclass(frozen=True)
class ActaActivist:
    participant_code: str
    full_name: str
    enrollment_status: str
    attended: int
    scheduled: int
    percent: float
    rule_met: bool
    eligible: bool
    sessions_attended: tuple[int, ...]
    attendance_edits: int
    entry_questionnaire: bool
    exit_questionnaire: bool
    questionnaires_declined: bool
    certificate_code: str
    certificate_status: str
    certificate_issued_on: date | None
    certificate_revoked_at: datetime | None
    certificate_revoked_reason: str
    practice_required: int = 0  # supervised practice: 0 when the course asks for none
    practice_unit: str = ""
    practice_done: int = 0
    practice_met: bool = True


@dataclass(frozen=True)
class ActaContent:
    """Everything printed on the acta, already resolved to plain values."""

    course_title: str
    course_code: str
    curriculum_version: str
    credit_hours: int
    accrediting_institution: str
    cohort_id: int
    cohort_name: str
    cohort_status: str
    site_name: str
    cem_name: str
    cohort_start: date
    cohort_end: date
    trainers: tuple[str, ...]
    completion_rule: tuple[str, ...]  # the rule's sentences, in Spanish
    enrolled: int
    completed: int
    withdrawn: int
    sessions_planned: int
    sessions_held: int
    sessions_cancelled: int
    certificates_valid: int
    certificates_revoked: int
    produced_at: datetime  # aware, in the local time zone
    produced_by: str
    base_url: str
    evidence_url: str
    verification_url: str
    sessions: tuple[ActaSession, ...]
    activists: tuple[ActaActivist, ...]

    def __post_init__(self) -> None:
        if self.produced_at.tzinfo is None:
            raise ValueError("produced_at must be an aware datetime")


def acta_filename(course_code: str, cohort_id: int, extension: str) -> str:
    """``acta-masc-101-grupo-7.pdf``: the same name for the PDF and the CSV of a cohort."""
    code = filename_part(course_code).lower() or "curso"
    return safe_filename("acta", code, "grupo", cohort_id, extension=extension)


def _yes_no(value: bool) -> str:
    return "sí" if value else "no"


class ActaPdfRenderer(DocumentPdfRenderer):
    """Renders an :class:`ActaContent` to a multi-page A4 portrait PDF."""

    def filename(self, content: ActaContent) -> str:
        return acta_filename(content.course_code, content.cohort_id, "pdf")

    def info(self, content: ActaContent) -> DocumentInfo:
        return DocumentInfo(
            title=f"{TITLE} — {content.cohort_name}",
            author=content.produced_by,
            subject=f"{content.course_title} ({content.course_code})",
        )

    def running_header(self, content: ActaContent) -> tuple[str, str]:
        return (
            f"{TITLE} · {content.cohort_name}",
            f"{content.course_code} v{content.curriculum_version}",
        )

    def running_footer(self, content: ActaContent) -> str:
        return f"Producida el {format_timestamp(content.produced_at)} por {content.produced_by}"

    # Content ------------------------------------------------------------------------------

    def story(self, content: ActaContent) -> list:
        s = self.styles
        story = [
            Paragraph(TITLE, s["title"]),
            Paragraph(
                f"{_text(content.course_title)} — {_text(content.cohort_name)}", s["subtitle"]
            ),
            Spacer(1, 6),
            self._facts(content),
            Paragraph("Sesiones planificadas y realizadas", s["h2"]),
            self._sessions_table(content),
            Paragraph("Evidencia por participante", s["h2"]),
            self._activists_table(content),
            Spacer(1, 6),
            Paragraph(
                "Asistencia: sesiones que cuentan / sesiones programadas (no canceladas). "
                "«Cumple» indica que se alcanzó el porcentaje mínimo de asistencia; «apto» "
                "que se cumplen todos los requisitos del certificado. «Cambios» es el número "
                "de correcciones posteriores de asistencia registradas en la bitácora de "
                "auditoría. «Práctica» cuenta las sesiones de réplica con un grupo comunitario "
                "verificadas por el CEM, cuando el curso exige práctica supervisada. "
                "De los cuestionarios solo consta si fueron enviados, nunca las "
                "respuestas. "
                f"Los certificados se verifican en {_text(content.verification_url)}",
                s["note"],
            ),
        ]
        return story

    def _facts(self, content: ActaContent) -> Table:
        rows = [
            ("Producida", format_timestamp(content.produced_at)),
            ("Por", content.produced_by),
            ("Plataforma", content.base_url),
            ("Evidencia en línea", content.evidence_url),
            (
                "Curso",
                f"{content.course_title} · código {content.course_code} · versión del "
                f"currículo {content.curriculum_version} · {content.credit_hours} horas "
                "académicas",
            ),
            ("Institución que acredita", content.accrediting_institution),
            ("Grupo", f"{content.cohort_name} (n.º {content.cohort_id})"),
            ("Sede y CEM", f"{content.site_name} — {content.cem_name}"),
            (
                "Fechas",
                f"del {format_date(content.cohort_start, 'es')} al "
                f"{format_date(content.cohort_end, 'es')} · estado: "
                f"{COHORT_STATUS.get(content.cohort_status, content.cohort_status)}",
            ),
            ("Facilitación", ", ".join(content.trainers) or "—"),
            ("Regla de cumplimiento", " ".join(content.completion_rule)),
            (
                "Participantes",
                f"{content.enrolled} inscritas/os · {content.completed} completaron · "
                f"{content.withdrawn} retiradas/os",
            ),
            (
                "Sesiones",
                f"{content.sessions_planned} planificadas · {content.sessions_held} "
                f"realizadas · {content.sessions_cancelled} canceladas",
            ),
            (
                "Certificados",
                f"{content.certificates_valid} válidos · {content.certificates_revoked} revocados",
            ),
        ]
        return self.facts(rows)

    def _sessions_table(self, content: ActaContent) -> LongTable | Paragraph:
        if not content.sessions:
            return Paragraph("No hay sesiones programadas.", self.styles["body"])
        rows = [
            [
                _text(session.number),
                _text(f"{session.scheduled_at:%Y-%m-%d %H:%M}"),
                _text(session.title),
                _text(SESSION_STATUS.get(session.status, session.status)),
                _text(", ".join(session.facilitators) or "—"),
                _text(session.records),
            ]
            for session in content.sessions
        ]
        header = ["N.º", "Fecha y hora", "Sesión", "Estado", "Facilitación", "Registros"]
        return self.grid(header, rows, (9, 30, 57, 20, 44, 20))

    def _certificate_cell(self, a: ActaActivist) -> str:
        if not a.certificate_code:
            return "—"
        lines = [
            f"<b>{_text(a.certificate_code)}</b>",
            _text(CERTIFICATE_STATUS.get(a.certificate_status, a.certificate_status)),
        ]
        if a.certificate_issued_on:
            lines.append(f"emitido {a.certificate_issued_on:%Y-%m-%d}")
        if a.certificate_revoked_at:
            lines.append(f"revocado {a.certificate_revoked_at:%Y-%m-%d %H:%M}")
        if a.certificate_revoked_reason:
            lines.append(f"<i>{_text(a.certificate_revoked_reason)}</i>")
        return "<br/>".join(lines)

    def _activists_table(self, content: ActaContent) -> LongTable | Paragraph:
        if not content.activists:
            return Paragraph("No hay participantes inscritas/os.", self.styles["body"])
        rows = []
        for index, a in enumerate(content.activists, start=1):
            attendance = (
                f"{a.attended}/{a.scheduled} ({a.percent:.0f} %)<br/>"
                f"{'cumple' if a.rule_met else 'no cumple'} · {'apto' if a.eligible else 'no apto'}"
            )
            if a.attendance_edits:
                attendance += f"<br/>cambios: {a.attendance_edits}"
            if a.practice_required:
                unit = "horas" if a.practice_unit == "hours" else "réplicas"
                attendance += (
                    f"<br/>práctica: {a.practice_done}/{a.practice_required} {unit} verificadas"
                    f" · {'cumple' if a.practice_met else 'no cumple'}"
                )
            questionnaires = (
                f"entrada: {_yes_no(a.entry_questionnaire)}<br/>"
                f"salida: {_yes_no(a.exit_questionnaire)}"
            )
            if a.questionnaires_declined:
                questionnaires += "<br/>declinó responder"
            rows.append(
                [
                    _text(index),
                    f"{_text(a.full_name)}<br/><font color='#555555'>"
                    f"{_text(a.participant_code)}</font>",
                    _text(ENROLLMENT_STATUS.get(a.enrollment_status, a.enrollment_status)),
                    attendance,
                    _text(", ".join(str(n) for n in a.sessions_attended) or "—"),
                    questionnaires,
                    self._certificate_cell(a),
                ]
            )
        header = [
            "N.º",
            "Participante",
            "Estado",
            "Asistencia",
            "Sesiones asistidas",
            "Cuestionarios",
            "Certificado",
        ]
        return self.grid(header, rows, (8, 41, 17, 22, 22, 26, 44))
