"""PDF rendering of certificates, independent of the Django models.

The renderer works from a frozen, plain :class:`CertificateContent` so it can run anywhere (a
request, a Celery task, a benchmark) without touching the database::

    filename, content_type, data = CertificatePdfRenderer().render(content)

Output is deterministic: the same content always gives byte-identical PDFs (reportlab's
``invariant`` mode fixes the creation date and the document ID).

Performance notes (cProfile; figures from ``bench/certificates_render.py`` on a 2-core box):
a plain reportlab page with ``QrCodeWidget`` renders ~30 certificates/s, this module ~150/s,
thanks to the toolkit in :mod:`certificates.pdf`: the QR code drawn as one path
(:mod:`certificates.pdf.qr`) and font subsets memoised per process
(:mod:`certificates.pdf.fonts`). What is left in ``save()`` (~2 ms) is reportlab's object
serialisation: ``fp_str`` for the font width arrays and ASCII85 for the page stream, pure
Python unless reportlab's optional C accelerator (``rl_accel`` on PyPI) is installed (~+10%).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas as rl_canvas

from certificates.pdf.base import ACCENT, CONTENT_TYPE, INK, MUTED, RULE, PdfRenderer
from certificates.pdf.filenames import filename_part, safe_filename
from certificates.pdf.fonts import FONT_BOLD, FONT_ITALIC, FONT_REGULAR
from certificates.pdf.qr import draw_qr_matrix, qr_matrix
from certificates.pdf.text import ellipsize, fit_block, fit_size, format_date

__all__ = ["CONTENT_TYPE", "CertificateContent", "CertificatePdfRenderer", "certificate_filename"]

LANGUAGES = ("es", "en")
STATUSES = ("valid", "revoked", "superseded")
# The stamp across a certificate that is no longer valid.
STAMPS = {"revoked": "revoked", "superseded": "superseded"}

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)

WATERMARK = Color(0.78, 0.0, 0.0, alpha=0.28)

# --------------------------------------------------------------------------------------------
# Fixed phrases
# --------------------------------------------------------------------------------------------

PHRASES: dict[str, dict[str, str]] = {
    "es": {
        "title": "Certificado de participación",
        "awarded_to": "otorgado a",
        "for_completing": "por haber completado el curso",
        "course_code": "Código del curso",
        "curriculum_version": "versión del currículo",
        "hours_one": "{n} hora académica",
        "hours_many": "{n} horas académicas",
        "duration": "con una duración de {hours}",
        "cohort": "realizado del {start} al {end}",
        "place": "en {site} — {cem}",
        "accredited_by": "Acreditado por {institution}",
        "issued_by": "Emitido por {issuer}",
        "issued_on": "Fecha de emisión: {date}",
        "verification_code": "Código de verificación",
        "verify_at": "Verifique este certificado en {url}",
        "revoked": "REVOCADO",
        "superseded": "REEMPLAZADO",
        "name_withheld": "Nombre reservado a pedido de la persona titular",
        "pdf_subject": "Certificado de {course}",
    },
    "en": {
        "title": "Certificate of completion",
        "awarded_to": "awarded to",
        "for_completing": "for having completed the course",
        "course_code": "Course code",
        "curriculum_version": "curriculum version",
        "hours_one": "{n} credit hour",
        "hours_many": "{n} credit hours",
        "duration": "with a duration of {hours}",
        "cohort": "held from {start} to {end}",
        "place": "at {site} — {cem}",
        "accredited_by": "Accredited by {institution}",
        "issued_by": "Issued by {issuer}",
        "issued_on": "Date of issue: {date}",
        "verification_code": "Verification code",
        "verify_at": "Verify this certificate at {url}",
        "revoked": "REVOKED",
        "superseded": "SUPERSEDED",
        "name_withheld": "Name withheld at the holder's request",
        "pdf_subject": "Certificate for {course}",
    },
}

# --------------------------------------------------------------------------------------------
# Content
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CertificateContent:
    """Everything printed on a certificate, already resolved to plain values."""

    full_name: str
    participant_code: str
    course_title: str
    course_code: str
    curriculum_version: str
    credit_hours: int
    accrediting_institution: str
    issuer: str
    site_name: str
    cem_name: str
    cohort_start: date
    cohort_end: date
    issued_on: date
    signatories: tuple[tuple[str, str], ...]
    verification_code: str
    verification_url: str
    language: str = "es"
    status: str = "valid"
    # The holder asked for her name to be erased: a phrase says so where the name would be.
    name_withheld: bool = False

    def __post_init__(self) -> None:
        if self.language not in LANGUAGES:
            raise ValueError(f"language must be one of {LANGUAGES}, not {self.language!r}")
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, not {self.status!r}")
        if not self.verification_url:
            raise ValueError("verification_url is required")
        # Accept any iterable of pairs but store an immutable, hashable tuple of tuples.
        object.__setattr__(
            self, "signatories", tuple((str(name), str(role)) for name, role in self.signatories)
        )


# --------------------------------------------------------------------------------------------
# Renderer
# --------------------------------------------------------------------------------------------


def certificate_filename(code: str) -> str:
    """``certificado-7KQ2-9XMP-4TRA-WC3H.pdf``: the PDF's name, stored and downloaded alike."""
    return safe_filename("certificado", filename_part(code) or "sin-codigo", extension="pdf")


