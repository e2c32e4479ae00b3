"""Issue 20 item 9: "comparable" is judged against the group most rows share (unit, definition, period kind),
never against whichever row happens to come first."""

from __future__ import annotations

import datetime as dt
import itertools

from warehouse.figures import comparability, period_key

D = dt.date


def _rows(periods):  # noqa: ANN001, ANN202
    return [("%", "level", period_key(label, start, end), label) for label, start, end in periods]


def test_yearly_figures_of_different_years_share_a_period_kind_and_the_odd_one_is_flagged() -> None:
    periods = [
        ("2021年上半年", D(2021, 1, 1), D(2021, 6, 30)),  # first row: the odd one out
        ("2021年", D(2021, 1, 1), D(2021, 12, 31)),
        ("2022年", D(2022, 1, 1), D(2022, 12, 31)),
        ("2023年", D(2023, 1, 1), D(2023, 12, 31)),
    ]
    flags = comparability(_rows(periods))
    assert [f.comparable for f in flags] == [False, True, True, True]
    assert flags[0].note == "period 2021年上半年 (half a year) vs a year"


def test_the_verdict_does_not_depend_on_the_order_of_the_rows() -> None:
    rows = [
        ("%", "level", ("text", None), "not stated"),
        ("起", "level", ("text", None), "not stated"),
        ("%", "level", ("text", None), "not stated"),
        ("%", "change (year on year)", ("text", None), "not stated"),
    ]
    expected = {row: None for row in rows}
    for order in itertools.permutations(range(len(rows))):
        verdicts = dict(zip([rows[i] for i in order], comparability([rows[i] for i in order]), strict=True))
        for row, flag in verdicts.items():
            assert expected[row] in (None, flag.comparable), (order, row)
            expected[row] = flag.comparable
    assert expected[rows[0]] and not expected[rows[1]] and not expected[rows[3]]


def test_with_no_group_shared_by_most_rows_no_row_is_made_the_reference() -> None:
    rows = [("%", "level", ("text", None), "not stated"), ("起", "level", ("text", None), "not stated")]
    for order in (rows, rows[::-1]):
        flags = comparability(order)
        assert [f.comparable for f in flags] == [False, False]
        assert "no definition and period shared by most figures" in flags[0].note
