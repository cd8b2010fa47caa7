"""Full names of people found in free text: the check that keeps names out of workshop notes,
and the redaction of exported comments. No Django.

A full name is a given name followed by a surname, the way people write them: "María Quispe",
"María Elena Quispe Mamani", "maria quispe" (case, accents and spacing do not matter). A given
name or a surname alone is not a full name: "María" in a note names nobody in particular.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

REDACTED = "[…]"
_MIN_TOKEN = 2  # single letters ("J.") are too common to match on


def _fold_char(char: str) -> str:
    decomposed = unicodedata.normalize("NFKD", char)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _folded(text: str) -> tuple[str, list[int]]:
    """`text` folded (no accents, no case), and for each folded character the index of the
    original character it comes from, so that matches map back onto the text."""
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        folded = _fold_char(char)
        out.append(folded)
        origin.extend([index] * len(folded))
    return "".join(out), origin


def _tokens(name: str) -> list[str]:
    return [t for t in re.split(r"[\s\-]+", _folded(name)[0]) if len(t) >= _MIN_TOKEN]


def _variants(first_name: str, last_name: str) -> set[tuple[str, ...]]:
    """Ways of writing a full name: each given name, or all of them, followed by the first
    surname or all of them."""
    given, surnames = _tokens(first_name), _tokens(last_name)
    if not given or not surnames:
        return set()
    firsts = {(g,) for g in given} | {tuple(given)}
    lasts = {(surnames[0],), tuple(surnames)}
    return {f + s for f in firsts for s in lasts}


class NameFinder:
    """Finds the full names of `people` ((given names, surnames) pairs) in texts."""

    def __init__(self, people: Iterable[tuple[str, str]]):
        variants = set()
        for first_name, last_name in people:
            variants |= _variants(first_name or "", last_name or "")
        # Longest first, so that "maria elena quispe mamani" wins over "maria quispe".
        alternatives = sorted(
            (r"\s+".join(re.escape(t) for t in v) for v in variants), key=len, reverse=True
        )
        self._pattern = (
            re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")
            if alternatives
            else None
        )

    def _spans(self, text: str) -> list[tuple[int, int]]:
        if not self._pattern or not text:
            return []
        folded, origin = _folded(text)
        return [
            (origin[match.start()], origin[match.end() - 1] + 1)
            for match in self._pattern.finditer(folded)
        ]

    def contains_name(self, text: str) -> bool:
        return bool(self._spans(text))

    def redact(self, text: str) -> str:
        """`text` with every full name found replaced by :data:`REDACTED`."""
        spans = self._spans(text)
        for start, end in reversed(spans):
            text = text[:start] + REDACTED + text[end:]
        return text
