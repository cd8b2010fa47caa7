"""PDF rendering of certificates, independent of the Django models.

The renderer works from a frozen, plain :class:`CertificateContent` so it can run anywhere (a
request, a Celery task, a benchmark) without touching the database::

    filename, content_type, data = CertificatePdfRenderer().render(content)

Output is deterministic: the same content always gives byte-identical PDFs (reportlab's
``invariant`` mode fixes the creation date and the document ID).

Performance notes (cProfile; figures from ``bench/certificates_render.py`` on a 2-core box):
a plain reportlab page with ``QrCodeWidget`` renders ~30 certificates/s, this module ~150/s.

* QR code: ``QrCodeWidget`` computes the matrix in pure Python and draws it through the
  Drawing/renderPDF machinery, one rectangle per dark module. Here the matrix comes from
  ``segno`` (~3.6 ms, mostly its evaluation of the 8 masks, now the largest cost) and is drawn
  as ONE path of horizontal run-length merged rectangles in module units, written with
  ``addLiteral`` (``beginPath().rect()`` formats each number through ``fp_str``: ~1.2 ms).
* Fonts: embedding TrueType fonts means that every ``save()`` builds a subset of each font
  (``makeSubset``: ~0.45 ms per font) and zlib-compresses it (~0.55 ms per font). Both are
  pure functions of the subset's code points, so they are memoised per process, and every
  document's subsets start with the same seed of Spanish letters (:data:`SUBSET_SEED`) so that
  the subset, hence the memo key, hardly ever changes from one certificate to the next.
  The PDF bytes are the ones plain reportlab produces for the same subsets.
* What is left in ``save()`` (~2 ms) is reportlab's object serialisation: ``fp_str`` for the
  font width arrays and ASCII85 for the page stream, pure Python unless reportlab's optional
  C accelerator (``rl_accel`` on PyPI) is installed (~+10%).
"""

from __future__ import annotations

import io
import os
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date

import reportlab
import segno
from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import PDFArray, PDFName, PDFStream, PDFZCompress
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace
from reportlab.pdfgen import canvas as rl_canvas

__all__ = [
    "CONTENT_TYPE",
    "CertificateContent",
    "CertificatePdfRenderer",
    "FONT_BOLD",
    "FONT_ITALIC",
    "FONT_REGULAR",
    "SUBSET_SEED",
    "clear_font_caches",
    "draw_qr_matrix",
    "format_date",
    "qr_matrix",
    "qr_path_operators",
    "qr_runs",
    "register_fonts",
]

CONTENT_TYPE = "application/pdf"

LANGUAGES = ("es", "en")
STATUSES = ("valid", "revoked")

FONT_REGULAR = "CertSans"
FONT_BOLD = "CertSans-Bold"
FONT_ITALIC = "CertSans-Italic"

_FONT_FILES = {
    FONT_REGULAR: "Vera.ttf",
    FONT_BOLD: "VeraBd.ttf",
    FONT_ITALIC: "VeraIt.ttf",
}

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)

# Colours.
INK = HexColor("#222222")
ACCENT = HexColor("#5B1F5E")
MUTED = HexColor("#555555")
RULE = HexColor("#8E6C8F")
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
        "pdf_subject": "Certificate for {course}",
    },
}

