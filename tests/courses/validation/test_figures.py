"""The arithmetic of the results, by hand: means, shares 4–5, and the pre/post analytics' own
suppression applied to every cell."""

import pytest

from courses.validation.figures import Grouping, Respondents, heat_cells, item_figures


def row(item, site, sex, gen, r1, r2=None, r3=None, r4=None, comment=False):
    return (item, site, sex, gen, r1, r2, r3, r4, comment)


def test_means_and_shares_by_hand():
    rows = [row(1, "A", "F", "20-29", v, 5) for v in (1, 2, 4, 5, 5)]
    result = item_figures(rows, item_ids=[1], grouping=Grouping.SITE, keys=["A"])[1]
    clear, relevant, fits, _safe = result.overall.cells
    assert result.overall.respondents == 5
    assert clear.mean == pytest.approx(17 / 5)  # (1 + 2 + 4 + 5 + 5) / 5
    assert clear.share_high == pytest.approx(60.0)  # 4, 5, 5 of 5
    assert (relevant.mean, relevant.share_high) == (5.0, 100.0)
    assert fits.suppressed and fits.n is None  # nobody gave it


def test_a_group_of_four_is_hidden_and_so_is_the_smallest_other_one():
    rows = (
        [row(1, "A", "F", "", 4) for _ in range(4)]
        + [row(1, "B", "F", "", 3) for _ in range(6)]
        + [row(1, "C", "F", "", 5) for _ in range(9)]
    )
    result = item_figures(rows, item_ids=[1], grouping=Grouping.SITE, keys=["A", "B", "C"])[1]
    groups = {g.key: g for g in result.groups}
    assert groups["A"].suppressed and groups["A"].respondents is None
    # Total minus C would reveal A: the smallest visible site, B, is hidden as well.
    assert groups["B"].suppressed and groups["B"].cells[0].mean is None
    assert not groups["C"].suppressed and groups["C"].cells[0].mean == 5.0
    assert result.overall.respondents == 19


def test_a_rating_too_few_people_gave_is_hidden_on_its_own():
    rows = [row(1, "A", "F", "", 4, 4 if i < 4 else None) for i in range(8)] + [
        row(1, "B", "F", "", 3, 3) for _ in range(7)
    ]
    groups = {
        g.key: g
        for g in item_figures(rows, item_ids=[1], grouping=Grouping.SITE, keys=["A", "B"])[1].groups
    }
    assert not groups["A"].suppressed and groups["A"].cells[0].mean == 4.0
    assert groups["A"].cells[1].suppressed  # 4 people rated "relevant" at A
    assert groups["B"].cells[1].suppressed  # ...and B would reveal it from the total
    assert not groups["B"].cells[0].suppressed


def test_groups_nobody_is_in_are_shown_empty_and_hide_nothing():
    rows = [row(1, "A", "M", "", 4) for _ in range(5)] + [row(1, "A", "F", "", 2) for _ in range(5)]
    result = item_figures(rows, item_ids=[1], grouping=Grouping.SEX, keys=["F", "M", "X"])[1]
    groups = {g.key: g for g in result.groups}
    assert groups["X"].respondents == 0 and not groups["X"].suppressed
    assert groups["F"].cells[0].mean == 2.0 and groups["M"].cells[0].mean == 4.0


def test_a_comment_alone_makes_a_respondent():
    rows = [row(1, "A", "F", "", None, comment=True) for _ in range(5)]
    overall = item_figures(rows, item_ids=[1], grouping=Grouping.SITE, keys=["A"])[1].overall
    assert overall.respondents == 5 and overall.cells[0].suppressed


def test_the_heat_map_averages_each_persons_own_mean_and_suppresses_by_site():
    rows = (
        [row(1, "A", "F", "", 5, 3) for _ in range(8)]
        + [row(1, "B", "F", "", 2) for _ in range(3)]
        + [row(1, "C", "F", "", 1, 2, 3, 4) for _ in range(5)]
    )
    cells = heat_cells(rows, item_ids=[1], sites=["A", "B", "C", "D"])
    assert cells[(1, "A")].mean == 4.0 and cells[(1, "A")].n == 8  # (5 + 3) / 2 each
    assert cells[(1, "B")].suppressed  # three people
    assert cells[(1, "C")].suppressed  # the smallest other site, which would reveal B
    assert cells[(1, "D")].suppressed and cells[(1, "D")].n is None  # nobody there


def test_a_comment_carries_only_descriptors_that_describe_five_people():
    people = (
        [("A", "F", "20-29")] * 6
        + [("A", "M", "35-50")] * 2
        + [("B", "F", "20-29")] * 5
        + [("B", "F", "other")] * 5
    )
    respondents = Respondents(people)
    visible = respondents.visible
    assert visible[Grouping.SITE] == {"A", "B"}
    # Two men: "M" is hidden, and with it "F", which would reveal it from the total.
    assert visible[Grouping.SEX] == set()
    # 35-50 (2) is hidden, and the smallest visible band ("other", 5) with it.
    assert visible[Grouping.GENERATION] == {"20-29"}
    assert respondents.descriptors(("A", "M", "35-50")) == {Grouping.SITE: "A"}
    assert respondents.descriptors(("A", "F", "20-29")) == {
        Grouping.SITE: "A",
        Grouping.GENERATION: "20-29",
    }
    assert respondents.descriptors(("B", "F", "other")) == {Grouping.SITE: "B"}


def test_descriptors_are_dropped_when_together_they_describe_fewer_than_five():
    people = [("A", "F", "20-29")] * 4 + [("A", "F", "35-50")] * 6 + [("B", "F", "20-29")] * 6
    respondents = Respondents(people)
    assert respondents.visible[Grouping.GENERATION] == {"20-29", "35-50"}
    # Four women of 20-29 at A: "A" and "F" are kept, "20-29" would narrow them to four.
    assert respondents.descriptors(("A", "F", "20-29")) == {
        Grouping.SITE: "A",
        Grouping.SEX: "F",
    }
