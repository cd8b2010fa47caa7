"""The small-cell rule shared by the pre/post analysis and the validation results."""

from assessments.analytics.suppression import MIN_CELL, is_shown, suppressed_cells


def test_cells_under_five_people_are_hidden():
    assert MIN_CELL == 5
    assert suppressed_cells({"a": 4, "b": 5, "c": 9, "d": 2}) == {"a", "d"}


def test_a_lone_hidden_group_hides_the_smallest_visible_one_too():
    # The total minus b and c would give a's figures: the smallest visible (b) goes as well.
    assert suppressed_cells({"a": 3, "b": 6, "c": 9}) == {"a", "b"}


def test_ties_between_visible_groups_are_broken_by_name():
    assert suppressed_cells({"z": 1, "y": 7, "x": 7}) == {"z", "x"}


def test_nothing_hidden_when_every_group_is_large_enough():
    assert suppressed_cells({"a": 5, "b": 50}) == set()


def test_a_single_small_group_alone_is_simply_hidden():
    assert suppressed_cells({"a": 2}) == {"a"}


def test_none_counts_as_already_suppressed():
    assert suppressed_cells({"a": None, "b": 8, "c": 10}) == {"a", "b"}


def test_a_single_cell_is_shown_from_five_people():
    assert not is_shown(4)
    assert is_shown(5)
    assert not is_shown(None)
