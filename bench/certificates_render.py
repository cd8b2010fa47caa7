"""Benchmark of the certificate PDF renderer.

Run from the project root::

    .venv/bin/python bench/certificates_render.py [--count 500] [--baseline-count 50]

Renders distinct certificates (names, codes, URLs) with ``CertificatePdfRenderer``, then the
same layout the naive way (reportlab's ``QrCodeWidget`` drawn through ``renderPDF.draw`` and
plain reportlab font subsetting), and prints the rates and where the time goes.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import io
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reportlab.graphics import renderPDF  # noqa: E402
from reportlab.graphics.barcode.qr import QrCodeWidget  # noqa: E402
from reportlab.graphics.shapes import Drawing  # noqa: E402
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.ttfonts import TTFontFace  # noqa: E402
from reportlab.pdfgen import canvas as rl_canvas  # noqa: E402

from certificates.documents.certificate import CertificateContent, CertificatePdfRenderer  # noqa: E402
from certificates.pdf import fonts  # noqa: E402
from certificates.pdf.fonts import FONT_BOLD, FONT_ITALIC, FONT_REGULAR  # noqa: E402
from certificates.pdf.qr import draw_qr_matrix, qr_matrix  # noqa: E402

FIRST_NAMES = (
    "María", "José", "Ángela", "Ñusta", "Rocío", "Raúl", "Inés", "Jesús", "Lucía", "Túpac",
    "Sofía", "Martín", "Zoila", "Efraín", "Begoña", "Joaquín",
)  # fmt: skip
SURNAMES = (
    "Ñahui", "Suárez", "Quispe", "Huamán", "Peña", "Ibáñez", "Mamani", "Cáceres", "Condori",
    "Gómez", "Núñez", "Ríos", "Apaza", "Güémez", "Ticona", "Chávez",
)  # fmt: skip
COURSES = (
    "¿Qué es el consentimiento? ¡Hablemos! Pingüino",
    "Atención integral a víctimas de violencia familiar y sexual en los servicios del Estado",
    "Primeros auxilios psicológicos",
    "Enfoque de género, interculturalidad y derechos humanos en la atención de casos",
)
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def verification_code(index: int) -> str:
    value = index * 2654435761 % (32**16)
    chars = []
    for _ in range(16):
        value, digit = divmod(value, 32)
        chars.append(CODE_ALPHABET[digit])
    raw = "".join(chars)
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def make_contents(count: int) -> list[CertificateContent]:
    contents = []
    for i in range(count):
        first = FIRST_NAMES[i % len(FIRST_NAMES)]
        last1 = SURNAMES[(i // len(FIRST_NAMES)) % len(SURNAMES)]
        last2 = SURNAMES[(i // 256 + 5 * i + 3) % len(SURNAMES)]
        code = verification_code(i + 1)
        contents.append(
            CertificateContent(
                full_name=f"{first} {last1} {last2}",
                participant_code=f"P-{i:05d}",
                course_title=COURSES[i % len(COURSES)],
                course_code=f"CEM-{100 + i % len(COURSES)}",
                curriculum_version="2026.1",
                credit_hours=12 + 4 * (i % len(COURSES)),
                accrediting_institution="Ministerio de la Mujer y Poblaciones Vulnerables",
                issuer="Centro Emergencia Mujer — Programa de formación",
                site_name="Lima Centro",
                cem_name=f"CEM Comisaría {i % 40 + 1}",
                cohort_start=date(2026, 3, 2),
                cohort_end=date(2026, 3, 27),
                issued_on=date(2026, 3, 30),
                signatories=(
                    ("Rosa Quispe Huamán", "Coordinadora del programa"),
                    ("José Peña Ibáñez", "Director del CEM"),
                ),
                verification_code=code,
                verification_url=f"https://formacion.cem.gob.pe/certificados/verificar/{code}/",
                language="en" if i % 5 == 4 else "es",
                status="revoked" if i % 25 == 24 else "valid",
            )
        )
    assert len({c.full_name for c in contents}) == count, "names must be distinct"
    return contents


class NaiveQrRenderer(CertificatePdfRenderer):
    """Same layout, QR drawn with reportlab's QrCodeWidget through the Drawing machinery."""

    def draw_qr(self, c, url, x, y, size):
        widget = QrCodeWidget(url, barLevel="M", barBorder=0)
        x0, y0, x1, y1 = widget.getBounds()
        drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
        drawing.add(widget)
        renderPDF.draw(drawing, c, x, y)


