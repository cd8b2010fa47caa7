"""Benchmark of the validation results page's Python work after its one answers query.

Run from the project root (no database needed)::

    .venv/bin/python bench/validation_results.py [--participants 3000] [--items 13] [--repeat 3]

Builds rows like the page's single query (item, site, sex, generation, four ratings, whether
there is a comment) for every participant and item, then times the figures of each grouping
(``item_figures``: means, shares 4–5, suppression, one pass) against a plain baseline that
filters the whole list once per cell, and then the heat map and the descriptors of every
comment.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from courses.validation.figures import Grouping, Respondents, heat_cells, item_figures  # noqa: E402

SITES = (1, 2, 3)
SEXES = ("F", "M", "X")
GENERATIONS = ("20-29", "35-50", "other")


def make_rows(participants: int, items: int, seed: int = 7):
    rng = random.Random(seed)
    people = [
        (rng.choice(SITES), rng.choices(SEXES, (70, 28, 2))[0], rng.choice(GENERATIONS))
        for _ in range(participants)
    ]
    rows = []
    for person in people:
        for item in range(1, items + 1):
            ratings = [rng.randint(1, 5) if rng.random() > 0.05 else None for _ in range(4)]
            rows.append((item, *person, *ratings, rng.random() < 0.2))
    return rows


def baseline(rows, items: int) -> int:
    """Every cell by filtering the whole list: what a first version would do."""
    cells = 0
    for item in range(1, items + 1):
        for grouping, keys in ((1, SITES), (2, SEXES), (3, GENERATIONS)):
            for key in keys:
                for rating in range(4):
                    values = [
                        r[4 + rating]
                        for r in rows
                        if r[0] == item and r[grouping] == key and r[4 + rating] is not None
                    ]
                    if len(values) >= 5:
                        statistics.fmean(values)
                    cells += 1
    return cells


def figures_work(rows, items: int) -> None:
    ids = list(range(1, items + 1))
    for grouping, keys in (
        (Grouping.SITE, SITES),
        (Grouping.SEX, SEXES),
        (Grouping.GENERATION, GENERATIONS),
    ):
        item_figures(rows, item_ids=ids, grouping=grouping, keys=keys)


def words_work(rows, items: int) -> None:
    """The heat map, and the descriptors of every comment of every item."""
    ids = list(range(1, items + 1))
    heat_cells(rows, item_ids=ids, sites=SITES)
    by_item: dict[int, list] = {item: [] for item in ids}
    for r in rows:
        by_item[r[0]].append(r)
    for item_rows in by_item.values():
        respondents = Respondents(r[1:4] for r in item_rows)
        for r in item_rows:
            if r[8]:
                respondents.descriptors(r[1:4])


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=3000)
    parser.add_argument("--items", type=int, default=13)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows = make_rows(args.participants, args.items)
    ours = best(lambda: figures_work(rows, args.items), args.repeat)
    plain = best(lambda: baseline(rows, args.items), args.repeat)
    words = best(lambda: words_work(rows, args.items), args.repeat)
    print(
        f"{args.participants} participants × {args.items} items ({len(rows)} answers): "
        f"figures of three groupings {ours:.3f} s against {plain:.3f} s for a pass per cell "
        f"({plain / ours:.1f}× faster); heat map and comment descriptors {words:.3f} s"
    )


if __name__ == "__main__":
    main()
