"""Text on the page: dates in words whatever the locale, lines that fit, timestamps."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from reportlab.pdfbase import pdfmetrics

from certificates.pdf.fonts import FONT_BOLD, register_fonts
from certificates.pdf.text import ellipsize, fit_block, fit_size, format_date, format_timestamp


@pytest.mark.parametrize(
    ("value", "language", "expected"),
    [
        (date(2026, 3, 15), "es", "15 de marzo de 2026"),
        (date(2026, 3, 15), "en", "15 March 2026"),
        (date(2025, 1, 1), "es", "1 de enero de 2025"),
        (date(2025, 12, 31), "en", "31 December 2025"),
        (date(2025, 9, 9), "es", "9 de septiembre de 2025"),
    ],
)
def test_format_date(value, language, expected):
    assert format_date(value, language) == expected


def test_a_timestamp_states_its_offset_and_zone():
    moment = datetime(2026, 3, 15, 14, 5, 9, tzinfo=ZoneInfo("America/Lima"))
    assert format_timestamp(moment) == "2026-03-15 14:05:09 (UTC-05:00, America/Lima)"


def test_a_long_line_shrinks_then_is_cut_with_an_ellipsis():
    register_fonts()
    text = "Atención integral a víctimas de violencia familiar y sexual " * 3
    assert fit_size("Corto", FONT_BOLD, 20, 400, 8) == 20
    assert fit_size(text, FONT_BOLD, 20, 400, 8) == 8
    cut = ellipsize(text, FONT_BOLD, 12, 200)
    assert cut.endswith("…") and len(cut) < len(text)
    assert ellipsize("Corto", FONT_BOLD, 12, 200) == "Corto"


NAME = {"size": 32, "min_size": 18, "wrapped_size": 20, "min_wrapped_size": 11}


def widest(lines, size):
    return max(pdfmetrics.stringWidth(line, FONT_BOLD, size) for line in lines)


def test_a_usual_name_keeps_one_line_at_full_size():
    register_fonts()
    assert fit_block("Yolanda Qʼispe Mamani", FONT_BOLD, 640, **NAME) == (
        32,
        ["Yolanda Qʼispe Mamani"],
    )


def test_a_long_name_shrinks_then_takes_two_even_lines_never_wider_than_the_frame():
    register_fonts()
    long_name = "María de los Ángeles Yolanda Ñusta Qʼispe Huamaní de la Cruz Ccahuana Ttito"
    size, lines = fit_block(long_name, FONT_BOLD, 640, **NAME)
    assert len(lines) == 2 and " ".join(lines) == long_name
    assert 11 <= size <= 20 and widest(lines, size) <= 640
    assert abs(len(lines[0]) - len(lines[1])) < 20


def test_a_name_without_spaces_shrinks_on_one_line_and_is_cut_only_past_the_floor():
    register_fonts()
    size, lines = fit_block("Ñ" * 60, FONT_BOLD, 640, **NAME)
    assert lines == ["Ñ" * 60] and widest(lines, size) <= 640
    size, lines = fit_block("Ñ" * 400, FONT_BOLD, 640, **NAME)
    assert size == 6 and lines[0].endswith("…") and widest(lines, size) <= 640
