"""PDF "Informe de validación" of a round: with whom a course revision was validated, what they
rated, what the workshops said, what the team decided and which revisions answered it.

Like the acta de cumplimiento, it is rendered from plain, frozen values (:class:`ReportContent`)
by the platform's PDF toolkit (:mod:`certificates.pdf.document`), never touches the database,
and is a Spanish record whatever the language of the interface. It carries figures only: no
comment, note or quote, and every cell of fewer than five people is printed as "—".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from reportlab.lib import colors
from reportlab.platypus import KeepTogether, Paragraph, Spacer

from certificates.pdf.document import DocumentInfo, DocumentPdfRenderer
from certificates.pdf.document import text as _text
from certificates.pdf.filenames import filename_part, safe_filename
from certificates.pdf.text import format_date, format_timestamp

TITLE = "Informe de validación"
RATING_HEADS = ("Clara", "Pertinente", "Encaja", "Segura")
# Background of the heat table's cells, from the lowest mean (1) to the highest (5).
HEAT = ("#F6E8EE", "#E9C6D6", "#D59AB6", "#B46A92", "#7A1F5C")


@dataclass(frozen=True)
class ReportFigureRow:
    group: str
    respondents: str
    cells: tuple[tuple[str, str], ...]  # (mean, share 4–5) per rating


@dataclass(frozen=True)
class ReportItem:
    code: str
    title: str
    kind: str
    rows: tuple[ReportFigureRow, ...]
    verdicts: tuple[tuple[str, str], ...]  # (site, "2 aceptar · 1 adaptar")


@dataclass(frozen=True)
class ReportAnswer:
    page_title: str
    revision_id: int
    created_at: datetime
    author: str
    changed: tuple[str, ...]  # labels of the fields the revision changed
    published: bool


@dataclass(frozen=True)
class ReportFinding:
    title: str
    items: tuple[str, ...]
    tags: tuple[str, ...]
    evidence: str
    decision: str
    reason: str
    decided: str
    answers: tuple[ReportAnswer, ...]


@dataclass(frozen=True)
class ReportWorkshop:
    site: str
    held_on: date
    place: str
    headcount: str
    total: int


@dataclass(frozen=True)
class ReportPeople:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[int, ...], int], ...]
    totals: tuple[int, ...]
    total: int


@dataclass(frozen=True)
class ReportContent:
    """Everything printed on the report, already resolved to plain Spanish values."""

    round_id: int
    round_title: str
    status: str
    course_title: str
    course_code: str
    curriculum_version: str
    revision_id: int
    revision_created_at: datetime
    published_version: str
    published_revision_id: int | None
    sites: tuple[str, ...]
    cems: tuple[str, ...]
    starts_on: date
    ends_on: date
    consent_version: str
    scope: str
    participants: int
    consents: str
    respondents: int
    paper: int
    feedback_people: ReportPeople
    workshop_people: ReportPeople
    workshops: tuple[ReportWorkshop, ...]
    items: tuple[ReportItem, ...]
    heat_sites: tuple[str, ...]
    heat: tuple[tuple[str, tuple[tuple[float | None, str], ...]], ...]  # item, (mean, text)
    findings: tuple[ReportFinding, ...]
    produced_at: datetime
    produced_by: str
    base_url: str
    results_url: str

    def __post_init__(self) -> None:
        if self.produced_at.tzinfo is None:
            raise ValueError("produced_at must be an aware datetime")


def report_filename(course_code: str, round_id: int) -> str:
    code = filename_part(course_code).lower() or "curso"
    return safe_filename("informe-validacion", code, "ronda", round_id, extension="pdf")


class ValidationReportRenderer(DocumentPdfRenderer):
    """Renders a :class:`ReportContent` to a multi-page A4 portrait PDF."""

    def filename(self, content: ReportContent) -> str:
        return report_filename(content.course_code, content.round_id)

    def info(self, content: ReportContent) -> DocumentInfo:
        return DocumentInfo(
            title=f"{TITLE} — {content.round_title}",
            author=content.produced_by,
            subject=f"{content.course_title} ({content.course_code})",
        )

    def running_header(self, content: ReportContent) -> tuple[str, str]:
        return (
            f"{TITLE} · {content.round_title}",
            f"{content.course_code} v{content.curriculum_version}",
        )

    def running_footer(self, content: ReportContent) -> str:
        return f"Producido el {format_timestamp(content.produced_at)} por {content.produced_by}"

    def story(self, content: ReportContent) -> list:
        s = self.styles
        story = [
            Paragraph(TITLE, s["title"]),
            Paragraph(
                f"{_text(content.course_title)} — {_text(content.round_title)}", s["subtitle"]
            ),
            Spacer(1, 6),
            self.facts(self._facts(content)),
            Paragraph("Con quiénes se validó", s["h2"]),
            Paragraph(
                "Personas que dieron su opinión individual, por sede, sexo y generación:", s["body"]
            ),
            self._people(content.feedback_people),
            Paragraph("Personas en los talleres de validación (conteos):", s["body"]),
            self._people(content.workshop_people),
            Paragraph("Talleres de validación", s["h2"]),
            self._workshops(content),
            Paragraph("Valoración media por sede", s["h2"]),
            self._heat(content),
            Paragraph("Resultados por sesión o concepto", s["h2"]),
            Paragraph(
                "Media de cada valoración (1 a 5) y porcentaje que valoró 4 o 5. «—»: menos de "
                "cinco personas, o un grupo que permitiría deducir otro de menos de cinco.",
                s["note"],
            ),
        ]
        for item in content.items:
            story.append(KeepTogether(self._item(item)))
        story.append(Paragraph("Hallazgos y decisiones", s["h2"]))
        story += self._findings(content) or [Paragraph("No hay hallazgos registrados.", s["body"])]
        story += [
            Spacer(1, 6),
            Paragraph(
                "Las opiniones se guardan bajo un código de investigación, nunca con el nombre. "
                "Este informe no reproduce comentarios, notas ni citas. Resultados en línea: "
                f"{_text(content.results_url)}",
                s["note"],
            ),
        ]
        return story

    def _facts(self, c: ReportContent) -> list[tuple[str, str]]:
        published = (
            f"versión {c.published_version}, revisión n.º {c.published_revision_id}"
            if c.published_revision_id
            else "el curso aún no está publicado"
        )
        return [
            ("Producido", format_timestamp(c.produced_at)),
            ("Por", c.produced_by),
            ("Plataforma", c.base_url),
            ("Ronda", f"{c.round_title} (n.º {c.round_id}) · estado: {c.status}"),
            ("Curso", f"{c.course_title} · código {c.course_code}"),
            (
                "Versión validada",
                f"versión del currículo {c.curriculum_version} · revisión n.º {c.revision_id} "
                f"del {format_date(c.revision_created_at.date(), 'es')}",
            ),
            ("Versión publicada", published),
            ("Sedes", ", ".join(c.sites) or "—"),
            ("CEM", ", ".join(c.cems) or "—"),
            (
                "Fechas",
                f"del {format_date(c.starts_on, 'es')} al {format_date(c.ends_on, 'es')}",
            ),
            ("Consentimiento", f"texto versión {c.consent_version} · {c.consents}"),
            (
                "Participación",
                f"{c.participants} personas inscritas en la ronda · {c.respondents} opiniones "
                f"individuales ({c.paper} desde papel) · {len(c.workshops)} talleres",
            ),
            ("Alcance", c.scope),
        ]

    def _people(self, people: ReportPeople):
        if not people.total:
            return Paragraph("Nadie todavía.", self.styles["body"])
        header = ["Sede", *people.columns, "Total"]
        rows = [
            [_text(name), *(_text(v) for v in values), _text(total)]
            for name, values, total in people.rows
        ]
        rows.append(["<b>Total</b>", *(_text(v) for v in people.totals), f"<b>{people.total}</b>"])
        return self.grid(header, rows, (30, *([12] * len(people.columns)), 10))

    def _workshops(self, c: ReportContent):
        if not c.workshops:
            return Paragraph("No hay talleres registrados.", self.styles["body"])
        rows = [
            [
                _text(w.site),
                _text(f"{w.held_on:%Y-%m-%d}"),
                _text(w.place or "—"),
                _text(w.total),
                _text(w.headcount),
            ]
            for w in c.workshops
        ]
        return self.grid(
            ["Sede", "Fecha", "Lugar", "Personas", "Por sexo y generación"],
            rows,
            (22, 16, 24, 14, 46),
        )

    def _heat(self, c: ReportContent):
        rows = [[_text(title), *(_text(text) for _mean, text in cells)] for title, cells in c.heat]
        table = self.grid(
            ["Sesión o concepto", *c.heat_sites], rows, (46, *([18] * len(c.heat_sites)))
        )
        for r, (_title, cells) in enumerate(c.heat, start=1):
            for col, (mean, _t) in enumerate(cells, start=1):
                if mean is not None:
                    step = min(4, max(0, int((mean - 1) / 4 * 5)))
                    table.setStyle(
                        [("BACKGROUND", (col, r), (col, r), colors.HexColor(HEAT[step]))]
                    )
                    if step >= 3:
                        table.setStyle([("TEXTCOLOR", (col, r), (col, r), colors.white)])
        return table

    def _item(self, item: ReportItem) -> list:
        s = self.styles
        header = ["Grupo", "n"]
        for head in RATING_HEADS:
            header += [f"{head}<br/>media", "% 4–5"]
        rows = [
            [
                _text(row.group),
                _text(row.respondents),
                *(_text(v) for cell in row.cells for v in cell),
            ]
            for row in item.rows
        ]
        parts = [
            Paragraph(
                f"{_text(item.code)} · {_text(item.title)} "
                f"<font color='#555555'>({_text(item.kind)})</font>",
                s["h3"],
            ),
            self.grid(header, rows, (30, 7, *([9] * 8))),
        ]
        verdicts = [f"{_text(site)}: {_text(text)}" for site, text in item.verdicts if text]
        if verdicts:
            parts.append(Paragraph("Talleres: " + " · ".join(verdicts), s["body"]))
        return parts

    def _findings(self, c: ReportContent) -> list:
        s = self.styles
        out = []
        for number, f in enumerate(c.findings, start=1):
            lines = [
                f"<b>Sobre:</b> {_text(', '.join(f.items) or '—')}",
                f"<b>Etiquetas:</b> {_text(', '.join(f.tags) or '—')}",
                f"<b>Evidencia:</b> {_text(f.evidence)}",
                f"<b>Decisión:</b> {_text(f.decision)}"
                + (f" — {_text(f.reason)}" if f.reason else "")
                + (f" <font color='#555555'>({_text(f.decided)})</font>" if f.decided else ""),
            ]
            for a in f.answers:
                state = "publicada" if a.published else "aún no publicada"
                changed = ", ".join(a.changed) or "sin cambios de contenido"
                when = a.created_at.strftime("%Y-%m-%d %H:%M")
                lines.append(
                    f"<b>Respondido por</b> la revisión n.º {a.revision_id} de "
                    f"«{_text(a.page_title)}» ({_text(when)}, {_text(a.author)}, {state}): "
                    f"cambió {_text(changed)}."
                )
            out.append(
                KeepTogether(
                    [Paragraph(f"{number}. {_text(f.title)}", s["h3"])]
                    + [Paragraph(line, s["body"]) for line in lines]
                )
            )
        return out
