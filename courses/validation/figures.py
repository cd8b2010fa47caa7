"""The arithmetic of the validation results: per session or concept, the mean of each rating
and the share rating 4–5, overall and by group, with small cells suppressed. No Django.

Input rows are individual answers, already limited to what the reader may add up::

    (item_id, site, sex, generation, clear, relevant, fits, safe, has_comment)

with the four ratings 1–5 or None (not given). A *respondent* of an item is a person who gave
it at least one rating or a comment. Suppression is the pre/post analytics' own rule
(:func:`assessments.analytics.suppression.suppressed_cells`), applied to every grouping: a group
of fewer than five respondents is hidden with its count, a lone hidden group hides the smallest
visible one, and each rating is hidden where fewer than five people gave it. A comment is shown
only beside descriptors (site, sex, generation) whose groups are shown and which together still
describe at least five respondents.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum

from assessments.analytics.suppression import is_shown, suppressed_cells

HIGH = frozenset({4, 5})
N_RATINGS = 4


class Grouping(IntEnum):
    """Where each descriptor sits in a row (after the item id)."""

    SITE = 1
    SEX = 2
    GENERATION = 3


Row = tuple  # (item_id, site, sex, generation, r1, r2, r3, r4, has_comment)


@dataclass(frozen=True)
class RatingCell:
    n: int | None
    mean: float | None
    share_high: float | None  # percent, 0–100
    suppressed: bool


@dataclass(frozen=True)
class GroupFigures:
    key: object
    respondents: int | None  # None when suppressed
    cells: tuple[RatingCell, ...]
    suppressed: bool


@dataclass(frozen=True)
class ItemFigures:
    item_id: int
    overall: GroupFigures
    groups: tuple[GroupFigures, ...]


_HIDDEN = RatingCell(n=None, mean=None, share_high=None, suppressed=True)


def _is_respondent(row: Row) -> bool:
    return any(value is not None for value in row[4:8]) or bool(row[8])


def _cell(values: list[int], hidden: bool) -> RatingCell:
    if hidden or not values:
        return _HIDDEN
    n = len(values)
    return RatingCell(
        n=n,
        mean=sum(values) / n,
        share_high=100.0 * sum(1 for v in values if v in HIGH) / n,
        suppressed=False,
    )


def _figures(rows: list[Row], key: object, hidden_row: bool, hidden_ratings: list[bool]):
    values = [[row[4 + r] for row in rows if row[4 + r] is not None] for r in range(N_RATINGS)]
    cells = tuple(_cell(values[r], hidden_row or hidden_ratings[r]) for r in range(N_RATINGS))
    return GroupFigures(
        key=key,
        respondents=None if hidden_row else len(rows),
        cells=cells,
        suppressed=hidden_row,
    )


def _grouped(rows: list[Row], grouping: Grouping, keys: Sequence[object]):
    """Each key's rows, every rating's hidden groups and the hidden groups (respondents)."""
    by_key: dict[object, list[Row]] = {key: [] for key in keys}
    for row in rows:
        by_key.setdefault(row[grouping], []).append(row)
    present = {key: len(members) for key, members in by_key.items() if members}
    hidden = suppressed_cells(present)
    hidden_ratings = []
    for r in range(N_RATINGS):
        sizes = {
            key: sum(1 for row in members if row[4 + r] is not None)
            for key, members in by_key.items()
            if members
        }
        hidden_ratings.append(suppressed_cells({k: n for k, n in sizes.items() if n}))
    return by_key, hidden, hidden_ratings


def item_figures(
    rows: Iterable[Row], *, item_ids: Sequence[int], grouping: Grouping, keys: Sequence[object]
) -> dict[int, ItemFigures]:
    """Per item the overall figures and those of each group of `grouping` (in `keys` order,
    then any other key met in the rows). Groups without respondents are shown as empty."""
    per_item: dict[int, list[Row]] = {item_id: [] for item_id in item_ids}
    for row in rows:
        if row[0] in per_item and _is_respondent(row):
            per_item[row[0]].append(row)
    out = {}
    for item_id, item_rows in per_item.items():
        overall = _figures(
            item_rows,
            None,
            not is_shown(len(item_rows)),
            [
                not is_shown(sum(1 for row in item_rows if row[4 + r] is not None))
                for r in range(N_RATINGS)
            ],
        )
        by_key, hidden, hidden_ratings = _grouped(item_rows, grouping, keys)
        groups = tuple(
            _figures(
                members,
                key,
                key in hidden and bool(members),
                [key in hidden_ratings[r] for r in range(N_RATINGS)],
            )
            for key, members in by_key.items()
        )
        out[item_id] = ItemFigures(item_id=item_id, overall=overall, groups=groups)
    return out


@dataclass(frozen=True)
class HeatCell:
    """Mean over respondents of each one's mean rating of the item; None when suppressed."""

    n: int | None
    mean: float | None
    suppressed: bool


def heat_cells(
    rows: Iterable[Row], *, item_ids: Sequence[int], sites: Sequence[object]
) -> dict[tuple[int, object], HeatCell]:
    """The heat map of items × sites: per cell the mean of the respondents' own mean ratings,
    each site of an item suppressed as the groups of a grouping are."""
    person_means: dict[tuple[int, object], list[float]] = defaultdict(list)
    for row in rows:
        given = [value for value in row[4:8] if value is not None]
        if given:
            person_means[(row[0], row[Grouping.SITE])].append(sum(given) / len(given))
    out = {}
    for item_id in item_ids:
        sizes = {site: len(person_means[(item_id, site)]) for site in sites}
        hidden = suppressed_cells({site: n for site, n in sizes.items() if n})
        for site in sites:
            means = person_means[(item_id, site)]
            if not means or site in hidden:
                out[(item_id, site)] = HeatCell(n=None, mean=None, suppressed=True)
            else:
                out[(item_id, site)] = HeatCell(
                    n=len(means), mean=sum(means) / len(means), suppressed=False
                )
    return out


def visible_groups(
    people: Sequence[tuple[object, object, object]],
) -> dict[Grouping, set[object]]:
    """For people described by (site, sex, generation), the groups of each grouping that may
    be shown: those not suppressed."""
    out = {}
    for grouping in Grouping:
        sizes: dict[object, int] = defaultdict(int)
        for person in people:
            sizes[person[grouping - 1]] += 1
        hidden = suppressed_cells(dict(sizes))
        out[grouping] = {key for key in sizes if key not in hidden}
    return out


def descriptors(
    person: tuple[object, object, object],
    people: Sequence[tuple[object, object, object]],
    visible: dict[Grouping, set[object]],
) -> dict[Grouping, object]:
    """The descriptors a comment of `person` may carry among `people` (its group of
    respondents): site, then sex, then generation, each only if its group is shown and the
    descriptors kept so far still describe at least five of `people`."""
    kept: dict[Grouping, object] = {}
    for grouping in Grouping:
        value = person[grouping - 1]
        if value in (None, "") or value not in visible[grouping]:
            continue
        trial = kept | {grouping: value}
        matching = sum(1 for other in people if all(other[g - 1] == v for g, v in trial.items()))
        if is_shown(matching):
            kept = trial
    return kept
