"""Codes printed on paper sign-in sheets, and the short-hand used to type a sheet in later.

Pure functions, no database. A session's sheet code is its id written in the readable alphabet
(no 0/O, 1/I/L, 5/S, 2/Z) with a check symbol, so a mistyped code is caught instead of opening
another session. Each person's code is their roster number in the group."""

import re
from dataclasses import dataclass

from lms.codes import READABLE_ALPHABET

BASE = len(READABLE_ALPHABET)
MIN_DIGITS = 3
_QUICK_TOKEN = re.compile(r"(?<![A-Za-z0-9])(\d{1,4})\s*([A-Za-z])(?![A-Za-z0-9])")


def _check_symbol(digits: str) -> str:
    """Weights 1, 2, 4, 5, 7, 8… are coprime with 27, so any single wrong symbol and any swap
    of two neighbours changes the check symbol."""
    total = sum(
        (position + 1 + position // 2) * READABLE_ALPHABET.index(symbol)
        for position, symbol in enumerate(digits)
    )
    return READABLE_ALPHABET[total % BASE]


def sheet_code(delivery_id: int) -> str:
    """`delivery_id` as at least three readable symbols plus one check symbol, e.g. "ABD7"."""
    if delivery_id < 1:
        raise ValueError("delivery ids are positive")
    digits = ""
    value = delivery_id
    while value:
        value, rest = divmod(value, BASE)
        digits = READABLE_ALPHABET[rest] + digits
    digits = digits.rjust(MIN_DIGITS, READABLE_ALPHABET[0])
    return digits + _check_symbol(digits)


def sheet_code_decode(code: str) -> int | None:
    """The delivery id of a typed code (case, spaces and dashes ignored), or None if invalid."""
    cleaned = re.sub(r"[\s\-.]", "", code or "").upper()
    if len(cleaned) < MIN_DIGITS + 1 or any(c not in READABLE_ALPHABET for c in cleaned):
        return None
    digits, check = cleaned[:-1], cleaned[-1]
    if _check_symbol(digits) != check:
        return None
    value = 0
    for symbol in digits:
        value = value * BASE + READABLE_ALPHABET.index(symbol)
    return value or None


@dataclass(frozen=True)
class QuickEntry:
    """Statuses typed as "roster number + letter", e.g. "3A 7L 12E"."""

    marks: dict[int, str]  # roster number → status letter
    unknown: list[str]  # tokens that are not "number + letter"


def quick_entry_parse(text: str) -> QuickEntry:
    marks: dict[int, str] = {}
    leftover, position = [], 0
    text = text or ""
    for match in _QUICK_TOKEN.finditer(text):
        leftover.append(text[position : match.start()])
        marks[int(match[1])] = match[2].upper()
        position = match.end()
    leftover.append(text[position:])
    unknown = [token for token in re.split(r"[\s,;]+", " ".join(leftover)) if token]
    return QuickEntry(marks=marks, unknown=unknown)
