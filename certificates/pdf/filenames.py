"""File names any browser, operating system and archive accepts (no Django, no reportlab)."""

import re
import unicodedata

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def filename_part(text: object) -> str:
    """`text` as ASCII letters, digits, dots, underscores and hyphens: accents are dropped,
    any other run of characters becomes one hyphen, and the ends are trimmed ("" if nothing
    is left). No part can climb out of a folder: "../" never survives."""
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return _UNSAFE.sub("-", ascii_text).strip("-._")


def safe_filename(*parts: object, extension: str) -> str:
    """`parts` made safe and joined by hyphens, with the extension; empty parts are left out.

    >>> safe_filename("acta", "Masc 101", "grupo", 7, extension="pdf")
    'acta-Masc-101-grupo-7.pdf'
    """
    stem = "-".join(part for part in (filename_part(p) for p in parts) if part)
    return f"{stem or 'documento'}.{extension}"
