"""Pratt's ranks, the Wilcoxon test on them and the rank-biserial r, held to scipy."""

import math

import numpy as np
import pytest
from scipy import stats

from assessments.analytics.ranks import (
    average_ranks,
    pratt_rank_sums,
    rank_biserial_pratt,
    wilcoxon_pratt,
)


def likert_changes(n: int, seed: int) -> np.ndarray:
    """Whole-point changes between -3 and 3: many ties and many zeros, as Likert data have."""
    return np.random.default_rng(seed).integers(-3, 4, size=n).astype(float)


def test_average_ranks_are_scipys_with_ties():
    values = np.array([3.0, 1.0, 3.0, 0.0, 2.0, 3.0, 0.0])
    ranks, distinct, counts = average_ranks(values)
    assert ranks.tolist() == stats.rankdata(values).tolist()
    assert distinct.tolist() == [0.0, 1.0, 2.0, 3.0]
    assert counts.tolist() == [2, 1, 1, 3]


@pytest.mark.parametrize("n", [6, 13, 14, 40, 51, 500, 20_000])
@pytest.mark.parametrize("seed", [1, 2])
def test_the_wilcoxon_test_gives_scipys_statistic_and_p_with_ties_and_zeros(n, seed):
    d = likert_changes(n, seed)
    expected = stats.wilcoxon(d, zero_method="pratt")
    t, p = wilcoxon_pratt(d)
    assert t == pytest.approx(float(expected.statistic))
    assert p == pytest.approx(float(expected.pvalue), rel=1e-9, abs=1e-300)


@pytest.mark.parametrize("n", [10, 50, 51, 200])
def test_without_ties_or_zeros_scipys_exact_choice_is_kept(n):
    d = np.random.default_rng(n).permutation(np.arange(1, n + 1)).astype(float)
    d[::3] *= -1
    expected = stats.wilcoxon(d, zero_method="pratt")
    t, p = wilcoxon_pratt(d)
    assert (t, p) == pytest.approx((float(expected.statistic), float(expected.pvalue)))


def test_no_test_when_every_difference_is_zero():
    t, p = wilcoxon_pratt(np.zeros(30))
    assert math.isnan(t) and math.isnan(p)
    assert math.isnan(rank_biserial_pratt(np.zeros(30)))


def test_the_rank_biserial_r_uses_the_tests_ranks_and_follows_the_sign_of_the_changes():
    d = np.array([0.0, 0.0, -1.0, -1.0, -2.0, 1.0, -3.0])
    # |d| ranked with the zeros: 0, 0 → 1.5; 1, 1, 1 → 4; 2 → 6; 3 → 7; zeros dropped.
    assert pratt_rank_sums(d) == (4.0, 4.0 + 4.0 + 6.0 + 7.0, 5)
    r = rank_biserial_pratt(d)
    assert r == pytest.approx(2 * (4.0 - 21.0) / (5 * 6))
    assert rank_biserial_pratt(-d) == pytest.approx(-r)
