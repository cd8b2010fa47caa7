"""The cells a replica session counts people in: sex × age band. Pure Python, no Django.

Each cell has a stable snake_case name (``women_18_29``) used by the model's fields, the forms,
the device's JSON, the dashboard and the export; first-time participants of the same cell are
``first_women_18_29``."""

from __future__ import annotations

from dataclasses import dataclass

#: (code, column prefix): the sexes of the participant profile (F, M, X).
SEXES = (("F", "women"), ("M", "men"), ("X", "other"))
#: (code, column suffix, lowest age, highest age or None).
BANDS = (
    ("u18", "under_18", 0, 17),
    ("18_29", "18_29", 18, 29),
    ("30_49", "30_49", 30, 49),
    ("50p", "50_plus", 50, None),
)
#: The most people one replica session may count: more is a typing error.
MAX_PARTICIPANTS = 500


@dataclass(frozen=True)
class Cell:
    sex: str  # F, M, X
    band: str  # u18, 18_29, 30_49, 50p

    @property
    def field(self) -> str:
        prefix = dict(SEXES)[self.sex]
        suffix = next(s for code, s, _low, _high in BANDS if code == self.band)
        return f"{prefix}_{suffix}"

    @property
    def first_field(self) -> str:
        return f"first_{self.field}"


CELLS: tuple[Cell, ...] = tuple(Cell(sex, band) for sex, _p in SEXES for band, *_r in BANDS)
COUNT_FIELDS: tuple[str, ...] = tuple(c.field for c in CELLS)
FIRST_FIELDS: tuple[str, ...] = tuple(c.first_field for c in CELLS)
