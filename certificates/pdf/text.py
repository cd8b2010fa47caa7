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


def _balanced_split(text: str, font: str, size: float) -> tuple[str, str] | None:
    """``text`` cut at the space that makes its two lines most even, or None without spaces."""
    words = text.split()
    if len(words) < 2:
        return None
    best = None
    for cut in range(1, len(words)):
        first, second = " ".join(words[:cut]), " ".join(words[cut:])
        widest = max(
            pdfmetrics.stringWidth(first, font, size), pdfmetrics.stringWidth(second, font, size)
        )
        if best is None or widest < best[0]:
            best = (widest, first, second)
    return best[1], best[2]


def fit_block(
    text: str,
    font: str,
    max_width: float,
    *,
    size: float,
    min_size: float,
    wrapped_size: float,
    min_wrapped_size: float,
    floor: float = 6.0,
) -> tuple[float, list[str]]:
    """``(size, lines)`` so that ``text`` never overflows ``max_width``: one line from ``size``
    down to ``min_size``; else two even lines, between words, from ``wrapped_size`` down to
    ``min_wrapped_size``; else one line shrunk as far as ``floor``, cut only past that."""
    text = " ".join(text.split())
    one_line = fit_size(text, font, size, max_width, min_size)
    if pdfmetrics.stringWidth(text, font, one_line) <= max_width:
        return one_line, [text]
    split = _balanced_split(text, font, wrapped_size)
    if split is not None:
        widest = max(split, key=lambda line: pdfmetrics.stringWidth(line, font, wrapped_size))
        two_lines = fit_size(widest, font, wrapped_size, max_width, min_wrapped_size)
        if pdfmetrics.stringWidth(widest, font, two_lines) <= max_width:
            return two_lines, list(split)
    smallest = fit_size(text, font, min_size, max_width, floor)
    return smallest, [ellipsize(text, font, smallest, max_width)]
