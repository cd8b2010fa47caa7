"""Scoring with a versioned key: reverse coding, fillers dropped, the 80% rule per subscale."""

from dataclasses import dataclass

import numpy as np

from assessments.analytics.analysis import MIN_SHARE, reverse_code, subscale_scores
from assessments.models import Instrument


@dataclass(frozen=True)
class ScoringKey:
    version: str
    scale_min: int
    scale_max: int
    item_codes: tuple[str, ...]  # scored items only (fillers excluded), in order
    reverse: tuple[bool, ...]
    subscales: dict[str, tuple[int, ...]]  # subscale code → positions in item_codes

    @classmethod
    def for_instrument(cls, instrument: Instrument) -> "ScoringKey":
        items = [i for i in instrument.items.select_related("subscale") if not i.filler]
        subscales: dict[str, list[int]] = {}
        for position, item in enumerate(items):
            subscales.setdefault(item.subscale.code, []).append(position)
        return cls(
            version=instrument.scoring_key_version,
            scale_min=instrument.scale_min,
            scale_max=instrument.scale_max,
            item_codes=tuple(i.code for i in items),
            reverse=tuple(i.reverse for i in items),
            subscales={code: tuple(positions) for code, positions in subscales.items()},
        )

    def matrix(self, answers_list: list[dict]) -> np.ndarray:
        """Raw answers of many responses as an n × k float matrix, NaN where not answered."""
        matrix = np.full((len(answers_list), len(self.item_codes)), np.nan)
        for row, answers in enumerate(answers_list):
            for column, code in enumerate(self.item_codes):
                value = answers.get(code)
                if value is not None:
                    matrix[row, column] = value
        return matrix

    def scored(self, raw: np.ndarray) -> np.ndarray:
        return reverse_code(raw, np.array(self.reverse, dtype=bool), self.scale_min, self.scale_max)

    def scores(self, answers: dict) -> dict[str, float | None]:
        """Subscale scores of one response: mean of answered items if ≥ 80% answered."""
        scored = self.scored(self.matrix([answers]))
        result: dict[str, float | None] = {}
        for code, positions in self.subscales.items():
            values, _excluded = subscale_scores(scored[:, list(positions)], MIN_SHARE)
            result[code] = None if np.isnan(values[0]) else round(float(values[0]), 6)
        return result
