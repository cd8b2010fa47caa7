"""Text on the page: dates in words whatever the locale, lines that fit, timestamps."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from certificates.pdf.fonts import FONT_BOLD, register_fonts
from certificates.pdf.text import ellipsize, fit_size, format_date, format_timestamp


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
