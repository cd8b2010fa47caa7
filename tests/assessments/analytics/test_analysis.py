"""Tests for the numerical core of the pre/post questionnaire analysis.

Expected values in the fixed-data tests are worked out by hand; the arithmetic is in the
comment next to each one. The random-data tests check the module against SciPy.
"""

import dataclasses
import math
import warnings
from fractions import Fraction

import numpy as np
import pytest
from scipy import stats

from assessments.analytics.analysis import (
    METHOD_P_ADJUST,
    MIN_CELL,
    ChangeResult,
    analyse_groups,
    cronbach_alpha,
    holm,
    item_agreement,
    paired_change,
    reverse_code,
    subscale_scores,
)

NAN = np.nan

STAT_FIELDS = [f.name for f in dataclasses.fields(ChangeResult) if f.name != "suppressed"]


def assert_all_none(result: ChangeResult) -> None:
    assert result.suppressed is True
    for name in STAT_FIELDS:
        assert getattr(result, name) is None, name


# ----------------------------------------------------------------------------- constants


def test_constants():
    assert MIN_CELL == 5
    assert METHOD_P_ADJUST == "Holm (Bonferroni step-down)"


# ----------------------------------------------------------------------------- reverse coding


def test_reverse_code_by_hand():
    values = np.array([[1.0, 5.0, NAN], [2.0, 4.0, 3.0]])
    reverse = np.array([False, True, True])
    out = reverse_code(values, reverse, 1, 5)
    expected = np.array(
        [
            [1.0, 1.0, NAN],  # col 0 kept; (1+5)-5 = 1; NaN stays NaN
            [2.0, 2.0, 3.0],  # col 0 kept; (1+5)-4 = 2; (1+5)-3 = 3 (midpoint is fixed)
        ]
    )
    np.testing.assert_array_equal(out, expected)
    # the input is not modified
    assert values[0, 1] == 5.0


def test_reverse_code_other_scale():
    # 0-4 scale: x' = (0+4) - x  ->  0->4, 1->3, 4->0
    out = reverse_code(np.array([[0.0, 1.0, 4.0]]), np.array([True, True, True]), 0, 4)
    np.testing.assert_array_equal(out, [[4.0, 3.0, 0.0]])


def test_reverse_code_rejects_out_of_scale_and_bad_mask():
    with pytest.raises(ValueError):
        reverse_code(np.array([[6.0]]), np.array([False]), 1, 5)
    with pytest.raises(ValueError):
        reverse_code(np.array([[1.0, 2.0]]), np.array([True]), 1, 5)


# ----------------------------------------------------------------------------- 80 % rule


def test_subscale_80_percent_rule_k5():
    values = np.array(
        [
            [1, 2, 3, 4, 5],  # 5/5 answered -> (1+2+3+4+5)/5 = 3
            [1, 2, 3, 4, NAN],  # 4/5: 4*5=20 >= 5*4=20 -> (1+2+3+4)/4 = 2.5
            [1, 2, 3, NAN, NAN],  # 3/5: 3*5=15 < 20 -> NaN
            [NAN] * 5,  # 0/5 -> NaN
        ]
    )
    scores, excluded = subscale_scores(values)
    np.testing.assert_array_equal(scores, [3.0, 2.5, NAN, NAN])
    assert excluded == 2  # one row below the line + one row with no answer


def test_subscale_80_percent_rule_k4():
    values = np.array(
        [
            [1, 2, 3, 4],  # 4/4 -> (1+2+3+4)/4 = 2.5
            [1, 2, 3, NAN],  # 3/4 = 75 %: 3*5=15 < 4*4=16 -> NaN
        ]
    )
    scores, excluded = subscale_scores(values)
    np.testing.assert_array_equal(scores, [2.5, NAN])
    assert excluded == 1


def test_subscale_80_percent_rule_k10():
    eight = [1, 2, 3, 4, 5, 6, 7, 8, NAN, NAN]  # 8/10: 40 >= 40 -> (1+..+8)/8 = 36/8 = 4.5
    seven = [1, 2, 3, 4, 5, 6, 7, NAN, NAN, NAN]  # 7/10: 35 < 40 -> NaN
    scores, excluded = subscale_scores(np.array([eight, seven], dtype=float))
    np.testing.assert_array_equal(scores, [4.5, NAN])
    assert excluded == 1


