"""The shape of the responses export, shared by its writers (CSV in
:mod:`~assessments.analytics.exports`, SPSS and Stata in :mod:`~assessments.analytics.labelled`):
the variables described for the data dictionary, and the table of rows."""

from __future__ import annotations

from dataclasses import dataclass

#: Declared missing code for "prefer not to answer" (an answer stored as null).
PREFER_NOT_TO_ANSWER = -9
DICTIONARY_COLUMNS = (
    "variable",
    "form",
    "type",
    "label",
    "choices",
    "identifier",
    "reverse_coded",
    "subscale",
    "instrument_version",
    "missing_codes",
    "note",
)


@dataclass(frozen=True)
class Variable:
    name: str
    form: str
    type: str
    label: str
    choices: str = ""
    identifier: str = "no"
    reverse_coded: str = ""
    subscale: str = ""
    instrument_version: str = ""
    missing_codes: str = ""
    note: str = ""

    def as_row(self) -> dict[str, str]:
        return {
            column: getattr(self, column if column != "variable" else "name")
            for column in DICTIONARY_COLUMNS
        }


@dataclass(frozen=True)
class ResponseTable:
    """The responses file before it is written: the variables (in column order) and one row
    per participant per wave. An item's cell is its answer, :data:`PREFER_NOT_TO_ANSWER`, or
    None when it was not answered; a score's cell is a float, or None without a score."""

    instrument: object  # assessments.models.Instrument
    variables: list[Variable]
    item_names: tuple[str, ...]
    score_names: tuple[str, ...]
    rows: list[list]
    scale_labels: dict[int, str]  # Spanish label of each answer value
    prefer_not_label: str  # Spanish label of PREFER_NOT_TO_ANSWER
    prefer_not_code: int = PREFER_NOT_TO_ANSWER
