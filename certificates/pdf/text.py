"""Text on a PDF page: fitting a line, cutting it with an ellipsis, dates in words."""

from datetime import date, datetime

from reportlab.pdfbase import pdfmetrics

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


def format_timestamp(value: datetime) -> str:
    """``2026-03-15 14:05:09 (UTC-05:00, America/Lima)``: unambiguous, with its time zone."""
    offset = value.strftime("%z")
    offset = f"{offset[:3]}:{offset[3:]}" if offset else "+00:00"
    zone = getattr(value.tzinfo, "key", None) or value.tzname() or ""
    return f"{value:%Y-%m-%d %H:%M:%S} (UTC{offset}{', ' + zone if zone else ''})"


def fit_size(text: str, font: str, size: float, max_width: float, min_size: float) -> float:
    """Largest font size <= ``size`` (>= ``min_size``) at which ``text`` fits ``max_width``."""
    width = pdfmetrics.stringWidth(text, font, size)
    if width <= max_width:
        return size
    return max(min_size, size * max_width / width)


def ellipsize(text: str, font: str, size: float, max_width: float) -> str:
    """``text`` cut to ``max_width`` with an ellipsis, between words when that wastes little."""
    if pdfmetrics.stringWidth(text, font, size) <= max_width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > max_width:
        text = text[:-1]
    # Prefer cutting between words when that does not waste much of the line.
    space = text.rfind(" ")
    if space > len(text) * 0.6:
        text = text[:space]
    return text.rstrip(" ,;:·—-") + "…"
