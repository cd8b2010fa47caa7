"""The statistics of the pre/post analysis, one function each: scoring with the 80 % rule,
Cronbach's alpha, the paired change (t-test, Wilcoxon, effect sizes, RCI) and Holm's
adjustment. Pure numpy/scipy, no Django; :mod:`assessments.analytics.analysis` applies them to
groups with suppression (its docstring holds the numbered recipe and the conventions).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

import numpy as np
from scipy import special

from assessments.analytics.ranks import rank_biserial_pratt, wilcoxon_pratt
from assessments.analytics.suppression import MIN_CELL

#: Default share of a subscale's items that must be answered for a score.
MIN_SHARE = 0.8
#: Confidence level of the interval around the mean difference.
CONFIDENCE = 0.95
#: |RCI| above this value is reliable change (two-sided 5 %).
RCI_CRITICAL = 1.96
#: Name of the multiple-comparison adjustment, for reports.
METHOD_P_ADJUST = "Holm (Bonferroni step-down)"
#: Accepted values of ``desired_change`` (from the instrument's scoring key).
DESIRED_CHANGES = ("decrease", "increase")

DesiredChange = Literal["decrease", "increase"]

#: Per participant, where her exit (post) questionnaire stands: a response exists; none yet
#: while the exit questionnaire is not open yet or still open; none and it has closed.
EXIT_ANSWERED, EXIT_AWAITED, EXIT_MISSED = 0, 1, 2

# Differences are snapped to this many decimals before ranking (Wilcoxon, rank-biserial) so
# that values that are equal in exact arithmetic but differ by floating-point noise
# (8/3 - 5/3 == 0.9999999999999998 while 10/3 - 7/3 == 1.0) are treated as ties or zeros.
# Ranks of genuinely different values (questionnaire scores differ by >= 1/k) are unaffected.
_SNAP_DECIMALS = 9


# --------------------------------------------------------------------------------------
# Result types
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reliability:
    """Cronbach's alpha of one wave of one group.

    ``n`` is the number of listwise-complete rows it was computed on, ``k`` the number of
    items. ``alpha`` is NaN when it is undefined (k < 2, n < 2 or zero total variance).
    When ``suppressed`` is true (the cell describes fewer than :data:`MIN_CELL` people),
    ``alpha`` and ``n`` are ``None``; ``k`` is a property of the instrument and is kept.
    """

    alpha: float | None
    n: int | None
    k: int
    suppressed: bool = False


@dataclass(frozen=True, slots=True)
class ChangeResult:
    """Pre/post change of a subscale score in one group.

    Counts: ``n_pre`` / ``n_post`` participants with a usable score in each wave,
    ``n_pairs`` complete pairs. Of the participants with a pre score but no usable post
    score, ``awaiting_exit`` have no exit response while their exit questionnaire is not open
    yet or still open, and ``attrition`` have none although it has closed (see
    :data:`EXIT_ANSWERED`); those whose exit response has too few answers are neither.
    ``mean_pre`` / ``mean_post`` are over the complete pairs only.
    ``t`` with ``df = n_pairs - 1`` is the paired t statistic; ``wilcoxon_t`` is Wilcoxon's
    T = min(R+, R-) over Pratt's ranks, the statistic beside ``wilcoxon_p``.
    ``pct_*`` are Reliable Change Index classifications in percent of ``n_pairs``.
    ``p_holm`` is ``None`` until :func:`analyse_groups` (or the caller) adjusts it.

    When ``suppressed`` is true (``n_pairs < MIN_CELL``) every other field, counts
    included, is ``None`` so that nothing about fewer than five people leaks (e.g. ``n_pre``
    together with ``attrition`` would reveal ``n_pairs``).
    """

    n_pre: int | None
    n_post: int | None
    n_pairs: int | None
    attrition: int | None
    awaiting_exit: int | None
    suppressed: bool
    mean_pre: float | None
    mean_post: float | None
    mean_diff: float | None
    ci_low: float | None
    ci_high: float | None
    t: float | None
    df: int | None
    t_p: float | None
    wilcoxon_t: float | None
    wilcoxon_p: float | None
    d_z: float | None
    rank_biserial: float | None
    sd_diff: float | None
    pct_improved: float | None
    pct_unchanged: float | None
    pct_worsened: float | None
    p_holm: float | None = None


# --------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------


def _as_matrix(values: np.ndarray, name: str) -> np.ndarray:
    arr = np.asarray(values, dtype=float)
    if arr.ndim != 2:
        raise ValueError(f"{name} must be a 2-D array (participants × items), got {arr.ndim}-D")
    return arr


def _as_vector(values: np.ndarray, name: str) -> np.ndarray:
    arr = np.asarray(values, dtype=float)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array, got {arr.ndim}-D")
    return arr


def _share_fraction(min_share: float) -> Fraction:
    """``min_share`` as an exact small fraction (0.8 -> 4/5) for integer comparisons."""
    if not 0 < min_share <= 1:
        raise ValueError(f"min_share must be in (0, 1], got {min_share!r}")
    return Fraction(min_share).limit_denominator(1000)


def _score_rows(values: np.ndarray, min_share: float) -> np.ndarray:
    """Per-row mean of answered items, NaN where fewer than ``min_share`` are answered."""
    share = _share_fraction(min_share)
    n, k = values.shape
    answered_mask = np.isfinite(values)
    answered = answered_mask.sum(axis=1)
    # answered / k >= num / den  <=>  answered * den >= k * num  (exact, no float ceil)
    enough = (answered * share.denominator >= k * share.numerator) & (answered > 0)
    totals = np.where(answered_mask, values, 0.0).sum(axis=1)
    scores = np.full(n, np.nan)
    np.divide(totals, answered, out=scores, where=enough)
    return scores


def _suppressed_change() -> ChangeResult:
    """Every field None but ``suppressed``."""
    empty = dict.fromkeys(ChangeResult.__dataclass_fields__)
    return ChangeResult(**(empty | {"suppressed": True}))


# --------------------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------------------


def reverse_code(
    values: np.ndarray, reverse: np.ndarray, scale_min: int, scale_max: int
) -> np.ndarray:
    """Apply the scoring key: recode reverse-keyed items as ``(min + max) - x``.

    ``values`` is an ``n × k`` float array with NaN for missing answers; ``reverse`` a
    length-``k`` boolean mask of reverse-keyed items. Returns a new array (the input is not
    modified); NaN stays NaN. Raises ``ValueError`` for answers outside the scale.
    Filler items must be removed by the caller before scoring (they are not scored).
    """
    arr = _as_matrix(values, "values")
    mask = np.asarray(reverse, dtype=bool)
    if mask.shape != (arr.shape[1],):
        raise ValueError(f"reverse must have length {arr.shape[1]}, got shape {mask.shape}")
    if scale_min >= scale_max:
        raise ValueError("scale_min must be smaller than scale_max")
    finite = arr[np.isfinite(arr)]
    if finite.size and (finite.min() < scale_min or finite.max() > scale_max):
        raise ValueError(f"answers outside the scale {scale_min}-{scale_max}")
    out = arr.copy()
    out[:, mask] = (scale_min + scale_max) - out[:, mask]
    return out


def subscale_scores(values: np.ndarray, min_share: float = MIN_SHARE) -> tuple[np.ndarray, int]:
    """Subscale score per row: mean of the answered items if enough are answered.

    A row gets a score when ``answered >= ceil(min_share * k)``, evaluated exactly as
    ``answered * den >= k * num`` with ``min_share = num/den`` (80 %: ``answered * 5 >=
    k * 4``; so k=5 needs 4 answers, k=4 needs 4, k=10 needs 8). Otherwise the score is NaN.

    Returns ``(scores, excluded)`` where ``excluded`` is the number of rows without a score:
    rows with at least one answer but below the threshold **plus rows with no answer at
    all** (e.g. a participant aligned into the matrix who did not take this wave).
    ``values`` must already be reverse-coded (:func:`reverse_code`).
    """
    arr = _as_matrix(values, "values")
    scores = _score_rows(arr, min_share)
    return scores, int(np.isnan(scores).sum())


# --------------------------------------------------------------------------------------
# Reliability
# --------------------------------------------------------------------------------------


def cronbach_alpha(items: np.ndarray) -> Reliability:
    """Cronbach's alpha on the listwise-complete rows of an ``n × k`` item matrix.

    ``alpha = k/(k-1) * (1 - sum(item variances) / variance(total))`` with ``ddof=1``.
    NaN when ``k < 2``, fewer than two complete rows, or the total score has zero variance.
    Items must already be reverse-coded.
    """
    arr = _as_matrix(items, "items")
    k = int(arr.shape[1])
    complete = arr[np.isfinite(arr).all(axis=1)] if k else arr[:0]
    n = int(complete.shape[0])
    if k < 2 or n < 2:
        return Reliability(alpha=math.nan, n=n, k=k)
    item_var = complete.var(axis=0, ddof=1).sum()
    total_var = complete.sum(axis=1).var(ddof=1)
    if not total_var > 0:
        return Reliability(alpha=math.nan, n=n, k=k)
    alpha = k / (k - 1) * (1.0 - item_var / total_var)
    return Reliability(alpha=float(alpha), n=n, k=k)


# --------------------------------------------------------------------------------------
# Change
# --------------------------------------------------------------------------------------


def paired_change(
    pre: np.ndarray,
    post: np.ndarray,
    *,
    alpha_pre: float | None,
    desired_change: str,
    n_pre: int | None = None,
    n_post: int | None = None,
    exit_state: np.ndarray | None = None,
) -> ChangeResult:
    """Pre/post change of one score in one group, on complete pairs only.

    ``pre`` and ``post`` are aligned 1-D arrays (one entry per participant, NaN = no usable
    score); a pair is a row where both are finite. ``n_pre`` / ``n_post`` default to the
    number of finite entries; pass them when the arrays only hold part of a wave.

    ``exit_state`` (aligned, one of :data:`EXIT_ANSWERED`, :data:`EXIT_AWAITED`,
    :data:`EXIT_MISSED` per participant) splits those with a pre score and no usable post
    score: ``awaiting_exit`` counts the awaited, ``attrition`` the missed. Without it every
    one of them is attrition (``attrition = n_pre - n_pairs``, ``awaiting_exit = 0``).

    Statistics (differences are ``post - pre``):

    * ``mean_diff`` with a 95 % CI from the t distribution (df = n - 1);
      ``ci_low``/``ci_high`` are NaN when every difference is equal (sd = 0).
    * ``t`` = mean(diff) / (sd(diff) / sqrt(n)) with ``df = n - 1`` and its two-sided
      ``t_p``, as ``scipy.stats.ttest_rel(post, pre)`` gives them (t and p NaN when every
      difference is zero, t = ±inf and p = 0.0 when all are equal otherwise).
    * ``wilcoxon_t`` and ``wilcoxon_p``: Wilcoxon signed-rank test of the differences with
      Pratt's treatment of zeros (ranked, then dropped), two-sided:
      ``scipy.stats.wilcoxon(diff, zero_method="pratt")``, whose p is exact for small groups
      (the exact null distribution up to 50 pairs without ties or zeros; with them, every
      assignment of signs up to 13 pairs) and otherwise the normal approximation with
      Pratt's correction of mean and variance for the zeros (Cureton 1967), the tie
      correction and no continuity correction; ``wilcoxon_t`` is T = min(R+, R-). Both NaN
      when every difference is zero. For this test and the
      rank-biserial correlation the differences are first rounded to 9 decimals, so that
      floating-point noise (``8/3 - 5/3 != 10/3 - 7/3``) cannot break ties or hide zeros;
      ranks of genuinely distinct differences, and hence the p-value, are unchanged.
    * ``d_z = mean(diff) / sd(diff, ddof=1)``, signed; NaN when sd = 0.
    * ``rank_biserial``: :func:`rank_biserial_pratt`, on the same Pratt ranks as the test,
      signed like d_z (positive r means scores went up).
    * Reliable Change Index (Jacobson & Truax 1991): ``SEM = SD_pre * sqrt(1 - alpha_pre)``
      (SD_pre with ddof=1 over the paired pre scores), ``S_diff = sqrt(2) * SEM``,
      ``RCI = diff / S_diff``. With ``desired_change="decrease"`` ``RCI < -1.96`` is improved
      and ``RCI > 1.96`` worsened (mirror image for ``"increase"``); the rest is unchanged.
      Percentages of ``n_pairs``; NaN when ``alpha_pre`` is NaN/None or ``S_diff`` is 0.

    When ``n_pairs < MIN_CELL`` the result is suppressed: every field except
    ``suppressed=True`` is ``None``.
    """
    if desired_change not in DESIRED_CHANGES:
        raise ValueError(f"desired_change must be one of {DESIRED_CHANGES}, got {desired_change!r}")
    pre = _as_vector(pre, "pre")
    post = _as_vector(post, "post")
    if pre.shape != post.shape:
        raise ValueError(f"pre and post must be aligned, got {pre.shape} and {post.shape}")

    pre_ok = np.isfinite(pre)
    post_ok = np.isfinite(post)
    paired = pre_ok & post_ok
    n_pairs = int(paired.sum())
    n_pre = int(pre_ok.sum()) if n_pre is None else int(n_pre)
    n_post = int(post_ok.sum()) if n_post is None else int(n_post)
    if n_pre < n_pairs or n_post < n_pairs:
        raise ValueError("n_pre and n_post cannot be smaller than the number of pairs")

    if n_pairs < MIN_CELL:
        return _suppressed_change()

    x = pre[paired]
    y = post[paired]
    diff = y - x
    snapped = np.round(diff, _SNAP_DECIMALS)
    n = n_pairs
    mean_diff = float(diff.mean())
    constant = bool(np.all(snapped == snapped[0]))

    if constant:
        sd_diff = 0.0
        d_z = ci_low = ci_high = math.nan
        if snapped[0] == 0:
            t = t_p = math.nan
        else:
            t, t_p = math.copysign(math.inf, snapped[0]), 0.0
    else:
        sd_diff = float(diff.std(ddof=1))
        d_z = mean_diff / sd_diff
        # The t distribution straight from scipy.special: the same numbers as ttest_rel and
        # t.ppf without their per-call overhead, which dominates a page of many groups.
        se = sd_diff / math.sqrt(n)
        half = float(special.stdtrit(n - 1, 0.5 + CONFIDENCE / 2)) * se
        ci_low, ci_high = mean_diff - half, mean_diff + half
        t = mean_diff / se
        t_p = float(2 * special.stdtr(n - 1, -abs(t)))

    wilcoxon_t, wilcoxon_p = wilcoxon_pratt(snapped)

    unpaired = pre_ok & ~paired
    if exit_state is None:
        awaiting_exit, attrition = 0, n_pre - n_pairs
    else:
        state = np.asarray(exit_state)
        if state.shape != pre.shape:
            raise ValueError(f"exit_state must be aligned with pre, got {state.shape}")
        awaiting_exit = int((unpaired & (state == EXIT_AWAITED)).sum())
        attrition = int((unpaired & (state == EXIT_MISSED)).sum())

    # Reliable Change Index
    alpha = math.nan if alpha_pre is None else float(alpha_pre)
    sem = float(x.std(ddof=1)) * math.sqrt(1.0 - alpha) if alpha <= 1 else math.nan
    s_diff = math.sqrt(2.0) * sem
    if not s_diff > 0:  # NaN alpha, or no spread in the pre scores, or alpha == 1
        pct_improved = pct_unchanged = pct_worsened = math.nan
    else:
        rci = diff / s_diff
        up = int((rci > RCI_CRITICAL).sum())
        down = int((rci < -RCI_CRITICAL).sum())
        improved, worsened = (down, up) if desired_change == "decrease" else (up, down)
        pct_improved = 100.0 * improved / n
        pct_worsened = 100.0 * worsened / n
        pct_unchanged = 100.0 * (n - improved - worsened) / n

    return ChangeResult(
        n_pre=n_pre,
        n_post=n_post,
        n_pairs=n_pairs,
        attrition=attrition,
        awaiting_exit=awaiting_exit,
        suppressed=False,
        mean_pre=float(x.mean()),
        mean_post=float(y.mean()),
        mean_diff=mean_diff,
        ci_low=float(ci_low),
        ci_high=float(ci_high),
        t=float(t),
        df=n - 1,
        t_p=float(t_p),
        wilcoxon_t=wilcoxon_t,
        wilcoxon_p=wilcoxon_p,
        d_z=float(d_z),
        rank_biserial=rank_biserial_pratt(snapped),
        sd_diff=sd_diff,
        pct_improved=pct_improved,
        pct_unchanged=pct_unchanged,
        pct_worsened=pct_worsened,
        p_holm=None,
    )


# --------------------------------------------------------------------------------------
# Multiple comparisons
# --------------------------------------------------------------------------------------


def holm(pvalues: Iterable[float | None] | np.ndarray) -> np.ndarray:
    """Holm (Bonferroni step-down) adjusted p-values, in the input order.

    With the ``m`` non-NaN p-values sorted ascending, ``p_adj(i) = min(1, max_{j<=i}
    (m - j + 1) * p(j))``: monotone in the original ordering, capped at 1. NaN (or ``None``)
    entries are returned as NaN and do not count towards ``m``.
    """
    p = np.asarray(list(pvalues) if not isinstance(pvalues, np.ndarray) else pvalues, dtype=float)
    if p.ndim != 1:
        p = p.ravel()
    out = np.full(p.shape, np.nan)
    idx = np.flatnonzero(~np.isnan(p))
    if idx.size == 0:
        return out
    vals = p[idx]
    if np.any((vals < 0) | (vals > 1)):
        raise ValueError("p-values must lie in [0, 1]")
    m = idx.size
    order = np.argsort(vals, kind="stable")
    stepped = (m - np.arange(m)) * vals[order]
    out[idx[order]] = np.minimum(1.0, np.maximum.accumulate(stepped))
    return out
