"""The platform's A4 record documents (the acta de cumplimiento, the informe de validación):
house styles, tables that run over pages, a facts table and the page furniture.

A document renderer turns frozen content into a story of reportlab flowables; this base class
lays it out on A4 portrait pages with a rule and a running header above, and the producing
line and the page number below. Subclasses write :meth:`story` and name the running texts::

    class ReportRenderer(DocumentPdfRenderer):
        def story(self, content): ...
        def running_header(self, content): return ("Informe · Ronda 3", "MPV-01 v1.0")
        def running_footer(self, content): return "Producido el … por …"

Fixed phrases of these records are Spanish, whatever the language of the interface: they are
formal records, written in the subclasses rather than in the gettext catalogue.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Table, TableStyle

from certificates.pdf.base import ACCENT, INK, MUTED, PdfRenderer
from certificates.pdf.fonts import FONT_BOLD, FONT_ITALIC, FONT_REGULAR

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 15 * mm
GRID = colors.HexColor("#B9A7BA")
HEADER_BG = colors.HexColor("#F1EAF1")
# SimpleDocTemplate's frame keeps 6 pt of padding on each side.
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN - 12


def widths(*parts: float) -> list[float]:
    """Column widths in proportion to ``parts``, filling the width of the frame."""
    total = sum(parts)
    return [CONTENT_WIDTH * part / total for part in parts]


def text(value: object) -> str:
    """A value as paragraph text: markup characters escaped."""
    return escape(str(value))


@dataclass(frozen=True)
class DocumentInfo:
    """The PDF's own metadata (what a viewer shows under "properties")."""

    title: str
    author: str
    subject: str


class DocumentPdfRenderer(PdfRenderer):
    """Base of the A4 portrait records: styles, grid tables, facts, page furniture."""

    def __init__(self) -> None:
        super().__init__()
        self.styles = {
            "title": ParagraphStyle(
                "title", fontName=FONT_BOLD, fontSize=18, leading=22, textColor=ACCENT
            ),
            "subtitle": ParagraphStyle(
                "subtitle", fontName=FONT_REGULAR, fontSize=11, leading=14, textColor=INK
            ),
            "h2": ParagraphStyle(
                "h2",
                fontName=FONT_BOLD,
                fontSize=11.5,
                leading=14,
                textColor=ACCENT,
                spaceBefore=10,
                spaceAfter=4,
            ),
            "h3": ParagraphStyle(
                "h3",
                fontName=FONT_BOLD,
                fontSize=9.5,
                leading=12,
                textColor=INK,
                spaceBefore=6,
                spaceAfter=2,
            ),
            "body": ParagraphStyle(
                "body", fontName=FONT_REGULAR, fontSize=8.5, leading=11, textColor=INK
            ),
            "label": ParagraphStyle(
                "label", fontName=FONT_BOLD, fontSize=8.5, leading=11, textColor=INK
            ),
            "cell": ParagraphStyle(
                "cell", fontName=FONT_REGULAR, fontSize=7.5, leading=9.2, textColor=INK
            ),
            "head": ParagraphStyle(
                "head", fontName=FONT_BOLD, fontSize=7.5, leading=9.2, textColor=INK
            ),
            "note": ParagraphStyle(
                "note", fontName=FONT_ITALIC, fontSize=7.5, leading=9.5, textColor=MUTED
            ),
        }

    # What subclasses provide ------------------------------------------------------------------

    def story(self, content) -> list:
        raise NotImplementedError

    def info(self, content) -> DocumentInfo:
        raise NotImplementedError

    def running_header(self, content) -> tuple[str, str]:
        """Texts above the top rule, left and right."""
        raise NotImplementedError

    def running_footer(self, content) -> str:
        """Text below the bottom rule, left (the page number goes on the right)."""
        raise NotImplementedError

    def page_label(self, content, page: int) -> str:
        """The page number's text, bottom right (a record in the reader's language says it so)."""
        return f"Página {page}"

    # Layout -----------------------------------------------------------------------------------

    def render_bytes(self, content) -> bytes:
        buffer = io.BytesIO()
        info = self.info(content)
        doc = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN + 6 * mm,
            bottomMargin=MARGIN + 6 * mm,
            title=info.title,
            author=info.author,
            subject=info.subject,
            creator="CEM Formación",
            initialFontName=FONT_REGULAR,
        )

        def decorate(canvas, document) -> None:
            self.draw_page_frame(canvas, document, content)

        doc.build(self.story(content), onFirstPage=decorate, onLaterPages=decorate)
        return buffer.getvalue()

    def grid_style(self) -> TableStyle:
        return TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT_REGULAR),
                ("GRID", (0, 0), (-1, -1), 0.4, GRID),
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )

    def row(self, values, style: str = "cell") -> list[Paragraph]:
        """Cells of paragraph markup (escape plain values with :func:`text`)."""
        return [Paragraph(v, self.styles[style]) for v in values]

    def grid(self, header: list[str], rows: list[list[str]], parts: tuple[float, ...]) -> LongTable:
        """A table with a header row repeated on every page; cells are paragraph markup."""
        data = [self.row(header, "head"), *(self.row(r) for r in rows)]
        table = LongTable(data, colWidths=widths(*parts), repeatRows=1)
        table.setStyle(self.grid_style())
        return table

    def facts(self, rows: list[tuple[str, str]], label_width: float = 38 * mm) -> Table:
        """Label and value pairs, plain text, in two columns without rules."""
        s = self.styles
        data = [[Paragraph(text(k), s["label"]), Paragraph(text(v), s["body"])] for k, v in rows]
        table = Table(data, colWidths=[label_width, CONTENT_WIDTH - label_width])
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), FONT_REGULAR),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                    ("TOPPADDING", (0, 0), (-1, -1), 1),
                ]
            )
        )
        return table

    def draw_page_frame(self, canvas, document, content) -> None:
        left, right = MARGIN + 6, PAGE_WIDTH - MARGIN - 6  # aligned with the frame's content
        top, bottom = PAGE_HEIGHT - MARGIN, MARGIN
        header_left, header_right = self.running_header(content)
        canvas.saveState()
        canvas.setStrokeColor(ACCENT)
        canvas.setLineWidth(0.8)
        canvas.line(left, top, right, top)
        canvas.line(left, bottom + 10, right, bottom + 10)
        canvas.setFillColor(MUTED)
        canvas.setFont(FONT_REGULAR, 7.5)
        canvas.drawString(left, top + 3, header_left)
        canvas.drawRightString(right, top + 3, header_right)
        canvas.drawString(left, bottom, self.running_footer(content))
        canvas.drawRightString(right, bottom, self.page_label(content, document.page))
        canvas.restoreState()
