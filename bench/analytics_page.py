"""Benchmark of the analytics page's Python work after its one responses query.

Run from the project root (no database needed)::

    .venv/bin/python bench/analytics_page.py [--participants 5000] [--repeat 3]

Builds rows like the page's single query (participant code, cohort, site, wave, sex,
generation, then each scored item's answer as a number) for the example instrument's 20 scored
items, then times
``paired_data`` (align pre and post by participant, raw answer matrices), ``analytics_report``
for each grouping and the two inline SVG charts.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402

from assessments.analytics.charts import MeanPoint, ShiftPoint, means_chart, shift_chart  # noqa: E402
from assessments.analytics.pairing import paired_data  # noqa: E402
from assessments.analytics.selectors import Grouping, analytics_report  # noqa: E402
from assessments.instruments.scoring import ScoringKey  # noqa: E402
from assessments.models import Instrument, Item, Subscale  # noqa: E402

SUBSCALES = ("tolerancia", "mitos", "consentimiento", "normas")


def make_instrument():
    instrument = Instrument(
        pk=1,
        code="bench",
        version="1",
        name_es="Bench",
        higher_score_means_es="Más tolerancia",
        desired_change="decrease",
        scale_min=1,
        scale_max=5,
        agree_values=[4, 5],
    )
    subscales = {code: Subscale(code=code, name_es=code) for code in SUBSCALES}
    items = [
        Item(
            code=f"{SUBSCALES[j % 4][:3]}_{j:02d}",
            order=j,
            reverse=j % 5 == 4,
            text_es=f"Afirmación {j}",
            subscale=subscales[SUBSCALES[j % 4]],
        )
        for j in range(20)
    ]
    key = ScoringKey(
        version="bench@1",
        scale_min=1,
        scale_max=5,
        item_codes=tuple(i.code for i in items),
        reverse=tuple(i.reverse for i in items),
        subscales={
            code: tuple(p for p, i in enumerate(items) if i.subscale.code == code)
            for code in SUBSCALES
        },
    )
    return instrument, subscales, items, key


def make_rows(n: int, items, seed: int = 7):
    rng = np.random.default_rng(seed)
    rows = []
    for p in range(n):
        cohort, site = int(rng.integers(1, 40)), int(rng.integers(1, 4))
        sex, gen = rng.choice(["F", "M"]), rng.choice(["20-29", "35-50", "other"])
        level = rng.normal(3.2, 0.7)
        for wave, shift in (("pre", 0.0), ("post", -0.4)):
            if wave == "post" and rng.random() < 0.08:
                continue
            answers = {
                i.code: int(np.clip(round(level + shift + rng.normal(0, 0.8)), 1, 5))
                for i in items
                if rng.random() > 0.03
            }
            values = tuple(answers.get(i.code, np.nan) for i in items)
            rows.append((f"P{p:06d}", cohort, site, wave, str(sex), str(gen), *values))
    return rows


def best(fn, repeat: int):
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    instrument, subscales, items, key = make_instrument()
    rows = make_rows(args.participants, items)
    t_pair, data = best(lambda: paired_data(rows, key), args.repeat)
    print(f"{len(rows)} responses, {data.n} participants × {len(key.item_codes)} items")
    print(f"paired_data: {t_pair:.3f} s")
    names = {c: f"Grupo {c}" for c in range(1, 40)}
    sites = {1: "Villa María del Triunfo", 2: "Arequipa", 3: "Iquitos"}
    for grouping in Grouping:
        t, report = best(
            lambda g=grouping: analytics_report(
                instrument=instrument,
                data=data,
                subscale=subscales["tolerancia"],
                grouping=g,
                items=items,
                cohort_names=names,
                site_names=sites,
            ),
            args.repeat,
        )
        shown = [r for r in [*report.groups, report.overall] if not r.suppressed]
        t_chart, svg = best(
            lambda r=report, s=shown: (
                means_chart(
                    [
                        MeanPoint(
                            g.name,
                            g.result.change.mean_pre,
                            g.result.change.mean_post,
                            g.result.change.ci_low,
                            g.result.change.ci_high,
                        )
                        for g in s
                    ],
                    scale_min=1,
                    scale_max=5,
                    chart_id="m",
                    title="t",
                )
                + shift_chart(
                    [
                        ShiftPoint(
                            i.item.code,
                            i.item.text_es,
                            i.agreement.pct_agree_pre,
                            i.agreement.pct_agree_post,
                        )
                        for i in r.items
                        if not i.agreement.suppressed
                    ],
                    chart_id="s",
                    title="t",
                )
            ),
            args.repeat,
        )
        print(
            f"report by {grouping.value:<10} {len(report.groups):>3} groups: {t:.3f} s; "
            f"charts {t_chart * 1000:.1f} ms, {len(svg) / 1024:.1f} KiB"
        )


if __name__ == "__main__":
    main()