class TimedRenderer(CertificatePdfRenderer):
    """The real renderer, with the QR steps timed separately."""

    def __init__(self):
        super().__init__()
        self.qr_matrix_seconds = 0.0
        self.qr_draw_seconds = 0.0

    def draw_qr(self, c, url, x, y, size):
        t0 = time.perf_counter()
        matrix = qr_matrix(url)
        t1 = time.perf_counter()
        draw_qr_matrix(c, matrix, x, y, size)
        t2 = time.perf_counter()
        self.qr_matrix_seconds += t1 - t0
        self.qr_draw_seconds += t2 - t1


@contextlib.contextmanager
def plain_reportlab_fonts():
    """Temporarily drop the subset memo: reportlab subsets and compresses on every save."""
    faces = [pdfmetrics.getFont(name).face for name in (FONT_REGULAR, FONT_BOLD, FONT_ITALIC)]
    classes = [face.__class__ for face in faces]
    try:
        for face in faces:
            face.__class__ = TTFontFace
        yield
    finally:
        for face, cls in zip(faces, classes, strict=True):
            face.__class__ = cls


def rate(renderer: CertificatePdfRenderer, contents: list[CertificateContent]) -> tuple[float, int]:
    gc.collect()
    total_bytes = 0
    start = time.perf_counter()
    for content in contents:
        total_bytes += len(renderer.render(content)[2])
    return time.perf_counter() - start, total_bytes


def split(contents: list[CertificateContent]) -> dict[str, float]:
    """Milliseconds per certificate for each step of the real renderer."""
    renderer = TimedRenderer()
    setup = draw = save = 0.0
    for content in contents:
        t0 = time.perf_counter()
        c = rl_canvas.Canvas(
            io.BytesIO(),
            pagesize=renderer.page_size,
            invariant=1,
            pageCompression=1,
            initialFontName=FONT_REGULAR,
        )
        t1 = time.perf_counter()
        renderer.draw(c, content)
        c.showPage()
        t2 = time.perf_counter()
        c.save()
        t3 = time.perf_counter()
        setup += t1 - t0
        draw += t2 - t1
        save += t3 - t2
    n = len(contents) / 1000
    qr = renderer.qr_matrix_seconds + renderer.qr_draw_seconds
    return {
        "QR matrix (segno)": renderer.qr_matrix_seconds / n,
        "QR path": renderer.qr_draw_seconds / n,
        "canvas setup": setup / n,
        "text & frame": (draw - qr) / n,
        "save (fonts, compression, xref)": save / n,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--baseline-count", type=int, default=50)
    args = parser.parse_args()

    contents = make_contents(args.count)
    renderer = CertificatePdfRenderer()
    renderer.render(contents[0])  # Register fonts, warm imports (as in a long-lived worker).

    seconds, size = rate(renderer, contents)
    fast = args.count / seconds
    print(
        f"renderer:  {args.count} certificates in {seconds:.2f} s = {fast:.0f} certificates/s "
        f"({seconds / args.count * 1000:.2f} ms each, {size / args.count / 1024:.0f} KiB avg)"
    )

    baseline_contents = contents[: args.baseline_count]
    naive = NaiveQrRenderer()
    with plain_reportlab_fonts():
        naive.render(baseline_contents[0])
        seconds, _ = rate(naive, baseline_contents)
        naive_rate = args.baseline_count / seconds
        print(
            f"baseline:  {args.baseline_count} certificates in {seconds:.2f} s = "
            f"{naive_rate:.0f} certificates/s (QrCodeWidget + renderPDF.draw, plain font "
            f"subsetting) -> renderer is {fast / naive_rate:.1f}x faster"
        )
        seconds, _ = rate(renderer, baseline_contents)
        print(
            f"ablation:  {args.baseline_count / seconds:.0f} certificates/s with the segno QR "
            "path but plain reportlab font subsetting (no subset memo)"
        )

    parts = split(contents)
    total = sum(parts.values())
    print(
        f"per certificate ({total:.2f} ms): "
        + ", ".join(f"{name} {ms:.2f} ms ({ms / total:.0%})" for name, ms in parts.items())
    )
    print(f"distinct font subsets memoised: {len(fonts._SUBSET_CACHE)}")


if __name__ == "__main__":
    main()
