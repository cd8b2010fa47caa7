"""Every figure of one group on the analytics page, against values computed here.

A small fixed data set with tied and zero changes: eleven activists of one cohort whose last
session was held yesterday (so the exit questionnaire is open), nine of them with both
questionnaires, one still awaited and one who left the cohort without it (attrition). The
expected values come from exact fractions, a rank function and an enumeration of every
assignment of signs written in this file, and scipy's t distribution; nothing from
assessments.analytics.
"""

import datetime as dt
import itertools
import math
from fractions import Fraction

import numpy as np
import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from scipy import stats

from assessments.instruments.files import instrument_import
from courses.models import Enrollment, SessionDelivery
from lms.research_codes import research_code_of
from lms.roles import Role
from tests.factories import (
    CEMFactory,
    CohortFactory,
    EnrollmentFactory,
    SessionDeliveryFactory,
    SessionPageFactory,
    person,
    site,
)
from tests.helpers import EXAMPLE_INSTRUMENT, TOL, answers_from, submit_response

# (entry level, exit level or None, offset of the fifth item): the five tolerance items are
# answered [v, v, 6 - v, v, v + e] (tol_03 is reverse-coded), so the score is v + e/5 and each
# change is a whole number: ties (-1 three times, -2 twice) and two zeros.
PEOPLE = [
    (4, 3, 1),
    (4, 2, -1),
    (3, 3, 1),
    (5, 4, -1),
    (2, 3, 1),
    (4, 4, 0),
    (5, 3, -1),
    (3, 2, 0),
    (4, 1, 1),
    (3, None, 0),  # no exit answer yet, while the exit questionnaire is open: awaiting exit
    (4, None, 0),  # left the cohort without an exit answer: attrition
]


def raw(level: int, offset: int) -> list[int]:
    return [level, level, 6 - level, level, level + offset]


def scored(answers: list[int]) -> list[Fraction]:
    return [
        Fraction(6 - v) if code == "tol_03" else Fraction(v)
        for code, v in zip(TOL, answers, strict=True)
    ]