class CertificatePdfRenderer(PdfRenderer):
    """Renders a :class:`CertificateContent` to a one-page A4 landscape PDF."""

    page_size = (PAGE_WIDTH, PAGE_HEIGHT)
    qr_size = 96.0

    def filename(self, content: CertificateContent) -> str:
        return certificate_filename(content.verification_code)

    def render_bytes(self, content: CertificateContent) -> bytes:
        buffer = io.BytesIO()
        c = rl_canvas.Canvas(
            buffer,
            pagesize=self.page_size,
            invariant=1,
            pageCompression=1,
            initialFontName=FONT_REGULAR,
            initialFontSize=12,
            lang="es-PE" if content.language == "es" else "en",
        )
        self.draw(c, content)
        c.showPage()
        c.save()
        return buffer.getvalue()

    # Drawing ------------------------------------------------------------------------------

    def draw(self, c: rl_canvas.Canvas, content: CertificateContent) -> None:
        """Draw the certificate on the current page of ``c``."""
        t = PHRASES[content.language]
        lang = content.language
        width, height = self.page_size
        cx = width / 2
        text_width = width - 200

        holder = t["name_withheld"] if content.name_withheld else content.full_name
        name_font = FONT_ITALIC if content.name_withheld else FONT_BOLD
        c.setTitle(f"{t['title']} — {holder}")
        c.setAuthor(content.issuer)
        c.setSubject(t["pdf_subject"].format(course=content.course_title))
        c.setCreator("CEM Formación")

        self._draw_frame(c, width, height)

        # Header.
        c.setFillColor(MUTED)
        c.setFont(FONT_REGULAR, 11)
        c.drawCentredString(
            cx, height - 72, ellipsize(content.issuer, FONT_REGULAR, 11, text_width)
        )
        c.setFillColor(ACCENT)
        c.setFont(FONT_BOLD, 30)
        c.drawCentredString(cx, height - 115, t["title"])

        # Participant.
        c.setFillColor(INK)
        c.setFont(FONT_ITALIC, 13)
        c.drawCentredString(cx, height - 150, t["awarded_to"])
        # A long name shrinks, then takes two lines, and never leaves the frame.
        name_size, name_lines = fit_block(
            holder,
            name_font,
            text_width,
            size=32,
            min_size=18,
            wrapped_size=20,
            min_wrapped_size=11,
        )
        c.setFont(name_font, name_size)
        if len(name_lines) == 1:
            c.drawCentredString(cx, height - 192, name_lines[0])
        else:
            c.drawCentredString(cx, height - 196 + name_size * 1.15, name_lines[0])
            c.drawCentredString(cx, height - 196, name_lines[1])
        c.setStrokeColor(RULE)
        c.setLineWidth(0.6)
        c.line(cx - 220, height - 202, cx + 220, height - 202)

        # Course.
        c.setFont(FONT_ITALIC, 13)
        c.drawCentredString(cx, height - 228, t["for_completing"])
        title_size, title_lines = self._course_title_lines(content.course_title, text_width)
        c.setFillColor(ACCENT)
        c.setFont(FONT_BOLD, title_size)
        y = height - 256
        for line in title_lines:
            c.drawCentredString(cx, y, line)
            y -= title_size * 1.2
        if len(title_lines) == 1:
            y -= title_size * 0.3

        # Details.
        hours_key = "hours_one" if content.credit_hours == 1 else "hours_many"
        hours = t[hours_key].format(n=content.credit_hours)
        details = (
            f"{t['course_code']}: {content.course_code} · "
            f"{t['curriculum_version']}: {content.curriculum_version} · "
            + t["duration"].format(hours=hours),
            t["cohort"].format(
                start=format_date(content.cohort_start, lang),
                end=format_date(content.cohort_end, lang),
            ),
            t["place"].format(site=content.site_name, cem=content.cem_name),
            t["accredited_by"].format(institution=content.accrediting_institution),
        )
        c.setFillColor(INK)
        y -= 6
        for line in details:
            size = fit_size(line, FONT_REGULAR, 11.5, text_width, 8)
            c.setFont(FONT_REGULAR, size)
            c.drawCentredString(cx, y, ellipsize(line, FONT_REGULAR, size, text_width))
            y -= 17
        c.setFillColor(MUTED)
        c.setFont(FONT_ITALIC, 10)
        c.drawCentredString(
            cx, y - 2, t["issued_on"].format(date=format_date(content.issued_on, lang))
        )

        self._draw_signatures(c, content.signatories, width)
        self._draw_verification(c, content, t, width)

        if content.status in STAMPS:
            self._draw_watermark(c, t[STAMPS[content.status]], width, height)

    def draw_qr(self, c: rl_canvas.Canvas, url: str, x: float, y: float, size: float) -> None:
        """Draw the QR code encoding ``url``, lower-left corner at (x, y), ``size`` wide."""
        draw_qr_matrix(c, qr_matrix(url), x, y, size)

    def _draw_frame(self, c: rl_canvas.Canvas, width: float, height: float) -> None:
        c.setStrokeColor(ACCENT)
        c.setLineWidth(2.5)
        c.rect(20, 20, width - 40, height - 40, stroke=1, fill=0)
        c.setStrokeColor(RULE)
        c.setLineWidth(0.75)
        c.rect(28, 28, width - 56, height - 56, stroke=1, fill=0)

    def _course_title_lines(self, title: str, max_width: float) -> tuple[float, list[str]]:
        """Course title on at most 2 lines: shrink a little, then ellipsize the second line."""
        title = " ".join(title.split())
        for size in (19, 17, 15):
            lines = simpleSplit(title, FONT_BOLD, size, max_width)
            if len(lines) <= 2:
                return size, lines
        first = lines[0]
        rest = title[len(first) :].strip()
        return size, [first, ellipsize(rest, FONT_BOLD, size, max_width)]

    def _draw_signatures(
        self, c: rl_canvas.Canvas, signatories: tuple[tuple[str, str], ...], page_width: float
    ) -> None:
        # Signatures share the area left of the QR code; two lines by default.
        slots = list(signatories[:3]) or [("", ""), ("", "")]
        area_left, area_right = 60.0, page_width - 200
        slot_width = (area_right - area_left) / len(slots)
        line_width = min(200.0, slot_width - 30)
        baseline = 112
        c.setStrokeColor(INK)
        c.setLineWidth(0.8)
        for index, (name, role) in enumerate(slots):
            x = area_left + slot_width * (index + 0.5)
            c.line(x - line_width / 2, baseline, x + line_width / 2, baseline)
            c.setFillColor(INK)
            size = fit_size(name, FONT_BOLD, 10.5, line_width + 20, 7)
            c.setFont(FONT_BOLD, size)
            c.drawCentredString(x, baseline - 14, name)
            c.setFillColor(MUTED)
            size = fit_size(role, FONT_ITALIC, 9, line_width + 20, 6.5)
            c.setFont(FONT_ITALIC, size)
            c.drawCentredString(x, baseline - 26, role)

    def _draw_verification(
        self, c: rl_canvas.Canvas, content: CertificateContent, t: dict[str, str], width: float
    ) -> None:
        size = self.qr_size
        qr_x = width - 56 - size
        qr_y = 62
        qr_cx = qr_x + size / 2
        self.draw_qr(c, content.verification_url, qr_x, qr_y, size)
        c.setFillColor(MUTED)
        c.setFont(FONT_REGULAR, 8)
        c.drawCentredString(qr_cx, qr_y + size + 27, t["verification_code"])
        c.setFillColor(INK)
        c.setFont(FONT_BOLD, 11)
        c.drawCentredString(qr_cx, qr_y + size + 13, content.verification_code)

        line = t["verify_at"].format(url=content.verification_url)
        max_width = width - 120
        text_size = fit_size(line, FONT_REGULAR, 8.5, max_width, 5.5)
        c.setFillColor(MUTED)
        c.setFont(FONT_REGULAR, text_size)
        c.drawCentredString(width / 2, 40, line)

    def _draw_watermark(self, c: rl_canvas.Canvas, text: str, width: float, height: float) -> None:
        c.saveState()
        c.translate(width / 2, height / 2)
        c.rotate(32)
        c.setFillColor(WATERMARK)
        c.setStrokeColor(WATERMARK)
        c.setLineWidth(4)
        size = fit_size(text, FONT_BOLD, 120, width * 0.85, 40)
        c.setFont(FONT_BOLD, size)
        c.drawCentredString(0, -size * 0.35, text)
        text_width = pdfmetrics.stringWidth(text, FONT_BOLD, size)
        pad = size * 0.25
        c.roundRect(
            -text_width / 2 - pad,
            -size * 0.35 - pad,
            text_width + 2 * pad,
            size * 0.73 + 2 * pad,
            radius=12,
            stroke=1,
            fill=0,
        )
        c.restoreState()
