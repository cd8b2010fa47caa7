"""The coordinator analytics page: figures, suppression, scope, access and query count.

The expected figures are computed here independently of assessments.analytics.analysis:
subscale scores by hand with exact fractions from the raw answers in ``TOLERANCE`` (tol_03 is
reverse-coded: x' = 6 - x), then SciPy (ttest_rel, wilcoxon, t.interval, rankdata) and plain
formulas (Cronbach's alpha, d_z, RCI, Holm).
"""

import math
import re
from fractions import Fraction

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from scipy import stats

from assessments.analytics.views import COLUMNS
from lms.research_codes import research_code_of
from lms.roles import Role
from tests.factories import EnrollmentFactory, UserFactory, person
from tests.helpers import TOL, TOLERANCE, answers_from, build_dataset, submit_response

REVERSED = {"tol_03"}
URL = "assessments:analytics"


def page(client, user, **params):
    client.force_login(user)
    return client.get(reverse(URL), params)


def rows_by_name(report):
    return {row.name: row for row in report.groups}


# ----------------------------------------------------------------------------- hand statistics


def hand_score(raw: list) -> Fraction | None:
    """Mean of the answered tolerance items after reverse coding, if >= 4 of 5 answered."""
    values = [
        Fraction(6 - v) if code in REVERSED else Fraction(v)
        for code, v in zip(TOL, raw, strict=False)
        if v is not None
    ]
    return sum(values) / len(values) if len(values) * 5 >= 5 * 4 else None


def hand_alpha(rows: list[list]) -> tuple[float, int]:
    """Cronbach's alpha of the reverse-coded, listwise-complete item rows."""
    complete = [
        [6 - v if code in REVERSED else v for code, v in zip(TOL, row, strict=True)]
        for row in rows
        if row is not None and len(row) == 5 and None not in row
    ]
    m = np.array(complete, dtype=float)
    k = m.shape[1]
    alpha = k / (k - 1) * (1 - m.var(axis=0, ddof=1).sum() / m.sum(axis=1).var(ddof=1))
    return alpha, len(complete)


def expected(rows: list) -> dict:
    """Every figure of one group, computed without assessments.analytics.analysis."""
    pairs = [
        (hand_score(pre), hand_score(post))
        for pre, post in rows
        if post is not None and hand_score(pre) is not None and hand_score(post) is not None
    ]
    pre = np.array([float(a) for a, _b in pairs])
    post = np.array([float(b) for _a, b in pairs])
    diff = np.array([float(b - a) for a, b in pairs])  # exact differences, then float
    n = len(pairs)
    sd = diff.std(ddof=1)
    ci = stats.t.interval(0.95, n - 1, loc=diff.mean(), scale=sd / math.sqrt(n))
    # Pratt: every |difference| ranked, zeros included, then the zeros' ranks dropped.
    ranks = stats.rankdata(np.abs(diff))
    r_plus, r_minus, m = ranks[diff > 0].sum(), ranks[diff < 0].sum(), int((diff != 0).sum())
    alpha_pre, n_alpha_pre = hand_alpha([pre_raw for pre_raw, _ in rows])
    alpha_post, n_alpha_post = hand_alpha([post_raw for _, post_raw in rows])
    s_diff = math.sqrt(2) * pre.std(ddof=1) * math.sqrt(1 - alpha_pre)
    rci = diff / s_diff
    # Without sessions held, no cohort's exit questionnaire has opened: nobody is attrition.
    awaiting = sum(hand_score(pre) is not None and post is None for pre, post in rows)
    return {
        "n_pairs": n,
        "attrition": 0,
        "awaiting_exit": awaiting,
        "mean_pre": pre.mean(),
        "mean_post": post.mean(),
        "mean_diff": diff.mean(),
        "ci_low": ci[0],
        "ci_high": ci[1],
        "t": stats.ttest_rel(post, pre).statistic,
        "t_p": stats.ttest_rel(post, pre).pvalue,
        "wilcoxon_t": min(r_plus, r_minus),
        "wilcoxon_p": stats.wilcoxon(diff, zero_method="pratt").pvalue,
        "d_z": diff.mean() / sd,
        "rank_biserial": 2 * (r_plus - r_minus) / (m * (m + 1)),
        "alpha_pre": (alpha_pre, n_alpha_pre),
        "alpha_post": (alpha_post, n_alpha_post),
        # desired change is "decrease": RCI < -1.96 improved, > 1.96 worsened
        "pct_improved": 100 * (rci < -1.96).sum() / n,
        "pct_worsened": 100 * (rci > 1.96).sum() / n,
    }


