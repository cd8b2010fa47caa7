"""Numerical core of the pre/post attitude-questionnaire analysis.

Pure numpy/scipy, no Django: callers (views, exports, Celery tasks) turn database answers
into ``n × k`` float arrays (one row per participant, one column per *scored* item, ``NaN``
for an unanswered item) and get back frozen dataclasses.

Recipe (project domain notes):

1. Scoring key: reverse-keyed items are recoded ``x' = (min + max) - x`` (:func:`reverse_code`).
   Filler items are dropped by the caller before anything reaches this module.
2. Subscale score = mean of the answered items when at least 80 % of the items are answered,
   else missing (:func:`subscale_scores`). The threshold is evaluated in exact integer
   arithmetic (``answered * 5 >= k * 4`` for 80 %), never with a float ``ceil``.
3. Pre and post are matched by participant (aligned rows); only complete pairs are analysed.
   Of those scored before but not after, participants whose exit questionnaire is not open
   yet or still open are *awaiting exit*; only those whose exit questionnaire closed without
   an answer are *attrition* (:func:`paired_change`).
4. Reliability: Cronbach's alpha on listwise-complete item rows (:func:`cronbach_alpha`).
5. Change: mean difference with 95 % t confidence interval, paired t-test (t with its df),
   Wilcoxon signed-rank test (T and p, Pratt zero handling), d_z and
   the matched-pairs rank-biserial correlation on the same Pratt ranks
   (rcompanion's ``wilcoxonPairedRC(zero.method = "Pratt")``), signed like d_z.
6. Reliable Change Index (Jacobson & Truax 1991) with the direction of improvement given by
   the instrument (``desired_change``).
7. Holm step-down adjustment of the t-test p-values across the groups shown (:func:`holm`).
8. Small-cell suppression (:mod:`assessments.analytics.suppression`): any group with fewer
   than :data:`MIN_CELL` complete pairs is reported as suppressed, with every number set to
   ``None``, and a lone hidden group hides the smallest visible one too.
9. Per-item percentage agreeing before and after (:func:`item_agreement`).

Conventions: differences are always ``post - pre``; percentages are on a 0-100 scale;
statistics that are undefined for a non-suppressed cell (e.g. d_z when every difference is
equal) are ``float('nan')``, whereas ``None`` always means "suppressed" (or, for ``p_holm``,
"not adjusted yet").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from assessments.analytics.statistics import (
    CONFIDENCE,
    DESIRED_CHANGES,
    EXIT_ANSWERED,
    EXIT_AWAITED,
    EXIT_MISSED,
    METHOD_P_ADJUST,
    MIN_CELL,
    MIN_SHARE,
    RCI_CRITICAL,
    ChangeResult,
    Reliability,
    _as_matrix,
    _score_rows,
    _suppressed_change,
    cronbach_alpha,
    holm,
    paired_change,
    rank_biserial_pratt,
    reverse_code,
    subscale_scores,
)
from assessments.analytics.suppression import suppressed_cells

__all__ = [
    "CONFIDENCE",
    "DESIRED_CHANGES",
    "EXIT_ANSWERED",
    "EXIT_AWAITED",
    "EXIT_MISSED",
    "METHOD_P_ADJUST",
    "MIN_CELL",
    "MIN_SHARE",
    "RCI_CRITICAL",
    "ChangeResult",
    "GroupResult",
    "ItemAgreement",
    "Reliability",
    "analyse_groups",
    "cronbach_alpha",
    "holm",
    "item_agreement",
    "paired_change",
    "rank_biserial_pratt",
    "reverse_code",
    "subscale_scores",
]


# --------------------------------------------------------------------------------------
# Result types
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GroupResult:
    """Everything reported for one group (site, sex, generation, a combination, ...).

    ``excluded_pre`` / ``excluded_post`` count the group's rows without a score in that
    wave (see :func:`subscale_scores`); they are ``None`` when the group is suppressed, as
    are the reliabilities' ``alpha`` and ``n``.
    """

    name: str
    change: ChangeResult
    alpha_pre: Reliability
    alpha_post: Reliability
    excluded_pre: int | None
    excluded_post: int | None

    @property
    def suppressed(self) -> bool:
        return self.change.suppressed


@dataclass(frozen=True, slots=True)
class ItemAgreement:
    """Share agreeing with one item before and after (raw answers, percent 0-100).

    ``n`` is the number of rows that answered the item in both waves. Suppressed (all
    numbers ``None``) when ``n < MIN_CELL``.
    """

    item: int
    n: int | None
    pct_agree_pre: float | None
    pct_agree_post: float | None
    suppressed: bool


# --------------------------------------------------------------------------------------
# Groups
# --------------------------------------------------------------------------------------


def _suppress_reliability(rel: Reliability, suppress: bool) -> Reliability:
    if suppress or rel.n is None or rel.n < MIN_CELL:
        return Reliability(alpha=None, n=None, k=rel.k, suppressed=True)
    return rel


def analyse_groups(
    pre_items: np.ndarray,
    post_items: np.ndarray,
    group_labels: Sequence[str] | np.ndarray,
    *,
    reverse: np.ndarray,
    scale_min: int,
    scale_max: int,
    desired_change: str,
    min_share: float = MIN_SHARE,
    exit_state: np.ndarray | None = None,
) -> dict[str, GroupResult]:
    """Analyse one subscale per group.

    ``pre_items`` / ``post_items`` are ``n × k`` raw answers aligned by participant (NaN =
    missing; a participant who skipped a wave has an all-NaN row), ``group_labels`` a
    length-``n`` sequence of group names (converted with ``str``; filter out rows without a
    group before calling); ``exit_state`` (optional, aligned) tells awaiting exit from
    attrition (see :func:`paired_change`). Reverse coding and scoring are done once for the
    whole matrix; each group is then a slice. Per group: subscale scores pre/post (exclusion
    counts as in :func:`subscale_scores`), Cronbach's alpha pre and post (reverse-coded,
    listwise-complete rows of that group and wave), :func:`paired_change` (RCI with the
    group's pre alpha), and finally Holm adjustment of the t-test p-values across the
    non-suppressed groups of this call (``change.p_holm``).

    Suppressed groups (fewer than :data:`MIN_CELL` pairs) have all numbers ``None``; a
    reliability computed on fewer than :data:`MIN_CELL` complete rows is suppressed too.
    Groups come out sorted by name. To add an overall row, call again with one label.
    """
    pre_raw = _as_matrix(pre_items, "pre_items")
    post_raw = _as_matrix(post_items, "post_items")
    if pre_raw.shape != post_raw.shape:
        raise ValueError(f"pre and post must be aligned, got {pre_raw.shape} and {post_raw.shape}")
    labels = np.asarray(group_labels).astype(str)
    if labels.shape != (pre_raw.shape[0],):
        raise ValueError(f"group_labels must have length {pre_raw.shape[0]}")
    if desired_change not in DESIRED_CHANGES:
        raise ValueError(f"desired_change must be one of {DESIRED_CHANGES}, got {desired_change!r}")
    if exit_state is not None:
        exit_state = np.asarray(exit_state)
        if exit_state.shape != labels.shape:
            raise ValueError(f"exit_state must have length {pre_raw.shape[0]}")

    # Whole-matrix work, done once.
    pre_rc = reverse_code(pre_raw, reverse, scale_min, scale_max)
    post_rc = reverse_code(post_raw, reverse, scale_min, scale_max)
    pre_scores = _score_rows(pre_rc, min_share)
    post_scores = _score_rows(post_rc, min_share)
    pre_missing = np.isnan(pre_scores)
    post_missing = np.isnan(post_scores)
    pre_complete = np.isfinite(pre_rc).all(axis=1)
    post_complete = np.isfinite(post_rc).all(axis=1)

    names, inverse = np.unique(labels, return_inverse=True)
    order = np.argsort(inverse, kind="stable")
    bounds = np.cumsum(np.bincount(inverse, minlength=names.size))[:-1]
    members = np.split(order, bounds)

    results: dict[str, GroupResult] = {}
    for name, idx in zip(names.tolist(), members, strict=True):
        rel_pre = cronbach_alpha(pre_rc[idx[pre_complete[idx]]])
        rel_post = cronbach_alpha(post_rc[idx[post_complete[idx]]])
        change = paired_change(
            pre_scores[idx],
            post_scores[idx],
            alpha_pre=rel_pre.alpha,
            desired_change=desired_change,
            exit_state=None if exit_state is None else exit_state[idx],
        )
        hide = change.suppressed
        results[name] = GroupResult(
            name=name,
            change=change,
            alpha_pre=_suppress_reliability(rel_pre, hide),
            alpha_post=_suppress_reliability(rel_post, hide),
            excluded_pre=None if hide else int(pre_missing[idx].sum()),
            excluded_post=None if hide else int(post_missing[idx].sum()),
        )

    _suppress_complement(results)
    shown = [name for name, res in results.items() if not res.suppressed]
    adjusted = holm([results[name].change.t_p for name in shown])
    for name, p_adj in zip(shown, adjusted.tolist(), strict=True):
        res = results[name]
        results[name] = replace(res, change=replace(res.change, p_holm=float(p_adj)))
    return results


def _suppress_complement(results: dict[str, GroupResult]) -> None:
    """Complementary suppression (:func:`suppressed_cells`): when exactly one group is hidden,
    the total minus the other groups would reveal it, so the smallest visible group is hidden
    too."""
    sizes = {name: res.change.n_pairs for name, res in results.items()}
    for name in suppressed_cells(sizes):
        res = results[name]
        if res.suppressed:
            continue
        results[name] = GroupResult(
            name=name,
            change=_suppressed_change(),
            alpha_pre=_suppress_reliability(res.alpha_pre, True),
            alpha_post=_suppress_reliability(res.alpha_post, True),
            excluded_pre=None,
            excluded_post=None,
        )


# --------------------------------------------------------------------------------------
# Items
# --------------------------------------------------------------------------------------


def item_agreement(
    pre_raw: np.ndarray, post_raw: np.ndarray, agree_values: Iterable[float]
) -> list[ItemAgreement]:
    """Per item, percentage agreeing before and after.

    Uses the **raw** answers (not reverse-coded): an answer agrees when it is one of
    ``agree_values`` (e.g. ``{4, 5}`` on a 1-5 scale). For each item only rows that answered
    it in both waves count (pass the paired participants' rows). Items answered by fewer
    than :data:`MIN_CELL` such rows are suppressed.
    """
    pre = _as_matrix(pre_raw, "pre_raw")
    post = _as_matrix(post_raw, "post_raw")
    if pre.shape != post.shape:
        raise ValueError(f"pre and post must be aligned, got {pre.shape} and {post.shape}")
    agree = np.asarray(sorted(set(agree_values)), dtype=float)
    both = np.isfinite(pre) & np.isfinite(post)
    n = both.sum(axis=0)
    agree_pre = (np.isin(pre, agree) & both).sum(axis=0)
    agree_post = (np.isin(post, agree) & both).sum(axis=0)

    out: list[ItemAgreement] = []
    for j in range(pre.shape[1]):
        nj = int(n[j])
        if nj < MIN_CELL:
            out.append(ItemAgreement(j, None, None, None, suppressed=True))
        else:
            out.append(
                ItemAgreement(
                    item=j,
                    n=nj,
                    pct_agree_pre=100.0 * int(agree_pre[j]) / nj,
                    pct_agree_post=100.0 * int(agree_post[j]) / nj,
                    suppressed=False,
                )
            )
    return out
