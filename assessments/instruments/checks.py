"""Reading an instrument file and checking its values, whatever it holds, without ever failing.

An instrument file comes from outside (an organisation's own transcription of a licensed
scale), so nothing in it is trusted:

1. the size is limited before anything is read, and the nesting depth before the JSON parser
   runs (a deep file would exhaust the parser's recursion);
2. numbers longer than any the format needs, ``NaN`` and ``Infinity`` are refused while
   parsing (a 5,000-digit number would otherwise take the interpreter's own error);
3. every value is checked for its type, its length (the limits of the columns it will be
   stored in), its range (a scale of at most eleven points, orders and counts within limits)
   and its characters (:mod:`lms.text_safety`) before anything is built.

Every problem is reported with its place (``item 3 (tol_03): “reverse” must be true or
false.``); the structure of the format is checked in :mod:`assessments.instruments.format`
with these tools, which raise :class:`InstrumentFileError` and nothing else.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from lms.text_safety import Problem, is_blank, text_problem

LANGUAGES = ("es", "en")

MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 12  # the format itself needs 4 (items → item → text → language)
MAX_NUMBER_CHARS = 12
MAX_PROBLEMS = 100


@dataclass(frozen=True)
class InstrumentFileError(Exception):
    """Every problem found in a file, each saying where (item, field) and what."""

    problems: tuple[str, ...]

    def __str__(self) -> str:
        return "\n".join(self.problems)


class _Refused(Exception):
    """A value the parser must not build; becomes one problem of the whole file."""

    def __init__(self, message: str) -> None:
        self.message = message


def _whole_number(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_NUMBER_CHARS:
        raise _Refused(_("A number in the file is too long."))
    return int(digits)


def _decimal_number(digits: str) -> float:
    if len(digits) > MAX_NUMBER_CHARS * 2:
        raise _Refused(_("A number in the file is too long."))
    return float(digits)


def _constant(name: str) -> None:
    raise _Refused(_("“%(name)s” is not a number the file may hold.") % {"name": name})


_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(r"[\[\]{}]")


def _depth(text: str) -> int:
    """The deepest nesting of arrays and objects, strings left out."""
    depth = deepest = 0
    for bracket in _BRACKETS.findall(_STRINGS.sub("", text)):
        if bracket in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def read_document(raw: bytes | str) -> object:
    """The JSON value of a file, or InstrumentFileError saying why it cannot be read."""
    size = len(raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw)
    if size > MAX_FILE_BYTES:
        raise InstrumentFileError((_("The file is too large (at most 1 MB)."),))
    try:
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError:
        raise InstrumentFileError((_("The file is not UTF-8 text."),)) from None
    if _depth(text) > MAX_DEPTH:
        raise InstrumentFileError(
            (_("The file nests lists or objects too deeply (at most %(n)s).") % {"n": MAX_DEPTH},)
        )
    try:
        return json.loads(
            text,
            parse_int=_whole_number,
            parse_float=_decimal_number,
            parse_constant=_constant,
        )
    except _Refused as refused:
        raise InstrumentFileError((refused.message,)) from None
    except json.JSONDecodeError as error:
        raise InstrumentFileError(
            (
                _("The file is not valid JSON (line %(line)s, column %(col)s): %(msg)s")
                % {"line": error.lineno, "col": error.colno, "msg": error.msg},
            )
        ) from None
    except (ValueError, RecursionError):  # defence in depth: the checks above prevent these
        raise InstrumentFileError((_("The file is not valid JSON."),)) from None


def shown(value: object) -> str:
    """A value as a problem message may quote it: short and printable."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=True)[:40]
    text = "".join(c if c.isprintable() else "?" for c in text)
    return text if len(text) <= 30 else text[:29] + "…"


def is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class Checker:
    """Collects the problems of one file; each check returns a usable value either way."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def characters(self, value: str, where: str, field: str, *, multiline: bool) -> bool:
        problem = text_problem(value, multiline=multiline)
        if problem is None:
            return True
        messages = {
            Problem.CONTROL: _("“%(field)s” holds a control character."),
            Problem.BIDI: _("“%(field)s” holds a Unicode direction override."),
            Problem.NOT_TEXT: _("“%(field)s” holds characters that are not text."),
        }
        self.fail(where, messages[problem] % {"field": field})
        return False

    def string(
        self,
        value: object,
        where: str,
        field: str,
        *,
        max_length: int,
        required: bool = True,
        pattern: re.Pattern | None = None,
        multiline: bool = False,
    ) -> str:
        if not isinstance(value, str):
            self.fail(where, _("“%(field)s” must be a text.") % {"field": field})
            return ""
        if not self.characters(value, where, field, multiline=multiline):
            return ""
        value = value.strip()
        if is_blank(value):
            if required:
                self.fail(where, _("“%(field)s” is required.") % {"field": field})
            return ""
        if len(value) > max_length:
            self.fail(
                where,
                _("“%(field)s” is longer than %(max)s characters.")
                % {"field": field, "max": max_length},
            )
            return ""
        if pattern is not None and not pattern.match(value):
            self.fail(
                where,
                _("“%(field)s” may hold only letters without accents, digits, “-” and “_”.")
                % {"field": field},
            )
            return ""
        return value

    def text(
        self,
        obj: dict,
        key: str,
        where: str,
        *,
        max_length: int,
        required_languages=("es",),
        multiline: bool = False,
    ) -> dict:
        value = obj.get(key)
        if not isinstance(value, dict):
            self.fail(
                where,
                _("“%(field)s” must be an object with texts per language (es, en).")
                % {"field": key},
            )
            return dict.fromkeys(LANGUAGES, "")
        texts = {}
        for language in LANGUAGES:
            required = language in required_languages
            if not required and language not in value:
                texts[language] = ""
                continue
            given = value.get(language)
            if required and (not isinstance(given, str) or is_blank(given)):
                self.fail(
                    where,
                    _("“%(field)s” has no text in “%(lang)s”.") % {"field": key, "lang": language},
                )
                texts[language] = ""
                continue
            texts[language] = self.string(
                given,
                where,
                f"{key}.{language}",
                max_length=max_length,
                required=False,
                multiline=multiline,
            )
        return texts

    def boolean(self, obj: dict, key: str, where: str) -> bool:
        value = obj.get(key, False)
        if not isinstance(value, bool):
            self.fail(where, _("“%(field)s” must be true or false.") % {"field": key})
            return False
        return value

    def listing(self, obj: dict, key: str, where: str, *, most: int, required: bool) -> list:
        value = obj.get(key)
        if value is None and not required:
            return []
        if not isinstance(value, list) or (required and not value):
            self.fail(where, _("“%(field)s” must list at least one entry.") % {"field": key})
            return []
        if len(value) > most:
            self.fail(
                where, _("“%(field)s” lists more than %(n)s entries.") % {"field": key, "n": most}
            )
            return []
        return value

    def raise_if_any(self) -> None:
        if not self.problems:
            return
        shown = self.problems[:MAX_PROBLEMS]
        if len(self.problems) > MAX_PROBLEMS:
            more = len(self.problems) - MAX_PROBLEMS
            shown.append(_("… and %(n)s more problems.") % {"n": more})
        raise InstrumentFileError(tuple(shown))