MONTHS: dict[str, tuple[str, ...]] = {
    "es": (
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}


def format_date(value: date, language: str) -> str:
    """``15 de marzo de 2026`` (es) or ``15 March 2026`` (en), independent of the locale."""
    month = MONTHS[language][value.month - 1]
    if language == "es":
        return f"{value.day} de {month} de {value.year}"
    return f"{value.day} {month} {value.year}"


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
# Fonts
# --------------------------------------------------------------------------------------------

_fonts_lock = threading.Lock()
_fonts_registered = False


class _LruCache:
    """Small thread-safe LRU memo (bounded, so a long-lived worker cannot grow without limit)."""

    def __init__(self, maxsize: int = 256):
        self._maxsize = maxsize
        self._data: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get_or_make(self, key, make):
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
        value = make()
        with self._lock:
            self._data[key] = value
            if len(self._data) > self._maxsize:
                self._data.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._data.clear()

    def __len__(self) -> int:
        return len(self._data)


# Keyed by (font file, tuple of code points in the subset).
_SUBSET_CACHE = _LruCache()
_COMPRESSED_SUBSET_CACHE = _LruCache()


def clear_font_caches() -> None:
    """Forget the memoised font subsets (used by tests to compare cold and warm renders)."""
    _SUBSET_CACHE.clear()
    _COMPRESSED_SUBSET_CACHE.clear()


class _CachingTTFontFace(TTFontFace):
    """A ``TTFontFace`` that memoises its subsets and their Flate-compressed bytes.

    reportlab rebuilds each embedded subset at ``save()`` (``makeSubset``: glyph table walk,
    new ``glyf``/``loca``/``hmtx``, checksums) and then zlib-compresses it, for every document.
    With ``asciiReadable`` subsets (ASCII plus the few accented letters used, in order of first
    use) the subset hardly varies between certificates, so both steps are memoised per
    process. Both are pure functions of the subset, so the PDF bytes are unchanged.
    """

    def makeSubset(self, subset):
        key = (self.filename, tuple(subset))
        return _SUBSET_CACHE.get_or_make(key, lambda: TTFontFace.makeSubset(self, subset))

    def addSubsetObjects(self, doc, fontname, subset):
        ref = super().addSubsetObjects(doc, fontname, subset)
        if not doc.compression:
            return ref
        # Find the FontFile2 stream reportlab just registered and hand it pre-compressed bytes;
        # PDFStream.format() skips its filters when the dictionary already has /Filter.
        descriptor = doc.idToObject.get(getattr(ref, "name", None))
        file_ref = getattr(descriptor, "dict", {}).get("FontFile2")
        stream = doc.idToObject.get(getattr(file_ref, "name", None))
        if (
            isinstance(stream, PDFStream)
            and stream.filters == [PDFZCompress]
            and "Filter" not in stream.dictionary.dict
        ):
            raw = stream.content
            key = (self.filename, tuple(subset))
            stream.content = _COMPRESSED_SUBSET_CACHE.get_or_make(
                key, lambda: PDFZCompress.encode(raw)
            )
            stream.dictionary["Filter"] = PDFArray([PDFName(PDFZCompress.pdfname)])
        return ref


# Characters pre-assigned, in this order, in every document's font subsets (after ASCII, which
# reportlab's asciiReadable subsets always hold). Spanish names and titles then produce the same
# subset for every certificate, so the memo above hits instead of growing with each new
# combination of accented letters (costs ~1 KiB per font per PDF).
SUBSET_SEED = "áéíóúÁÉÍÓÚñÑüÜ¿¡—·…“”‘’«»"


class _CertificateFont(TTFont):
    """``TTFont`` with a caching face and a fixed prefix for each document's subsets."""

    def __init__(self, name: str, filename: str):
        super().__init__(name, filename)
        # Same face object, only the two memoised methods change (no extra state).
        self.face.__class__ = _CachingTTFontFace

    def splitString(self, text, doc, encoding="utf-8"):
        if doc not in self.state:
            super().splitString(SUBSET_SEED, doc)
        return super().splitString(text, doc, encoding)


def register_fonts() -> None:
    """Register the embedded TrueType fonts once per process (thread-safe)."""
    global _fonts_registered
    if _fonts_registered:
        return
    with _fonts_lock:
        if _fonts_registered:
            return
        font_dir = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
        registered = set(pdfmetrics.getRegisteredFontNames())
        for name, filename in _FONT_FILES.items():
            if name not in registered:
                pdfmetrics.registerFont(_CertificateFont(name, os.path.join(font_dir, filename)))
        _fonts_registered = True


# --------------------------------------------------------------------------------------------
# QR code
# --------------------------------------------------------------------------------------------


def qr_matrix(url: str) -> tuple[tuple[bool, ...], ...]:
    """Module matrix of the QR code for ``url`` (rows top to bottom, True = dark, no border)."""
    qr = segno.make(url, error="m", micro=False)
    return tuple(tuple(bool(module) for module in row) for row in qr.matrix)


def qr_runs(matrix) -> tuple[tuple[int, int, int], ...]:
    """Horizontal runs of dark modules as ``(row, column, length)``, row 0 being the top."""
    runs = []
    for row_index, row in enumerate(matrix):
        start = None
        for col, dark in enumerate(row):
            if dark:
                if start is None:
                    start = col
            elif start is not None:
                runs.append((row_index, start, col - start))
                start = None
        if start is not None:
            runs.append((row_index, start, len(row) - start))
    return tuple(runs)


def qr_path_operators(runs) -> str:
    """PDF path operators (``x y w h re``) for ``runs``, in module units, y pointing down."""
    return "\n".join([f"{col} {row} {length} 1 re" for row, col, length in runs])


def draw_qr_matrix(c: rl_canvas.Canvas, matrix, x: float, y: float, size: float) -> None:
    """Draw a QR ``matrix`` with its lower-left corner at (x, y), ``size`` points wide.

    All dark modules form ONE path (a rectangle per horizontal run of dark modules) filled
    once. The coordinates are module units (small integers) under a scaling transform, so the
    operators are written directly with ``addLiteral``: ``beginPath().rect()`` would format
    every number through reportlab's pure-Python ``fp_str`` (~1.2 ms for a 37×37 symbol).
    The caller keeps a quiet zone (4 modules) free around the symbol.
    """
    module = size / len(matrix)
    c.saveState()
    c.setFillColorRGB(0, 0, 0)
    # Module coordinates: origin at the top-left corner of the symbol, y downwards.
    c.transform(module, 0, 0, -module, x, y + size)
    c.addLiteral(qr_path_operators(qr_runs(matrix)) + "\nf")
    c.restoreState()


# --------------------------------------------------------------------------------------------
# Renderer
# --------------------------------------------------------------------------------------------

_FILENAME_UNSAFE = re.compile(r"[^A-Za-z0-9-]+")


def _fit_size(text: str, font: str, size: float, max_width: float, min_size: float) -> float:
    """Largest font size <= ``size`` (>= ``min_size``) at which ``text`` fits ``max_width``."""
    width = pdfmetrics.stringWidth(text, font, size)
    if width <= max_width:
        return size
    return max(min_size, size * max_width / width)


def _ellipsize(text: str, font: str, size: float, max_width: float) -> str:
    if pdfmetrics.stringWidth(text, font, size) <= max_width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > max_width:
        text = text[:-1]
    # Prefer cutting between words when that does not waste much of the line.
    space = text.rfind(" ")
    if space > len(text) * 0.6:
        text = text[:space]
    return text.rstrip(" ,;:·—-") + "…"


class CertificatePdfRenderer:
    """Renders a :class:`CertificateContent` to a one-page A4 landscape PDF."""

    content_type = CONTENT_TYPE
    page_size = (PAGE_WIDTH, PAGE_HEIGHT)
    qr_size = 96.0

    def __init__(self) -> None:
        register_fonts()

    # Public API ---------------------------------------------------------------------------

    def filename(self, content: CertificateContent) -> str:
        code = _FILENAME_UNSAFE.sub("-", content.verification_code).strip("-") or "sin-codigo"
        return f"certificado-{code}.pdf"

    def render(self, content: CertificateContent) -> tuple[str, str, bytes]:
        """Return ``(filename, content_type, pdf_bytes)``."""
        return self.filename(content), self.content_type, self.render_bytes(content)

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

        c.setTitle(f"{t['title']} — {content.full_name}")
        c.setAuthor(content.issuer)
        c.setSubject(t["pdf_subject"].format(course=content.course_title))
        c.setCreator("CEM Formación")

        self._draw_frame(c, width, height)

        # Header.
        c.setFillColor(MUTED)
        c.setFont(FONT_REGULAR, 11)
        c.drawCentredString(
            cx, height - 72, _ellipsize(content.issuer, FONT_REGULAR, 11, text_width)
        )
        c.setFillColor(ACCENT)
        c.setFont(FONT_BOLD, 30)
        c.drawCentredString(cx, height - 115, t["title"])

        # Participant.
        c.setFillColor(INK)
        c.setFont(FONT_ITALIC, 13)
        c.drawCentredString(cx, height - 150, t["awarded_to"])
        name_size = _fit_size(content.full_name, FONT_BOLD, 32, text_width, 16)
        c.setFont(FONT_BOLD, name_size)
        c.drawCentredString(
            cx, height - 192, _ellipsize(content.full_name, FONT_BOLD, name_size, text_width)
        )
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
            size = _fit_size(line, FONT_REGULAR, 11.5, text_width, 8)
            c.setFont(FONT_REGULAR, size)
            c.drawCentredString(cx, y, _ellipsize(line, FONT_REGULAR, size, text_width))
            y -= 17
        c.setFillColor(MUTED)
        c.setFont(FONT_ITALIC, 10)
        c.drawCentredString(
            cx, y - 2, t["issued_on"].format(date=format_date(content.issued_on, lang))
        )

        self._draw_signatures(c, content.signatories, width)
        self._draw_verification(c, content, t, width)

        if content.status == "revoked":
            self._draw_watermark(c, t["revoked"], width, height)

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
        return size, [first, _ellipsize(rest, FONT_BOLD, size, max_width)]

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
            size = _fit_size(name, FONT_BOLD, 10.5, line_width + 20, 7)
            c.setFont(FONT_BOLD, size)
            c.drawCentredString(x, baseline - 14, name)
            c.setFillColor(MUTED)
            size = _fit_size(role, FONT_ITALIC, 9, line_width + 20, 6.5)
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
        text_size = _fit_size(line, FONT_REGULAR, 8.5, max_width, 5.5)
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
        size = _fit_size(text, FONT_BOLD, 120, width * 0.85, 40)
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
