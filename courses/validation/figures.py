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

from collections import Counter, defaultdict
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


class _Tally:
    """Respondents, and per rating how many gave it, their sum and how many gave 4 or 5."""

    __slots__ = ("respondents", "n", "total", "high")

    def __init__(self) -> None:
        self.respondents = 0
        self.n = [0] * N_RATINGS
        self.total = [0] * N_RATINGS
        self.high = [0] * N_RATINGS

    def add(self, row: Row) -> None:
        self.respondents += 1
        for r in range(N_RATINGS):
            value = row[4 + r]
            if value is not None:
                self.n[r] += 1
                self.total[r] += value
                if value in HIGH:
                    self.high[r] += 1

    def cell(self, r: int, hidden: bool) -> RatingCell:
        n = self.n[r]
        if hidden or not n:
            return _HIDDEN
        return RatingCell(
            n=n, mean=self.total[r] / n, share_high=100.0 * self.high[r] / n, suppressed=False
        )

    def figures(self, key: object, hidden_row: bool, hidden_ratings: list[bool]) -> GroupFigures:
        return GroupFigures(
            key=key,
            respondents=None if hidden_row else self.respondents,
            cells=tuple(self.cell(r, hidden_row or hidden_ratings[r]) for r in range(N_RATINGS)),
            suppressed=hidden_row,
        )


def item_figures(
    rows: Iterable[Row], *, item_ids: Sequence[int], grouping: Grouping, keys: Sequence[object]
) -> dict[int, ItemFigures]:
    """Per item the overall figures and those of each group of `grouping` (in `keys` order,
    then any other key met in the rows). Groups without respondents are shown as empty. One
    pass over the rows."""
    overall = {item_id: _Tally() for item_id in item_ids}
    groups: dict[int, dict[object, _Tally]] = {
        item_id: {key: _Tally() for key in keys} for item_id in item_ids
    }
    for row in rows:
        tally = overall.get(row[0])
        if tally is None or not _is_respondent(row):
            continue
        tally.add(row)
        by_key = groups[row[0]]
        key = row[grouping]
        if key not in by_key:
            by_key[key] = _Tally()
        by_key[key].add(row)
    out = {}
    for item_id in item_ids:
        whole = overall[item_id]
        present = {k: t for k, t in groups[item_id].items() if t.respondents}
        hidden = suppressed_cells({k: t.respondents for k, t in present.items()})
        hidden_ratings = [
            suppressed_cells({k: t.n[r] for k, t in present.items() if t.n[r]})
            for r in range(N_RATINGS)
        ]
        out[item_id] = ItemFigures(
            item_id=item_id,
            overall=whole.figures(
                None,
                not is_shown(whole.respondents),
                [not is_shown(whole.n[r]) for r in range(N_RATINGS)],
            ),
            groups=tuple(
                tally.figures(
                    key,
                    key in hidden,
                    [key in hidden_ratings[r] for r in range(N_RATINGS)],
                )
                for key, tally in groups[item_id].items()
            ),
        )
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


class Respondents:
    """The people behind a list of comments, described by (site, sex, generation): which groups
    of each grouping may be shown (those not suppressed), and which descriptors a comment of one
    of them may carry. Counting works on the distinct combinations (27 at most), so that a long
    list of comments costs no pass over the people per comment."""

    def __init__(self, people: Iterable[tuple[object, object, object]]):
        self.combinations = Counter(people)
        self.total = sum(self.combinations.values())
        self._kept: dict[tuple, dict[Grouping, object]] = {}
        self.visible: dict[Grouping, set[object]] = {}
        for grouping in Grouping:
            sizes: dict[object, int] = defaultdict(int)
            for person, n in self.combinations.items():
                sizes[person[grouping - 1]] += n
            hidden = suppressed_cells(dict(sizes))
            self.visible[grouping] = {key for key in sizes if key not in hidden}

    def _matching(self, kept: dict[Grouping, object]) -> int:
        return sum(
            n
            for person, n in self.combinations.items()
            if all(person[g - 1] == v for g, v in kept.items())
        )

    def descriptors(self, person: tuple[object, object, object]) -> dict[Grouping, object]:
        """Site, then sex, then generation, each kept only if its group is shown and the
        descriptors kept so far still describe at least five of the people."""
        if person in self._kept:
            return dict(self._kept[person])
        kept: dict[Grouping, object] = {}
        for grouping in Grouping:
            value = person[grouping - 1]
            if value in (None, "") or value not in self.visible[grouping]:
                continue
            trial = kept | {grouping: value}
            if is_shown(self._matching(trial)):
                kept = trial
        self._kept[person] = kept
        return dict(kept)