@pytest.mark.parametrize("k", range(1, 41))
def test_subscale_threshold_is_exact_ceil(k):
    # smallest a with a/k >= 4/5 in exact rational arithmetic
    needed = next(a for a in range(k + 1) if Fraction(a, k) >= Fraction(4, 5))
    row_ok = [1.0] * needed + [NAN] * (k - needed)
    row_short = [1.0] * (needed - 1) + [NAN] * (k - needed + 1)
    scores, excluded = subscale_scores(np.array([row_ok, row_short]))
    assert scores[0] == 1.0
    assert math.isnan(scores[1])
    assert excluded == 1


def test_subscale_other_share():
    # min_share = 0.5 with k=4: 2 answered is enough ((2+4)/2 = 3), 1 is not
    scores, excluded = subscale_scores(
        np.array([[2, 4, NAN, NAN], [2, NAN, NAN, NAN]], dtype=float), min_share=0.5
    )
    np.testing.assert_array_equal(scores, [3.0, NAN])
    assert excluded == 1
    with pytest.raises(ValueError):
        subscale_scores(np.ones((1, 2)), min_share=0)


# ----------------------------------------------------------------------------- Cronbach alpha


def test_cronbach_alpha_by_hand():
    items = np.array(
        [
            [1, 2, 1],
            [2, 2, 3],
            [3, 3, 3],
            [4, 5, 5],
            [5, NAN, 1],  # incomplete: dropped listwise
        ],
        dtype=float,
    )
    rel = cronbach_alpha(items)
    assert rel.n == 4
    assert rel.k == 3
    # item 1: 1,2,3,4 mean 2.5, SS 2.25+0.25+0.25+2.25 = 5 -> var 5/3
    # item 2: 2,2,3,5 mean 3,   SS 1+1+0+4 = 6              -> var 6/3 = 2
    # item 3: 1,3,3,5 mean 3,   SS 4+0+0+4 = 8              -> var 8/3
    # sum of item variances = (5+6+8)/3 = 19/3
    # totals 4,7,9,14 mean 8.5, SS 20.25+2.25+0.25+30.25 = 53 -> var 53/3
    # alpha = 3/2 * (1 - (19/3)/(53/3)) = 3/2 * 34/53 = 51/53
    assert rel.alpha == pytest.approx(51 / 53, rel=1e-12)
    assert rel.suppressed is False


def test_cronbach_alpha_undefined_cases():
    single = cronbach_alpha(np.array([[1.0], [2.0], [3.0]]))
    assert single.k == 1 and single.n == 3 and math.isnan(single.alpha)  # k < 2
    one_row = cronbach_alpha(np.array([[1.0, 2.0], [NAN, 1.0]]))
    assert one_row.n == 1 and math.isnan(one_row.alpha)  # n < 2
    flat = cronbach_alpha(np.array([[3.0, 3.0], [3.0, 3.0], [3.0, 3.0]]))
    assert flat.n == 3 and math.isnan(flat.alpha)  # total variance 0


# ----------------------------------------------------------------------------- paired change

# Six complete pairs + one pre-only row (attrition) + one post-only row.
PRE6 = np.array([3.0, 3.5, 4.0, 2.5, 3.0, 5.0, 4.0, NAN])
POST6 = np.array([2.0, 3.0, 4.0, 3.0, 1.5, 3.0, NAN, 2.0])
# diffs (post - pre) of the pairs: -1, -0.5, 0, 0.5, -1.5, -2


