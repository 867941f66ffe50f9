"""Periods (spec §3): every accepted form, and errors that list them."""

from __future__ import annotations

import datetime as dt

import pytest

from rmxl.diagnostics import QueryError
from rmxl.query.periods import parse_period

D = dt.date


@pytest.mark.parametrize(
    ("value", "start", "end", "text"),
    [
        (2022, D(2022, 1, 1), D(2022, 12, 31), "2022"),
        (2022.0, D(2022, 1, 1), D(2022, 12, 31), "2022"),
        ("2022", D(2022, 1, 1), D(2022, 12, 31), "2022"),
        (" 2022.0 ", D(2022, 1, 1), D(2022, 12, 31), "2022"),
        ("2023-04", D(2023, 4, 1), D(2023, 4, 30), "2023-04"),
        ("2024-02", D(2024, 2, 1), D(2024, 2, 29), "2024-02"),
        ("2023Q1", D(2023, 1, 1), D(2023, 3, 31), "2023Q1"),
        ("2023-q4", D(2023, 10, 1), D(2023, 12, 31), "2023Q4"),
        ("2023H1", D(2023, 1, 1), D(2023, 6, 30), "2023H1"),
        ("2023h2", D(2023, 7, 1), D(2023, 12, 31), "2023H2"),
        ("2023-01..2023-04", D(2023, 1, 1), D(2023, 4, 30), "2023-01..2023-04"),
        ("2023-01-01..2023-04-30", D(2023, 1, 1), D(2023, 4, 30), "2023-01-01..2023-04-30"),
        ("2022 .. 2023Q1", D(2022, 1, 1), D(2023, 3, 31), "2022..2023Q1"),
        (dt.datetime(2023, 3, 14, 0, 0), D(2023, 3, 14), D(2023, 3, 14), "2023-03-14"),
        (D(2023, 3, 14), D(2023, 3, 14), D(2023, 3, 14), "2023-03-14"),
        ([[2022.0]], D(2022, 1, 1), D(2022, 12, 31), "2022"),
    ],
)
def test_accepted_forms(value: object, start: dt.date, end: dt.date, text: str) -> None:
    p = parse_period(value)
    assert (p.start, p.end, p.text) == (start, end, text)


@pytest.mark.parametrize(
    "value",
    [
        "2022x",
        "22",
        "2023-13",
        "2023Q5",
        "2023-02-30",
        "2023-04..2023-01",
        2021.6,
        None,
        True,
        "",
        "Q1 2023",
    ],
)
def test_rejected_forms_list_the_accepted_ones(value: object) -> None:
    with pytest.raises(QueryError) as e:
        parse_period(value)
    assert e.value.code == "bad-period"
    assert "2023Q1" in str(e.value) and "2023-01..2023-04" in str(e.value)
