"""Benchmark of the pre/post questionnaire analysis (assessments.analytics.analysis).

Run from the project root (no Django needed):

    .venv/bin/python bench/analytics.py [--participants 10000] [--items 24] [--repeat 1]

Generates synthetic paired answers (1-5 scale, missing answers, reverse-keyed items,
attrition, a change that differs by group), then times

* ``analyse_groups`` (vectorised: score the whole matrix once, slice per group) for the
  groupings site, sex, generation and site × sex × generation, and
* a plain per-participant Python loop over the same data (reverse-code, score and append to
  per-group lists one participant at a time, then the same statistics with SciPy per group),

checks that both give the same numbers, and prints the timings and the speed-up.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
from scipy import stats

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assessments.analytics.analysis import (  # noqa: E402
    CONFIDENCE,
    MIN_CELL,
    RCI_CRITICAL,
    analyse_groups,
)

SITES = ("Lima", "Cusco", "Piura")
SEXES = ("F", "M")
GENERATIONS = ("18-29", "30-49", "50+")
SCALE_MIN, SCALE_MAX = 1, 5
DESIRED = "decrease"


# ------------------------------------------------------------------------------ data


def make_data(n: int, k: int, seed: int = 2024):
    """Synthetic aligned pre/post answers (n × k, NaN missing) and group labels."""
    rng = np.random.default_rng(seed)
    site = rng.integers(0, len(SITES), n)
    sex = rng.integers(0, len(SEXES), n)
    gen = rng.integers(0, len(GENERATIONS), n)
    reverse = np.zeros(k, dtype=bool)
    reverse[:: max(1, k // 4)] = True  # every 6th item of 24 is reverse-keyed

    latent = rng.normal(3.2, 0.7, n) + 0.15 * gen - 0.1 * sex
    # simulated change (desired: decrease) differing by site and generation
    shift = np.array([-0.45, -0.25, -0.05])[site] + np.array([-0.1, 0.0, 0.15])[gen]
    change = shift + rng.normal(0, 0.35, n)

    def answers(level: np.ndarray) -> np.ndarray:
        raw = np.rint(level[:, None] + rng.normal(0, 0.8, (n, k)))
        raw = np.clip(raw, SCALE_MIN, SCALE_MAX)
        raw[:, reverse] = SCALE_MIN + SCALE_MAX - raw[:, reverse]  # stored as answered
        raw[rng.random((n, k)) < 0.03] = np.nan  # skipped items
        return raw

    pre = answers(latent)
    post = answers(latent + change)
    post[rng.random(n) < 0.08] = np.nan  # attrition: no post questionnaire
    pre[rng.random(n) < 0.01] = np.nan  # a few without pre
    labels = {
        "site": np.array(SITES)[site],
        "sex": np.array(SEXES)[sex],
        "generation": np.array(GENERATIONS)[gen],
    }
    labels["site×sex×generation"] = np.char.add(
        np.char.add(np.char.add(labels["site"], "/"), np.char.add(labels["sex"], "/")),
        labels["generation"],
    )
    return pre, post, reverse, labels


# ------------------------------------------------------------------------------ baseline


def _holm_py(pvalues: list[float]) -> list[float]:
    idx = [i for i, p in enumerate(pvalues) if not math.isnan(p)]
    idx.sort(key=lambda i: pvalues[i])
    m = len(idx)
    out = [math.nan] * len(pvalues)
    running = 0.0
    for rank, i in enumerate(idx):
        running = max(running, (m - rank) * pvalues[i])
        out[i] = min(1.0, running)
    return out


def _alpha_py(rows: list[list[float]]) -> float:
    k = len(rows[0]) if rows else 0
    if k < 2 or len(rows) < 2:
        return math.nan
    arr = np.array(rows)
    total_var = arr.sum(axis=1).var(ddof=1)
    if not total_var > 0:
        return math.nan
    return k / (k - 1) * (1 - arr.var(axis=0, ddof=1).sum() / total_var)


def loop_analysis(pre_rows, post_rows, labels, reverse, desired):
    """Per-participant pure-Python loop, then SciPy per group (the slow baseline)."""
    k = len(reverse)
    rev_idx = [j for j in range(k) if reverse[j]]
    top = SCALE_MIN + SCALE_MAX
    groups = defaultdict(lambda: {"pre": [], "post": [], "pre_rows": [], "post_rows": []})

    def score(row):
        answered = [v for v in row if v == v]
        if answered and len(answered) * 5 >= k * 4:
            return sum(answered) / len(answered)
        return math.nan

    for i in range(len(pre_rows)):
        g = groups[labels[i]]
        for wave, rows in (("pre", pre_rows), ("post", post_rows)):
            row = list(rows[i])
            for j in rev_idx:
                row[j] = top - row[j]
            g[wave].append(score(row))
            if all(v == v for v in row):
                g[wave + "_rows"].append(row)

    results = {}
    for name in sorted(groups):
        g = groups[name]
        alpha_pre = _alpha_py(g["pre_rows"])
        pairs = [(a, b) for a, b in zip(g["pre"], g["post"], strict=True) if a == a and b == b]
        n = len(pairs)
        if n < MIN_CELL:
            results[name] = None
            continue
        x = np.array([a for a, _ in pairs])
        y = np.array([b for _, b in pairs])
        d = y - x
        snapped = np.round(d, 9)
        sd = d.std(ddof=1)
        t_p = stats.ttest_rel(y, x).pvalue
        ci = stats.t.interval(CONFIDENCE, n - 1, loc=d.mean(), scale=sd / math.sqrt(n))
        w_p = stats.wilcoxon(snapped, zero_method="pratt").pvalue
        ranks = stats.rankdata(np.abs(snapped))  # Pratt: zeros ranked, then dropped
        m = np.count_nonzero(snapped)
        r = 2 * (ranks[snapped > 0].sum() - ranks[snapped < 0].sum()) / (m * (m + 1))
        s_diff = math.sqrt(2) * x.std(ddof=1) * math.sqrt(1 - alpha_pre)
        rci = d / s_diff
        improved = (rci < -RCI_CRITICAL) if desired == "decrease" else (rci > RCI_CRITICAL)
        results[name] = {
            "mean_diff": d.mean(),
            "ci_low": ci[0],
            "t_p": t_p,
            "wilcoxon_p": w_p,
            "d_z": d.mean() / sd,
            "rank_biserial": r,
            "pct_improved": 100 * improved.sum() / n,
            "alpha_pre": alpha_pre,
        }
    shown = [name for name, res in results.items() if res is not None]
    for name, p in zip(shown, _holm_py([results[s]["t_p"] for s in shown]), strict=True):
        results[name]["p_holm"] = p
    return results


def compare(vec, loop) -> float:
    """Largest absolute difference between the two implementations (suppression must match)."""
    worst = 0.0
    assert set(vec) == set(loop), "different groups"
    for name, g in vec.items():
        ref = loop[name]
        assert (ref is None) == g.suppressed, name
        if ref is None:
            continue
        mine = {
            "mean_diff": g.change.mean_diff,
            "ci_low": g.change.ci_low,
            "t_p": g.change.t_p,
            "wilcoxon_p": g.change.wilcoxon_p,
            "d_z": g.change.d_z,
            "rank_biserial": g.change.rank_biserial,
            "pct_improved": g.change.pct_improved,
            "alpha_pre": g.alpha_pre.alpha,
            "p_holm": g.change.p_holm,
        }
        for key, value in mine.items():
            worst = max(worst, abs(value - ref[key]))
    return worst


# ------------------------------------------------------------------------------ main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--items", type=int, default=24)
    parser.add_argument("--repeat", type=int, default=1, help="best of N runs for each timing")
    args = parser.parse_args()

    pre, post, reverse, labels = make_data(args.participants, args.items)
    kwargs = {
        "reverse": reverse,
        "scale_min": SCALE_MIN,
        "scale_max": SCALE_MAX,
        "desired_change": DESIRED,
    }
    # warm-up: SciPy loads parts of itself lazily on first use
    analyse_groups(pre[:200], post[:200], labels["site"][:200], **kwargs)

    print(
        f"{args.participants} participants × {args.items} items, "
        f"{int(reverse.sum())} reverse-keyed; "
        f"rows answering pre {int(np.isfinite(pre).any(axis=1).sum())}, "
        f"post {int(np.isfinite(post).any(axis=1).sum())}"
    )
    print(f"{'grouping':<22}{'groups':>7}{'vectorised s':>14}{'loop s':>10}{'speed-up':>10}")

    pre_rows, post_rows = pre.tolist(), post.tolist()  # the loop gets plain Python rows
    total_vec = total_loop = 0.0
    worst = 0.0
    for grouping, lab in labels.items():
        vec_times, loop_times = [], []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            vec = analyse_groups(pre, post, lab, **kwargs)
            vec_times.append(time.perf_counter() - t0)
        lab_list = lab.tolist()
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            loop = loop_analysis(pre_rows, post_rows, lab_list, reverse.tolist(), DESIRED)
            loop_times.append(time.perf_counter() - t0)
        t_vec, t_loop = min(vec_times), min(loop_times)
        total_vec += t_vec
        total_loop += t_loop
        worst = max(worst, compare(vec, loop))
        print(f"{grouping:<22}{len(vec):>7}{t_vec:>14.4f}{t_loop:>10.3f}{t_loop / t_vec:>9.0f}x")

    print(f"results agree: max |difference| = {worst:.2e}")
    print(
        f"vectorised: {total_vec:.3f} s  per-participant loop: {total_loop:.2f} s  "
        f"speed-up: {total_loop / total_vec:.0f}x"
    )
    if total_vec >= 1.0:
        print("WARNING: vectorised total is not under 1 s")


if __name__ == "__main__":
    main()