def test_paired_change_by_hand():
    res = paired_change(PRE6, POST6, alpha_pre=0.75, desired_change="decrease")
    assert res.suppressed is False
    assert res.n_pre == 7  # 7 finite pre values
    assert res.n_post == 7  # 7 finite post values
    assert res.n_pairs == 6  # rows 0-5
    assert res.attrition == 1  # row 6: pre but no post
    assert res.mean_pre == pytest.approx(3.5)  # (3+3.5+4+2.5+3+5)/6 = 21/6
    assert res.mean_post == pytest.approx(2.75)  # (2+3+4+3+1.5+3)/6 = 16.5/6
    assert res.mean_diff == pytest.approx(-0.75)  # (-1-0.5+0+0.5-1.5-2)/6 = -4.5/6
    # deviations from -0.75: -0.25, 0.25, 0.75, 1.25, -0.75, -1.25
    # squares: 0.0625+0.0625+0.5625+1.5625+0.5625+1.5625 = 4.375; var = 4.375/5 = 0.875
    assert res.sd_diff == pytest.approx(math.sqrt(0.875))  # 0.935414
    assert res.d_z == pytest.approx(-0.801784, abs=1e-6)  # -0.75 / 0.935414
    # CI: t(0.975, df=5) = 2.5706 (table); se = sqrt(0.875/6) = 0.381881
    # half width = 2.5706 * 0.381881 = 0.98166 -> [-1.73166, 0.23166]
    assert res.ci_low == pytest.approx(-1.73166, abs=1e-4)
    assert res.ci_high == pytest.approx(0.23166, abs=1e-4)
    # Pratt ranks of |d| = 1, 0.5, 0, 0.5, 1.5, 2: the zero -> 1; the two 0.5 -> (2+3)/2 = 2.5
    # each; 1 -> 4; 1.5 -> 5; 2 -> 6; then the zero's rank is dropped (m = 5 non-zero).
    # R+ = 2.5 (the +0.5); R- = 4 + 2.5 + 5 + 6 = 17.5; T = min = 2.5
    # r = 2 (R+ - R-) / (m (m + 1)) = 2 * (2.5 - 17.5) / 30 = -1.0 (rcompanion, Pratt)
    assert res.wilcoxon_t == pytest.approx(2.5)
    assert res.rank_biserial == pytest.approx(-1.0)
    # t = mean / (sd / sqrt(n)) = -0.75 / sqrt(0.875 / 6) = -1.963961, df = 5
    assert res.t == pytest.approx(-0.75 / math.sqrt(0.875 / 6))
    assert res.df == 5
    # RCI: SD_pre: deviations from 3.5 = -0.5, 0, 0.5, -1, -0.5, 1.5
    # -> SS 0.25+0+0.25+1+0.25+2.25 = 4; var 4/5 = 0.8
    # SEM = sqrt(0.8)*sqrt(1-0.75) = sqrt(0.2); S_diff = sqrt(2*0.2) = sqrt(0.4) = 0.632456
    # |diff| must exceed 1.96*0.632456 = 1.2396 -> -1.5 and -2 (both decreases)
    assert res.pct_improved == pytest.approx(100 * 2 / 6)  # 33.33 %
    assert res.pct_worsened == pytest.approx(0.0)
    assert res.pct_unchanged == pytest.approx(100 * 4 / 6)  # 66.67 %
    assert res.p_holm is None
    # p-values against SciPy on the same six pairs
    x, y = PRE6[:6], POST6[:6]
    assert res.t_p == pytest.approx(stats.ttest_rel(y, x).pvalue, rel=1e-12)
    assert res.wilcoxon_p == pytest.approx(
        stats.wilcoxon(y - x, zero_method="pratt").pvalue, rel=1e-12
    )


def test_paired_change_direction_increase():
    res = paired_change(PRE6, POST6, alpha_pre=0.75, desired_change="increase")
    # same two reliable decreases, now counted as worsened
    assert res.pct_improved == pytest.approx(0.0)
    assert res.pct_worsened == pytest.approx(100 * 2 / 6)
    assert res.pct_unchanged == pytest.approx(100 * 4 / 6)


def test_paired_change_rci_nan_when_alpha_missing_or_one():
    for alpha in (NAN, None, 1.0):  # alpha = 1 -> SEM = 0 -> S_diff = 0
        res = paired_change(PRE6, POST6, alpha_pre=alpha, desired_change="decrease")
        assert math.isnan(res.pct_improved)
        assert math.isnan(res.pct_unchanged)
        assert math.isnan(res.pct_worsened)


def test_paired_change_explicit_wave_sizes():
    res = paired_change(PRE6, POST6, alpha_pre=0.75, desired_change="decrease", n_pre=10, n_post=8)
    assert (res.n_pre, res.n_post, res.n_pairs, res.attrition) == (10, 8, 6, 4)  # 10 - 6
    with pytest.raises(ValueError):
        paired_change(PRE6, POST6, alpha_pre=0.75, desired_change="decrease", n_pre=3)


def test_paired_change_rejects_bad_direction():
    with pytest.raises(ValueError):
        paired_change(PRE6, POST6, alpha_pre=0.75, desired_change="down")


