"""Ranks of the paired differences: Pratt's ranking, the Wilcoxon signed-rank test on it and
the rank-biserial correlation that goes with it. Pure numpy/scipy.

Both use the same ranks, once: every absolute difference is ranked, zeros included (ties get
average ranks), then the zeros' ranks are dropped (Pratt 1959). The test's p is scipy's
(``scipy.stats.wilcoxon(d, zero_method="pratt")``): exact for small groups (the exact null
distribution up to 50 pairs without ties or zeros; with them, every assignment of signs up to
13 pairs), otherwise the normal approximation with Cureton's correction of mean and variance
for the zeros and the tie correction, without continuity correction. That normal approximation
is computed here from the same ranks, as scipy does it, because scipy's per-call overhead
dominates a page of hundreds of groups; the tests hold both to the same numbers.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import special, stats

#: scipy's choice of the exact test: up to this many pairs without ties or zeros...
EXACT_MAX = 50
#: ... and up to this many with them (every assignment of signs).
PERMUTATION_MAX = 13


def average_ranks(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ranks 1..n with ties sharing the mean of their positions; also the sorted distinct
    values and how many times each occurs."""
    distinct, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    ends = np.cumsum(counts)
    return ((ends - counts + 1 + ends) / 2.0)[inverse], distinct, counts


def pratt_rank_sums(snapped_diff: np.ndarray) -> tuple[float, float, int]:
    """``(R+, R-, m)`` over Pratt's ranks; ``m`` is the number of non-zero differences."""
    ranks, _distinct, _counts = average_ranks(np.abs(snapped_diff))
    r_plus = float(ranks[snapped_diff > 0].sum())
    r_minus = float(ranks[snapped_diff < 0].sum())
    return r_plus, r_minus, int(np.count_nonzero(snapped_diff))


def rank_biserial_pratt(snapped_diff: np.ndarray) -> float:
    """Matched-pairs rank-biserial correlation on the Pratt ranks of the Wilcoxon test, as R's
    rcompanion ``wilcoxonPairedRC(zero.method = "Pratt")`` defines it:
    ``4 |T - (R+ + R-)/2| / (m (m + 1))`` (T = min(R+, R-), m non-zero differences), that is
    ``2 (R+ - R-) / (m (m + 1))``, signed by the differences given (``post - pre``). Without
    zeros it is Kerby's ``(R+ - R-) / (R+ + R-)``; zeros raise the ranks above them, so |r|
    can exceed 1 when most differences are zero. NaN when every difference is zero."""
    r_plus, r_minus, m = pratt_rank_sums(snapped_diff)
    if m == 0:
        return math.nan
    return 2.0 * (r_plus - r_minus) / (m * (m + 1))


def wilcoxon_pratt(snapped_diff: np.ndarray) -> tuple[float, float]:
    """Two-sided Wilcoxon signed-rank test with Pratt's zeros: ``(T, p)`` with
    T = min(R+, R-); NaN for both when every difference is zero."""
    d = np.asarray(snapped_diff, dtype=float)
    n = d.size
    zeros = int(np.count_nonzero(d == 0))
    if zeros == n:
        return math.nan, math.nan
    ranks, distinct, counts = average_ranks(np.abs(d))
    r_plus, r_minus = float(ranks[d > 0].sum()), float(ranks[d < 0].sum())
    ties = bool(np.any(counts > 1))
    if n <= EXACT_MAX and not (ties or zeros) or n <= PERMUTATION_MAX:
        result = stats.wilcoxon(d, zero_method="pratt")
        return float(result.statistic), float(result.pvalue)
    mean = n * (n + 1) / 4 - zeros * (zeros + 1) / 4
    variance = n * (n + 1) * (2 * n + 1) - zeros * (zeros + 1) * (2 * zeros + 1)
    tied = counts[distinct != 0] if zeros else counts  # the zeros are not a tie to correct
    variance = (variance - float(np.sum(tied**3 - tied)) / 2) / 24
    z = (r_plus - mean) / math.sqrt(variance)
    return min(r_plus, r_minus), float(min(1.0, 2 * special.ndtr(-abs(z))))
