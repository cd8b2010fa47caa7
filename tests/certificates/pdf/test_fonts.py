"""The embedded fonts print every name as written: Latin Extended letters are in the font, and
a character the font lacks falls back to something visible, never to its missing-glyph box.

The raster tests render with pdftoppm (Debian's poppler-utils; CI installs it) and compare each
letter's pixels with those of the font's own missing-glyph box."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from PIL import Image, ImageChops
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas as rl_canvas

from certificates.pdf import fonts
from certificates.pdf.fonts import (
    FONT_BOLD,
    FONT_ITALIC,
    FONT_REGULAR,
    REPLACEMENT,
    coverage,
    printable,
    register_fonts,
)

LETTERS = "ʼñüÃẽĩ"
CELL = 100  # points per character cell; rendered at 72 dpi, so pixels too


def require_pdftoppm() -> str:
    binary = shutil.which("pdftoppm")
    if binary is None:
        reason = "pdftoppm not found: install Debian's poppler-utils"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return binary


def raster(draw) -> Image.Image:
    """Draw on a one-row page of cells and render it to a grey image at 72 dpi."""
    buffer = io.BytesIO()
    c = rl_canvas.Canvas(buffer, pagesize=(CELL * 8, CELL), invariant=1)
    draw(c)
    c.showPage()
    c.save()
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "page.pdf"
        pdf.write_bytes(buffer.getvalue())
        subprocess.run(
            [require_pdftoppm(), "-r", "72", "-png", "-singlefile", str(pdf), str(pdf)[:-4]],
            capture_output=True,
            check=True,
        )
        return Image.open(Path(folder) / "page.png").convert("L")


def cell(image: Image.Image, index: int) -> Image.Image:
    return image.crop((index * CELL, 0, (index + 1) * CELL, CELL))


def ink(image: Image.Image) -> int:
    """Dark pixels."""
    return sum(image.histogram()[:128])


def differs(a: Image.Image, b: Image.Image) -> int:
    """Pixels that clearly differ between two images."""
    return sum(ImageChops.difference(a, b).histogram()[65:])


@pytest.fixture(scope="module")
def missing_glyph_box() -> Image.Image:
    """What the font draws for a character it lacks when nothing catches it: the same embedded
    font with the fallback switched off, asked for CJK U+4E00 (its .notdef glyph)."""
    register_fonts()
    assert 0x4E00 not in coverage(FONT_REGULAR)

    def draw(c):
        c.setFont(FONT_REGULAR, 72)
        c.drawString(14, 22, "\u4e00")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fonts, "printable", lambda text, coverage: text)
        box = cell(raster(draw), 0)
    assert ink(box) > 100  # the box is drawn: the comparison below means something
    return box


@pytest.mark.parametrize("font", [FONT_REGULAR, FONT_BOLD, FONT_ITALIC])
def test_each_font_covers_the_letters_of_andean_and_amazonian_names(font):
    assert {ord(letter) for letter in LETTERS} <= coverage(font)


@pytest.mark.parametrize("font", [FONT_REGULAR, FONT_BOLD, FONT_ITALIC])
def test_the_letters_render_as_glyphs_not_as_the_missing_glyph_box(font, missing_glyph_box):
    def draw(c):
        c.setFont(font, 72)
        for index, letter in enumerate(LETTERS):
            c.drawString(index * CELL + 14, 22, letter)

    image = raster(draw)
    for index, letter in enumerate(LETTERS):
        drawn = cell(image, index)
        assert ink(drawn) > 30, letter
        assert differs(drawn, missing_glyph_box) > 200, f"{letter!r} looks like the box"


def test_a_character_the_font_lacks_prints_visibly_never_as_the_box(missing_glyph_box):
    register_fonts()

    def draw(c):
        c.setFont(FONT_REGULAR, 72)
        c.drawString(14, 22, "\u4e00")  # through the platform's font: falls back

    drawn = cell(raster(draw), 0)
    assert ink(drawn) > 30
    assert differs(drawn, missing_glyph_box) > 200


def test_the_fallback_decomposes_strips_marks_or_replaces_in_that_order():
    covered = coverage(FONT_REGULAR)
    assert printable("Qʼispe Tsẽĩ", covered) == "Qʼispe Tsẽĩ"
    assert printable("e\u0303", covered) == "ẽ"  # composed first (NFC)
    assert printable("x\u4e00y", covered) == f"x{REPLACEMENT}y"
    lacking = covered - {ord("ẽ")}
    assert printable("ẽ", lacking) == "e\u0303"
    assert printable("ẽ", lacking - {0x0303}) == "e"


def test_text_is_measured_as_it_is_drawn():
    register_fonts()
    assert pdfmetrics.stringWidth("\u4e00", FONT_REGULAR, 12) == pdfmetrics.stringWidth(
        REPLACEMENT, FONT_REGULAR, 12
    )