def test_rank_biserial_float_noise_ties():
    # 8/3 - 5/3 == 0.9999999999999998 in floating point, 10/3 - 7/3 == 1.0 exactly:
    # both are a change of exactly 1 and must tie.
    pre = np.array([5 / 3, 7 / 3, 1.0, 2.0, 3.0])
    post = np.array([8 / 3, 10 / 3, 3.0, 1.0, 3.0])
    res = paired_change(pre, post, alpha_pre=0.7, desired_change="increase")
    # diffs 1, 1, 2, -1, 0 -> Pratt ranks of |d|: 0 -> 1, the three 1s -> 3 each, 2 -> 5
    # R+ = 3 + 3 + 5 = 11, R- = 3, m = 4, r = 2 * (11 - 3) / (4 * 5) = 0.8
    assert res.rank_biserial == pytest.approx(0.8)
    assert res.wilcoxon_t == pytest.approx(3.0)
    exact = np.array([1.0, 1.0, 2.0, -1.0, 0.0])
    assert res.wilcoxon_p == pytest.approx(stats.wilcoxon(exact, zero_method="pratt").pvalue)


# ----------------------------------------------------------------------------- against SciPy


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4, 5])
def test_paired_change_matches_scipy_continuous(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(8, 200))
    pre = rng.normal(3.0, 0.7, n)
    post = pre + rng.normal(-0.2, 0.6, n)
    pre[rng.random(n) < 0.1] = NAN
    post[rng.random(n) < 0.1] = NAN
    res = paired_change(pre, post, alpha_pre=0.8, desired_change="decrease")
    ok = np.isfinite(pre) & np.isfinite(post)
    x, y = pre[ok], post[ok]
    d = y - x
    assert res.n_pairs == ok.sum()
    assert res.t_p == pytest.approx(stats.ttest_rel(y, x).pvalue, rel=1e-12, abs=1e-300)
    assert res.wilcoxon_p == pytest.approx(
        stats.wilcoxon(d, zero_method="pratt").pvalue, rel=1e-12, abs=1e-300
    )
    sem = d.std(ddof=1) / math.sqrt(d.size)
    lo, hi = stats.t.interval(0.95, d.size - 1, loc=d.mean(), scale=sem)
    assert res.ci_low == pytest.approx(lo, rel=1e-12)
    assert res.ci_high == pytest.approx(hi, rel=1e-12)
    assert res.d_z == pytest.approx(d.mean() / d.std(ddof=1), rel=1e-12)
    assert res.mean_diff == pytest.approx(d.mean(), rel=1e-12)


@pytest.mark.parametrize("seed", [10, 11, 12, 13])
def test_paired_change_matches_scipy_discrete_with_ties_and_zeros(seed):
    # integer-valued scores: many ties and zero differences, no floating-point noise
    rng = np.random.default_rng(seed)
    n = int(rng.integers(6, 120))
    pre = rng.integers(6, 31, n).astype(float)
    post = np.clip(pre + rng.integers(-4, 3, n), 6, 30).astype(float)
    res = paired_change(pre, post, alpha_pre=0.7, desired_change="decrease")
    d = post - pre
    assert res.t_p == pytest.approx(stats.ttest_rel(post, pre).pvalue, rel=1e-12, abs=1e-300)
    assert res.wilcoxon_p == pytest.approx(
        stats.wilcoxon(d, zero_method="pratt").pvalue, rel=1e-12, abs=1e-300
    )
    # rank-biserial recomputed with SciPy ranks of every |d| (Pratt), over the non-zero ones
    ranks = stats.rankdata(np.abs(d))
    r_plus, r_minus, m = ranks[d > 0].sum(), ranks[d < 0].sum(), np.count_nonzero(d)
    assert res.rank_biserial == pytest.approx(2 * (r_plus - r_minus) / (m * (m + 1)), rel=1e-12)
    assert res.wilcoxon_t == pytest.approx(stats.wilcoxon(d, zero_method="pratt").statistic)
    assert res.pct_improved + res.pct_unchanged + res.pct_worsened == pytest.approx(100.0)


# ----------------------------------------------------------------------------- edge cases


def test_no_pairs_is_suppressed():
    pre = np.array([1.0, 2.0, 3.0, NAN, NAN, NAN])
    post = np.array([NAN, NAN, NAN, 1.0, 2.0, 3.0])
    assert_all_none(paired_change(pre, post, alpha_pre=0.8, desired_change="decrease"))
    assert_all_none(
        paired_change(np.array([]), np.array([]), alpha_pre=NAN, desired_change="increase")
    )


def test_fewer_than_five_pairs_is_suppressed():
    pre = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    post = np.array([2.0, 2.0, 3.0, 5.0, NAN])  # 4 pairs
    assert_all_none(paired_change(pre, post, alpha_pre=0.8, desired_change="decrease"))
    # 5 pairs is enough
    post[4] = 4.0
    res = paired_change(pre, post, alpha_pre=0.8, desired_change="decrease")
    assert res.suppressed is False and res.n_pairs == 5


