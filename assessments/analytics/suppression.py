"""Small-cell suppression: the one rule every published figure about people follows.

A cell describing fewer than :data:`MIN_CELL` people is hidden. When a grouping hides exactly one
of its groups, the total minus the visible groups would reveal it, so the smallest visible group
is hidden too (complementary suppression). Pure Python, no Django: the pre/post analysis
(:mod:`assessments.analytics.analysis`) and the curriculum validation results apply it to their
own cells, by calling :func:`suppressed_cells` with the number of people behind each cell.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TypeVar

#: Smallest number of people a published cell may describe.
MIN_CELL = 5

Key = TypeVar("Key", bound=Hashable)


def suppressed_cells(sizes: Mapping[Key, int | None], *, min_cell: int = MIN_CELL) -> set[Key]:
    """The groups of one grouping to hide, given the number of people behind each.

    A size of ``None`` counts as hidden (a cell suppressed upstream). Groups below `min_cell`
    are hidden; when that hides exactly one group, the smallest visible group (by size, then
    by key) is hidden with it."""
    hidden = {key for key, size in sizes.items() if size is None or size < min_cell}
    visible = [key for key in sizes if key not in hidden]
    if len(hidden) == 1 and visible:
        hidden.add(min(visible, key=lambda key: (sizes[key], str(key))))
    return hidden


def is_shown(size: int | None, *, min_cell: int = MIN_CELL) -> bool:
    """Whether a single cell, outside any grouping, describes enough people to be shown."""
    return size is not None and size >= min_cell
