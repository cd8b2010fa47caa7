"""Which characters a text from a file or a form may hold: one rule for every import.

Names and texts end up on certificates, actas, rosters and questionnaires, and in PostgreSQL,
which refuses a NUL. A text may not hold control characters (a line break or a tab only where
a text may have several lines), Unicode direction overrides and isolates (they make a name
read differently from what it is, "Trojan Source"), lone surrogates (not text at all) or
Unicode non-characters; and a text made only of spaces and invisible characters is empty.
Django-free: the callers say the message in their own words and place.
"""

from __future__ import annotations

import unicodedata

#: Embedding, override and isolate controls (U+202A-U+202E, U+2066-U+2069).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_LINE_BREAKS = frozenset("\n\r\t")


class Problem:
    """Why a text was refused; the callers translate each into a message."""

    CONTROL = "control"
    BIDI = "bidi"
    NOT_TEXT = "not_text"


def text_problem(value: str, *, multiline: bool = False) -> str | None:
    """The first reason (a :class:`Problem`) why `value` may not be stored, or None."""
    for char in value:
        if char in BIDI_CONTROLS:
            return Problem.BIDI
        category = unicodedata.category(char)
        if category == "Cc":
            if multiline and char in _LINE_BREAKS:
                continue
            return Problem.CONTROL
        if category == "Cs" or _is_noncharacter(char):
            return Problem.NOT_TEXT
    return None


def is_blank(value: str) -> bool:
    """Nothing visible: only spaces, line breaks and invisible format characters (zero-width
    spaces and joiners, soft hyphens, direction marks...)."""
    return all(
        char.isspace() or unicodedata.category(char) in {"Cf", "Zs", "Zl", "Zp", "Mn", "Me"}
        for char in value
    )


def _is_noncharacter(char: str) -> bool:
    point = ord(char)
    return 0xFDD0 <= point <= 0xFDEF or (point & 0xFFFE) == 0xFFFE
