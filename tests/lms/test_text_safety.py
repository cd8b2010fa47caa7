import pytest

from lms.text_safety import Problem, is_blank, text_problem


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("María Ñahui", None),
        ("línea\notra", Problem.CONTROL),
        ("nul\x00", Problem.CONTROL),
        ("escape\x1b[31m", Problem.CONTROL),
        ("\x85", Problem.CONTROL),
        ("abc\u202edcb", Problem.BIDI),
        ("\u2066aislado\u2069", Problem.BIDI),
        ("\ud800", Problem.NOT_TEXT),
        ("\ufffe", Problem.NOT_TEXT),
        ("\U0010ffff", Problem.NOT_TEXT),
    ],
)
def test_text_problems(value, problem):
    assert text_problem(value) == problem


def test_line_breaks_and_tabs_are_allowed_where_a_text_may_have_lines():
    assert text_problem("una\r\nlínea\tmás", multiline=True) is None
    assert text_problem("una\x00", multiline=True) == Problem.CONTROL


@pytest.mark.parametrize(
    ("value", "blank"),
    [("", True), ("   ", True), ("\u200b\u200c\u2060", True), ("\u00ad", True), ("a\u200b", False)],
)
def test_blank_means_nothing_visible(value, blank):
    assert is_blank(value) is blank