def test_all_differences_zero():
    pre = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 2.5])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning either
        res = paired_change(pre, pre.copy(), alpha_pre=0.8, desired_change="decrease")
    assert res.suppressed is False
    assert res.mean_diff == 0.0
    assert res.sd_diff == 0.0
    assert math.isnan(res.d_z)
    assert math.isnan(res.t_p)  # scipy's ttest_rel gives NaN too
    assert math.isnan(res.wilcoxon_p)
    assert math.isnan(res.rank_biserial)
    assert math.isnan(res.ci_low) and math.isnan(res.ci_high)
    # pre scores vary, so S_diff > 0 and everyone is "unchanged"
    assert res.pct_unchanged == 100.0
    assert res.pct_improved == 0.0 and res.pct_worsened == 0.0


def test_constant_nonzero_difference():
    pre = np.array([1.0, 2.0, 3.0, 4.0, 2.0])
    post = pre - 1.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = paired_change(pre, post, alpha_pre=0.8, desired_change="decrease")
    assert res.mean_diff == -1.0
    assert math.isnan(res.d_z)  # sd = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert res.t_p == stats.ttest_rel(post, pre).pvalue  # 0.0 (t = -inf)
    assert res.rank_biserial == -1.0  # every change negative: R+ = 0
    assert res.wilcoxon_p == pytest.approx(stats.wilcoxon(post - pre, zero_method="pratt").pvalue)


# ----------------------------------------------------------------------------- Holm


def test_holm_by_hand():
    # sorted: 0.005*4 = 0.02; 0.01*3 = 0.03; 0.03*2 = 0.06; 0.04*1 = 0.04 -> max(0.06, 0.04)
    out = holm([0.01, 0.04, 0.03, 0.005])
    np.testing.assert_allclose(out, [0.03, 0.06, 0.06, 0.02], rtol=1e-12)


def test_holm_nan_cap_ties_and_empty():
    # NaN passes through and m = 2: 0.01*2 = 0.02; 0.04*1 = 0.04
    np.testing.assert_allclose(holm([0.01, NAN, 0.04]), [0.02, NAN, 0.04], rtol=1e-12)
    np.testing.assert_allclose(holm([0.01, None, 0.04]), [0.02, NAN, 0.04], rtol=1e-12)
    # 0.3*3 = 0.9; 0.8*2 = 1.6 -> capped 1; 0.9*1 = 0.9 -> monotone max 1.6 -> 1
    np.testing.assert_allclose(holm(np.array([0.3, 0.9, 0.8])), [0.9, 1.0, 1.0])
    # ties: 0.02*2 = 0.04, then max(0.04, 0.02*1) = 0.04
    np.testing.assert_allclose(holm([0.02, 0.02]), [0.04, 0.04])
    assert np.isnan(holm([NAN, NAN])).all()
    assert holm([]).shape == (0,)
    with pytest.raises(ValueError):
        holm([1.5])


# ----------------------------------------------------------------------------- groups


def _make_items(rng, n, k, shift):
    latent = rng.normal(3.0, 0.8, (n, 1))
    pre = np.clip(np.rint(latent + rng.normal(0, 0.7, (n, k))), 1, 5)
    post = np.clip(np.rint(latent + shift + rng.normal(0, 0.7, (n, k))), 1, 5)
    return pre, post