def average_ranks(values: list[Fraction]) -> list[Fraction]:
    """Ranks 1..n of the values, ties sharing the mean of their positions."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [Fraction(0)] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for position in range(start, end + 1):
            ranks[order[position]] = Fraction(start + end + 2, 2)
        start = end + 1
    return ranks


def alpha(rows: list[list[Fraction]]) -> float:
    m = np.array(rows, dtype=float)
    k = m.shape[1]
    return k / (k - 1) * (1 - m.var(axis=0, ddof=1).sum() / m.sum(axis=1).var(ddof=1))


def expected() -> dict:
    pairs = [(raw(a, e), raw(b, e)) for a, b, e in PEOPLE if b is not None]
    pre = [sum(scored(x)) / 5 for x, _ in pairs]
    post = [sum(scored(y)) / 5 for _, y in pairs]
    diff = [b - a for a, b in zip(pre, post, strict=True)]
    n = len(diff)
    mean = sum(diff) / n
    var = sum((d - mean) ** 2 for d in diff) / (n - 1)
    sd = math.sqrt(var)
    t = float(mean) / (sd / math.sqrt(n))
    half = stats.t.ppf(0.975, n - 1) * sd / math.sqrt(n)
    # Pratt: rank every |change|, zeros included, then drop the zeros' ranks.
    ranks = average_ranks([abs(d) for d in diff])
    r_plus = sum(r for r, d in zip(ranks, diff, strict=True) if d > 0)
    r_minus = sum(r for r, d in zip(ranks, diff, strict=True) if d < 0)
    nonzero = [r for r, d in zip(ranks, diff, strict=True) if d != 0]
    m = len(nonzero)
    # Exact two-sided p: R+ under every assignment of signs to the non-zero ranks.
    null = [
        sum(r for r, positive in zip(nonzero, signs, strict=True) if positive)
        for signs in itertools.product((True, False), repeat=m)
    ]
    p_low = sum(x <= r_plus for x in null) / len(null)
    p_high = sum(x >= r_plus for x in null) / len(null)
    entry_rows = [scored(raw(a, e)) for a, _b, e in PEOPLE]
    exit_rows = [scored(y) for _, y in pairs]
    alpha_pre = alpha(entry_rows)
    sd_pre = math.sqrt(sum((x - sum(pre) / n) ** 2 for x in pre) / (n - 1))
    s_diff = math.sqrt(2) * sd_pre * math.sqrt(1 - alpha_pre)
    rci = [float(d) / s_diff for d in diff]
    return {
        "diff": diff,
        "n_pairs": n,
        "df": n - 1,
        "awaiting_exit": 1,
        "attrition": 1,
        "n_pre": len(PEOPLE),
        "n_post": n,
        "mean_pre": float(sum(pre) / n),
        "mean_post": float(sum(post) / n),
        "mean_diff": float(mean),
        "sd_diff": sd,
        "ci_low": float(mean) - half,
        "ci_high": float(mean) + half,
        "t": t,
        "t_p": 2 * stats.t.sf(abs(t), n - 1),
        "wilcoxon_t": float(min(r_plus, r_minus)),
        "wilcoxon_p": min(1.0, 2 * min(p_low, p_high)),
        "d_z": float(mean) / sd,
        "rank_biserial": float(2 * (r_plus - r_minus) / (m * (m + 1))),
        "alpha_pre": (alpha_pre, len(entry_rows)),
        "alpha_post": (alpha(exit_rows), len(exit_rows)),
        # desired change "decrease": RCI below -1.96 is improvement
        "pct_improved": 100 * sum(x < -1.96 for x in rci) / n,
        "pct_worsened": 100 * sum(x > 1.96 for x in rci) / n,
    }


@pytest.fixture
def one_group(course):
    course.post_wave_days = 14
    course.save()
    instrument = instrument_import(EXAMPLE_INSTRUMENT.read_bytes())
    codes = list(instrument.items.values_list("code", flat=True))
    cohort = CohortFactory(course=course, cem=CEMFactory(site=site("iquitos")), name="Grupo Nanay")
    yesterday = timezone.now() - dt.timedelta(days=1)
    for number in range(3):
        SessionDeliveryFactory(
            cohort=cohort,
            session=SessionPageFactory(parent=course),
            scheduled_at=yesterday - dt.timedelta(days=7 * (2 - number)),
            status=SessionDelivery.Status.HELD,
        )
    for index, (entry, exit_, offset) in enumerate(PEOPLE):
        withdrawn = index == len(PEOPLE) - 1
        enrollment = EnrollmentFactory(
            cohort=cohort,
            status=Enrollment.Status.WITHDRAWN if withdrawn else Enrollment.Status.ENROLLED,
        )
        common = {
            "instrument": instrument,
            "cohort": cohort,
            "code": research_code_of(enrollment.activist.profile),
        }
        submit_response(**common, wave="pre", answers=answers_from(raw(entry, offset), codes))
        if exit_ is not None:
            submit_response(**common, wave="post", answers=answers_from(raw(exit_, offset), codes))
    return instrument


def test_every_figure_of_one_group_equals_the_independent_computation(client, one_group):
    exp = expected()
    assert sorted(exp["diff"]) == [-3, -2, -2, -1, -1, -1, 0, 0, 1]  # ties and zeros
    client.force_login(person(Role.COORDINATOR))
    response = client.get(
        reverse("assessments:analytics"),
        {"instrument": one_group.pk, "subscale": "tolerancia", "group": "cohort"},
    )
    [row] = response.context["report"].groups
    c, result = row.result.change, row.result
    assert c.suppressed is False
    for name in ("n_pairs", "df", "awaiting_exit", "attrition", "n_pre", "n_post"):
        assert getattr(c, name) == exp[name], name
    for name in (
        "mean_pre",
        "mean_post",
        "mean_diff",
        "sd_diff",
        "ci_low",
        "ci_high",
        "t",
        "t_p",
        "wilcoxon_t",
        "wilcoxon_p",
        "d_z",
        "rank_biserial",
        "pct_improved",
        "pct_worsened",
    ):
        assert getattr(c, name) == pytest.approx(exp[name], rel=1e-9, abs=1e-12), name
    assert c.pct_unchanged == pytest.approx(100 - exp["pct_improved"] - exp["pct_worsened"])
    assert c.p_holm == pytest.approx(exp["t_p"])  # one group: nothing to adjust
    assert (result.alpha_pre.alpha, result.alpha_pre.n) == (
        pytest.approx(exp["alpha_pre"][0], rel=1e-9),
        exp["alpha_pre"][1],
    )
    assert (result.alpha_post.alpha, result.alpha_post.n) == (
        pytest.approx(exp["alpha_post"][0], rel=1e-9),
        exp["alpha_post"][1],
    )
    assert (row.unscored_pre, row.unscored_post) == (0, 0)

    # The page prints them: t beside its df, T beside p, r, awaiting exit apart from attrition.
    html = response.content.decode()
    cells = html[html.index('<th scope="row">Grupo Nanay</th>') :].split("</tr>")[0]
    assert f"{number_format(exp['t'], 2)} (gl {exp['df']})" in cells
    assert f">{number_format(exp['wilcoxon_t'], 1)}<" in cells
    assert f">{number_format(exp['rank_biserial'], 2)}<" in cells
    assert '<td class="num">9</td><td class="num">1</td><td class="num">1</td>' in cells
    for footnote in ("fn-wilcoxon", "fn-rank-biserial", "fn-awaiting"):
        assert f'id="{footnote}"' in html
    assert "rcompanion" in html