def assert_matches(row, exp: dict) -> None:
    c = row.result.change
    assert c.suppressed is False
    assert c.n_pairs == exp["n_pairs"]
    assert c.df == exp["n_pairs"] - 1
    assert (c.attrition, c.awaiting_exit) == (exp["attrition"], exp["awaiting_exit"])
    for name in (
        "mean_pre",
        "mean_post",
        "mean_diff",
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
    assert row.result.alpha_pre.alpha == pytest.approx(exp["alpha_pre"][0], rel=1e-9)
    assert (row.result.alpha_pre.n, row.result.alpha_pre.k) == (exp["alpha_pre"][1], 5)
    assert row.result.alpha_post.alpha == pytest.approx(exp["alpha_post"][0], rel=1e-9)
    assert (row.result.alpha_post.n, row.result.alpha_post.k) == (exp["alpha_post"][1], 5)


# ----------------------------------------------------------------------------- figures


def test_figures_equal_independent_computation(client, dataset, national_coordinator):
    response = page(
        client,
        national_coordinator,
        instrument=dataset["instrument"].pk,
        subscale="tolerancia",
        group="cohort",
    )
    assert response.status_code == 200
    report = response.context["report"]
    groups = rows_by_name(report)
    assert set(groups) == {"Grupo Norte", "Grupo Sur", "Grupo Misti", "Grupo Oeste"}

    norte, misti = expected(TOLERANCE["norte"]), expected(TOLERANCE["misti"])
    # Sanity of the hand data: 8 with a pre score, 6 pairs, 1 without an exit response (awaited:
    # the exit questionnaire has not opened) and 1 whose exit answers are too few to score.
    assert (norte["n_pairs"], norte["awaiting_exit"], norte["attrition"]) == (6, 1, 0)
    assert norte["alpha_pre"][1] == 7  # the row with a null answer is not listwise complete
    assert_matches(groups["Grupo Norte"], norte)
    assert_matches(groups["Grupo Misti"], misti)
    # The exit response with 3 of 5 answers is counted as not scored (not as attrition only).
    assert groups["Grupo Norte"].unscored_post == 1
    assert groups["Grupo Norte"].unscored_pre == 0

    # Holm over the two groups shown (Sur, Oeste suppressed): sorted p, times (2, 1), running max.
    p_small, p_big = sorted([norte["t_p"], misti["t_p"]])
    holm = {p_small: min(1, 2 * p_small)}
    holm[p_big] = min(1, max(holm[p_small], p_big))
    assert groups["Grupo Norte"].result.change.p_holm == pytest.approx(holm[norte["t_p"]])
    assert groups["Grupo Misti"].result.change.p_holm == pytest.approx(holm[misti["t_p"]])

    # Everyone in scope: all four cohorts pooled.
    everyone = expected(
        TOLERANCE["norte"] + TOLERANCE["sur"] + TOLERANCE["misti"] + TOLERANCE["oeste"]
    )
    assert report.overall.result.change.n_pairs == 18
    assert report.overall.result.change.t_p == pytest.approx(everyone["t_p"], rel=1e-9)
    assert report.overall.result.change.mean_diff == pytest.approx(everyone["mean_diff"])

    # The rendered table shows the same numbers, formatted for the active language.
    html = response.content.decode()
    for value in (norte["mean_pre"], norte["mean_post"], norte["d_z"], misti["mean_diff"]):
        assert f">{number_format(value, 2)}" in html
    ci = f"[{number_format(norte['ci_low'], 2)}; {number_format(norte['ci_high'], 2)}]"
    assert ci in html
    assert number_format(norte["t_p"], 3) in html
    assert "Holm (Bonferroni step-down)" in html
    # Direction and the not-validated warning are visible.
    assert dataset["instrument"].higher_score_means in html
    assert _("Not a validated instrument.") in html


def test_item_agreement_uses_raw_answers(client, dataset, national_coordinator):
    response = page(
        client, national_coordinator, instrument=dataset["instrument"].pk, subscale="tolerancia"
    )
    items = {row.item.code: row.agreement for row in response.context["report"].items}
    assert list(items) == list(TOL)
    # tol_03 (reverse-coded) agreement counts raw 4/5 answers, not recoded ones.
    for position, code in enumerate(TOL):
        both = [
            (pre[position], post[position])
            for rows in TOLERANCE.values()
            for pre, post in rows
            if post is not None
            and len(post) > position
            and pre[position] is not None
            and post[position] is not None
        ]
        assert items[code].n == len(both)
        assert items[code].pct_agree_pre == pytest.approx(
            100 * sum(a in (4, 5) for a, _b in both) / len(both)
        )
        assert items[code].pct_agree_post == pytest.approx(
            100 * sum(b in (4, 5) for _a, b in both) / len(both)
        )


def test_group_of_four_is_suppressed(client, dataset, national_coordinator):
    response = page(
        client, national_coordinator, instrument=dataset["instrument"].pk, subscale="tolerancia"
    )
    sur = rows_by_name(response.context["report"])["Grupo Sur"]
    assert sur.suppressed
    assert sur.result.change.mean_pre is None and sur.result.alpha_pre.alpha is None
    html = response.content.decode()
    row_html = html[html.index('<th scope="row">Grupo Sur</th>') :].split("</tr>")[0]
    assert row_html.count('<td class="num">—</td>') == len(COLUMNS)  # every figure, counts too
    assert (
        _(
            "suppressed: fewer than 5 people, or a group that would let a group of fewer than 5 "
            "be worked out from the total"
        )
        in html
    )
    # The chart omits it and says so.
    means_svg = html[html.index('id="chart-means"') :].split("</svg>")[0]
    assert "Grupo Sur" not in means_svg and "Grupo Norte" in means_svg
    assert "Grupo Sur." in html.split("</figure>")[0].split("<figcaption")[1]


def test_charts_are_accessible_inline_svg_and_page_is_light(client, dataset, national_coordinator):
    response = page(client, national_coordinator, instrument=dataset["instrument"].pk)
    html = response.content.decode()
    for chart in ("chart-means", "chart-items"):
        assert f'aria-labelledby="{chart}-title {chart}-desc"' in html
        assert f'<title id="{chart}-title">' in html and f'<desc id="{chart}-desc">' in html
    # The charts need no script; a coordinator's pages carry only the offline modules.
    scripts = re.findall(r"<script[^>]*>", html)
    assert all("offline" in tag for tag in scripts), scripts
    assert 'role="img"' in html
    assert len(response.content) < 100_000


def test_grouping_by_site_and_sex(client, dataset, national_coordinator):
    report = page(
        client,
        national_coordinator,
        instrument=dataset["instrument"].pk,
        subscale="tolerancia",
        group="site",
    ).context["report"]
    groups = rows_by_name(report)
    assert groups["Villa María del Triunfo"].result.change.n_pairs == 10  # Norte 6 + Sur 4
    assert groups["Arequipa"].result.change.n_pairs == 8  # Misti 5 + Oeste 3
    report = page(
        client,
        national_coordinator,
        instrument=dataset["instrument"].pk,
        subscale="tolerancia",
        group="sex",
    ).context["report"]
    assert sum(r.result.change.n_pairs or 0 for r in report.groups) == 18


def test_all_scored_items_is_the_default_subscale(client, dataset, national_coordinator):
    report = page(client, national_coordinator).context["report"]
    assert report.instrument == dataset["instrument"]  # the one with most responses
    assert report.subscale is None and report.k == 20  # 21 items, one filler


# ----------------------------------------------------------------------------- scope and access


def test_site_coordinator_sees_only_their_site(client, dataset, site_coordinator):
    response = page(
        client, site_coordinator, instrument=dataset["instrument"].pk, subscale="tolerancia"
    )
    report = response.context["report"]
    assert set(rows_by_name(report)) == {"Grupo Norte", "Grupo Sur"}
    assert report.overall.result.change.n_pairs == 10
    # Sur (4) is hidden; Norte would reveal it by subtraction from the total, so it is too.
    assert all(row.suppressed for row in report.groups)
    html = response.content.decode()
    assert "Grupo Misti" not in html and "Arequipa" not in html
    assert 'name="site"' not in html  # the scope is fixed, not a choice
    assert "Villa María del Triunfo" in html
    # Holm over Norte alone is its own p.
    norte = rows_by_name(report)["Grupo Norte"].result.change
    assert norte.p_holm == pytest.approx(norte.t_p)
    # Asking for another site's cohort or site is refused by the form, not silently widened.
    misti = dataset["cohorts"]["misti"]
    response = page(client, site_coordinator, instrument=dataset["instrument"].pk, cohort=misti.pk)
    assert "report" not in response.context or response.context.get("report") is None
    assert response.context["form"].errors


@pytest.mark.parametrize("role", [Role.ACCREDITOR, Role.TRAINER, Role.ACTIVIST])
def test_other_roles_are_forbidden(client, dataset, role):
    user = person(role, cem=dataset["cohorts"]["norte"].cem)
    for name in (URL, "assessments:export_responses", "assessments:export_dictionary"):
        client.force_login(user)
        response = client.get(reverse(name), {"instrument": dataset["instrument"].pk})
        assert response.status_code == 403, name


def test_anonymous_is_sent_to_log_in(client, dataset):
    response = client.get(reverse(URL))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_superuser_sees_everything(client, dataset):
    admin = UserFactory(is_superuser=True)
    report = page(
        client, admin, instrument=dataset["instrument"].pk, subscale="tolerancia"
    ).context["report"]
    assert report.overall.result.change.n_pairs == 18
    # On all 20 scored items the short exit response (17 of 20 answered) does get a score.
    report = page(client, admin, instrument=dataset["instrument"].pk).context["report"]
    assert report.overall.result.change.n_pairs == 19


# ----------------------------------------------------------------------------- query count


def _page_queries(client, user, instrument) -> tuple[int, object]:
    client.force_login(user)
    url = reverse(URL)
    params = {"instrument": instrument.pk, "subscale": "tolerancia", "group": "cohort"}
    client.get(url, params)  # warm caches (content types, sessions) before counting
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    return len(ctx.captured_queries), response


def _pairs(n: int) -> list:
    pattern = [([4, 4, 2, 4, 4], [3, 3, 3, 3, 2]), ([3, 4, 3, 3, 4], [3, 3, 3, 2, 3])]
    return [pattern[i % 2] for i in range(n)]


def test_query_count_does_not_grow_with_participants(client, course, national_coordinator):
    small = build_dataset(
        course, tolerance={"a": _pairs(6)}, cohorts={"a": ("Grupo A", "arequipa")}
    )
    queries_small, response = _page_queries(client, national_coordinator, small["instrument"])
    assert response.context["report"].overall.result.change.n_pairs == 6

    cohort = small["cohorts"]["a"]
    codes = list(small["instrument"].items.values_list("code", flat=True))
    for pre, post in _pairs(24):
        code = research_code_of(EnrollmentFactory(cohort=cohort).activist.profile)
        common = {"instrument": small["instrument"], "key": small["key"], "code": code}
        submit_response(**common, cohort=cohort, wave="pre", answers=answers_from(pre, codes))
        submit_response(**common, cohort=cohort, wave="post", answers=answers_from(post, codes))
    queries_large, response = _page_queries(client, national_coordinator, small["instrument"])
    assert response.context["report"].overall.result.change.n_pairs == 30
    assert queries_small == queries_large
    assert queries_large <= 15


def test_page_without_questionnaires(client, national_coordinator):
    response = page(client, national_coordinator)
    assert response.status_code == 200
    assert response.context.get("report") is None
    assert _("No questionnaire has been loaded yet.") in response.content.decode()