def test_analyse_groups_small_group_suppressed_and_holm():
    rng = np.random.default_rng(42)
    k = 6
    reverse = np.array([False, True, False, False, True, False])
    pre, post = _make_items(rng, 67, k, -0.4)
    # Two small groups, so that no complementary suppression applies here.
    labels = np.array(["A"] * 30 + ["B"] * 30 + ["C"] * 4 + ["D"] * 3)
    # participant 0 misses 2 of 6 pre items: 4*5 = 20 < 6*4 = 24 -> no pre score
    pre[0, :2] = NAN
    # participant 1 misses 1 of 6 post items: 5*5 = 25 >= 24 -> scored
    post[1, 0] = NAN
    res = analyse_groups(
        pre,
        post,
        labels,
        reverse=reverse,
        scale_min=1,
        scale_max=5,
        desired_change="decrease",
    )
    assert list(res) == ["A", "B", "C", "D"]
    assert res["D"].suppressed
    c = res["C"]
    assert c.suppressed
    assert_all_none(c.change)
    assert c.alpha_pre.alpha is None and c.alpha_pre.n is None and c.alpha_pre.k == k
    assert c.excluded_pre is None and c.excluded_post is None

    a, b = res["A"], res["B"]
    assert a.excluded_pre == 1 and a.excluded_post == 0
    assert a.change.n_pairs == 29 and a.change.attrition == 0 and a.change.n_pre == 29
    assert a.alpha_pre.n == 29  # participant 0 dropped listwise
    assert a.alpha_post.n == 29  # participant 1 dropped listwise
    assert b.change.n_pairs == 30
    # Holm over the two shown groups only
    expected = holm([a.change.t_p, b.change.t_p])
    assert a.change.p_holm == pytest.approx(expected[0])
    assert b.change.p_holm == pytest.approx(expected[1])

    # same numbers as the step-by-step pipeline for group A
    rows = labels == "A"
    pre_rc = reverse_code(pre[rows], reverse, 1, 5)
    post_rc = reverse_code(post[rows], reverse, 1, 5)
    s_pre, ex_pre = subscale_scores(pre_rc)
    s_post, _ = subscale_scores(post_rc)
    rel = cronbach_alpha(pre_rc)
    direct = paired_change(s_pre, s_post, alpha_pre=rel.alpha, desired_change="decrease")
    assert ex_pre == a.excluded_pre
    assert a.alpha_pre == rel
    assert a.change == dataclasses.replace(direct, p_holm=a.change.p_holm)


def test_analyse_groups_no_pairs_at_all():
    pre = np.full((12, 3), 3.0)
    post = np.full((12, 3), NAN)
    res = analyse_groups(
        pre,
        post,
        ["x"] * 6 + ["y"] * 6,
        reverse=np.zeros(3, dtype=bool),
        scale_min=1,
        scale_max=5,
        desired_change="increase",
    )
    assert all(g.suppressed for g in res.values())
    assert all(g.change.p_holm is None for g in res.values())


def test_analyse_groups_single_item_alpha_nan():
    rng = np.random.default_rng(7)
    pre, post = _make_items(rng, 20, 1, 0.5)
    res = analyse_groups(
        pre,
        post,
        np.array(["all"] * 20),
        reverse=np.array([False]),
        scale_min=1,
        scale_max=5,
        desired_change="increase",
    )
    g = res["all"]
    assert g.alpha_pre.k == 1 and math.isnan(g.alpha_pre.alpha)
    assert math.isnan(g.change.pct_improved)  # RCI needs alpha
    assert g.change.p_holm == pytest.approx(g.change.t_p)  # m = 1


# ----------------------------------------------------------------------------- items


def test_item_agreement_by_hand():
    pre = np.array(
        [
            [1, 4],
            [4, NAN],
            [5, 5],
            [2, 4],
            [4, NAN],
            [NAN, 5],
        ],
        dtype=float,
    )
    post = np.array(
        [
            [4, 2],
            [5, 4],
            [5, 5],
            [4, 4],
            [2, 1],
            [3, 3],
        ],
        dtype=float,
    )
    item0, item1 = item_agreement(pre, post, {4, 5})
    # item 0: both waves answered in rows 0-4 -> n = 5
    # pre 1,4,5,2,4 -> agree 4,5,4 = 3/5 = 60 %; post 4,5,5,4,2 -> 4,5,5,4 = 4/5 = 80 %
    assert item0.item == 0 and item0.n == 5 and not item0.suppressed
    assert item0.pct_agree_pre == pytest.approx(60.0)
    assert item0.pct_agree_post == pytest.approx(80.0)
    # item 1: both answered in rows 0, 2, 3, 5 only -> n = 4 < 5 -> suppressed
    assert item1.suppressed and item1.n is None
    assert item1.pct_agree_pre is None and item1.pct_agree_post is None


def test_one_hidden_group_hides_the_smallest_visible_one_too():
    """Complementary suppression: total minus the visible groups would reveal a lone hidden
    group, so the smallest visible group (B, 10 people) is hidden as well."""
    rng = np.random.default_rng(7)
    pre, post = _make_items(rng, 44, 4, -0.3)
    labels = np.array(["A"] * 30 + ["B"] * 10 + ["C"] * 4)
    res = analyse_groups(
        pre,
        post,
        labels,
        reverse=np.zeros(4, dtype=bool),
        scale_min=1,
        scale_max=5,
        desired_change="decrease",
    )
    assert res["C"].suppressed and res["B"].suppressed
    assert_all_none(res["B"].change)
    assert not res["A"].suppressed and res["A"].change.n_pairs == 30
    assert res["A"].change.p_holm == pytest.approx(res["A"].change.t_p)  # one group shown
