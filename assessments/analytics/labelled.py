"""The responses file for SPSS (``.sav``) and Stata (``.dta``), written with pyreadstat.

Both carry the variable names of the CSV and of the data dictionary, the dictionary's Spanish
variable labels, value labels for every item (the instrument's Spanish scale labels) and the
declared missing code for "prefer not to answer":

* SPSS: the answer is stored as ``-9``, labelled and declared user-missing (``missing_ranges``),
  so SPSS leaves it out of statistics while keeping it apart from an unanswered item
  (system-missing);
* Stata: the answer is the extended missing value ``.a``, labelled; an unanswered item is ``.``.

Sex, generation and wave stay text, as in the CSV (SPSS also labels their values; Stata labels
numbers only). Scores are numbers with system-missing when there is no score. Stata limits a
variable label to 80 characters: longer item texts are cut there with "…", the full text stays
in the SPSS file and the dictionary. Files are written to a temporary folder (pyreadstat writes
to paths) and read back into memory.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat

from assessments.analytics.table import ResponseTable

SAV_MIMETYPE = "application/x-spss-sav"
DTA_MIMETYPE = "application/x-stata-dta"
#: Stata's extended missing value for "prefer not to answer".
STATA_PREFER_NOT = "a"
STATA_LABEL_LIMIT = 80
# Labels of the text variables' values (SPSS only), as the dictionary lists them.
_TEXT_LABELLED = ("generation", "sex", "wave")


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _columns(table: ResponseTable) -> dict[str, list]:
    names = [v.name for v in table.variables]
    return {name: [row[i] for row in table.rows] for i, name in enumerate(names)}


def _numeric(values: list) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def _plain(name: str, values: list) -> np.ndarray | list[str]:
    """The cohort number as an integer, everything else as text."""
    if name == "cohort_id":
        return np.array(values, dtype=np.int32)  # Stata has no 64-bit integers
    return [v or "" for v in values]


def _text_value_labels(table: ResponseTable) -> dict[str, dict[str, str]]:
    labels = {}
    for variable in table.variables:
        if variable.name in _TEXT_LABELLED and variable.choices:
            pairs = (choice.split(", ", 1) for choice in variable.choices.split(" | "))
            labels[variable.name] = dict(pairs)
    return labels


def _write(writer, frame: pd.DataFrame, suffix: str, **options) -> bytes:
    with tempfile.TemporaryDirectory(prefix="cem-export-") as folder:
        path = Path(folder) / f"respuestas.{suffix}"
        writer(frame, str(path), **options)
        return path.read_bytes()


def _file_label(table: ResponseTable) -> str:
    instrument = table.instrument
    return f"{instrument.name_es} v{instrument.version}: respuestas seudonimizadas"


def sav_bytes(table: ResponseTable) -> bytes:
    """The SPSS file: items ``-9`` user-missing, every value labelled."""
    columns = _columns(table)
    numeric = {*table.item_names, *table.score_names}
    frame = pd.DataFrame(
        {
            name: _numeric(values) if name in numeric else _plain(name, values)
            for name, values in columns.items()
        }
    )
    item_labels = {**table.scale_labels, table.prefer_not_code: table.prefer_not_label}
    return _write(
        pyreadstat.write_sav,
        frame,
        "sav",
        file_label=_short(_file_label(table), 64),
        column_labels={v.name: _short(v.label, 255) for v in table.variables},
        variable_value_labels={
            **dict.fromkeys(table.item_names, item_labels),
            **_text_value_labels(table),
        },
        missing_ranges={name: [table.prefer_not_code] for name in table.item_names},
        variable_measure={
            **dict.fromkeys(columns, "nominal"),
            **dict.fromkeys(table.item_names, "ordinal"),
            **dict.fromkeys(table.score_names, "scale"),
        },
    )


def dta_bytes(table: ResponseTable) -> bytes:
    """The Stata file: "prefer not to answer" is ``.a``, every item value labelled."""
    columns = _columns(table)
    frame = {}
    for name, values in columns.items():
        if name in table.item_names:
            frame[name] = pd.Series(
                [
                    np.nan
                    if v is None
                    else STATA_PREFER_NOT
                    if v == table.prefer_not_code
                    else int(v)
                    for v in values
                ],
                dtype=object,
            )
        elif name in table.score_names:
            frame[name] = _numeric(values)
        else:
            frame[name] = _plain(name, values)
    item_labels = {**table.scale_labels, STATA_PREFER_NOT: table.prefer_not_label}
    return _write(
        pyreadstat.write_dta,
        pd.DataFrame(frame),
        "dta",
        file_label=_short(_file_label(table), STATA_LABEL_LIMIT),
        column_labels={v.name: _short(v.label, STATA_LABEL_LIMIT) for v in table.variables},
        variable_value_labels=dict.fromkeys(table.item_names, item_labels),
        missing_user_values={name: [STATA_PREFER_NOT] for name in table.item_names},
    )
