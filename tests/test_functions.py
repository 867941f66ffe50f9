"""The RM_ functions (spec §5) with Excel-shaped arguments, on the demo ledger."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pytest

from rmxl.diagnostics import QueryError
from rmxl.pipeline.load import figures
from rmxl.query.figures import Figures
from rmxl.query.functions import call, info

from conftest import DEMO


@pytest.fixture(scope="module")
def fig() -> Figures:
    return figures(DEMO)


def test_breakdown_table_in_taxonomy_order_multi_last(fig: Figures) -> None:
    table = call(fig, "RM_BREAKDOWN", ["region", 2022.0, None])
    assert table[0] == ["bucket", "value", "share"]
    assert [r[0] for r in table[1:]] == [
        "Africa",
        "Americas",
        "Arab States",
        "Asia-Pacific",
        "CIS",
        "Europe",
        "Multi-regions",
    ]
    assert table[1][1:] == [642_886.0, 642_886 / 9_669_771]
    assert sum(r[1] for r in table[1:]) == 9_669_771.0


def test_top_header_names_the_measure(fig: Figures) -> None:
    assert call(fig, "RM_TOP", [[[3.0]], "2022"])[0] == ["partner", "usd", "signed"]
    counts = call(fig, "RM_TOP", [2, 2022, "agreements"])
    assert counts[0] == ["partner", "agreements", "signed"]
    assert all(isinstance(r[1], int) for r in counts[1:])


def test_total_with_dimension_and_bucket(fig: Figures) -> None:
    assert call(fig, "RM_TOTAL", ["2022", "", " Partner Type ", "un"]) == 1_611_981.0
    with pytest.raises(QueryError) as e:
        call(fig, "RM_TOTAL", [2022, "funds", "region"])
    assert "both a dimension and a bucket" in str(e.value)


def test_a_date_cell_is_that_day(fig: Figures) -> None:
    for day in {a.signed for a in fig.compiled.ledger.agreements}:
        signed_that_day = sum(a.signed == day for a in fig.compiled.ledger.agreements)
        cell = dt.datetime(day.year, day.month, day.day)
        assert call(fig, "RM_TOTAL", [cell, "agreements"]) == signed_that_day


def test_info(fig: Figures) -> None:
    data = info(fig)
    assert data["agreements"] == 101 and data["ledger"] == str(DEMO.resolve())
    assert call(fig, "RM_INFO", [" Agreements "]) == 101
    with pytest.raises(QueryError):
        call(fig, "RM_INFO", ["owner"])


@pytest.mark.parametrize(
    ("name", "args", "text"),
    [
        ("RM_SHAER", ["region", "Africa", 2022], "did you mean 'RM_SHARE'?"),
        ("RM_SHARE", ["region", "Africa"], "takes 3 to 4 arguments, not 2"),
        ("RM_TOP", [0, 2022], "1 or more"),
    ],
)
def test_bad_calls(fig: Figures, name: str, args: list[object], text: str) -> None:
    with pytest.raises(QueryError) as e:
        call(fig, name, args)
    assert text in str(e.value)


@pytest.mark.parametrize(
    "year", [2022, 2022.0, np.int64(2022), np.int32(2022), np.float64(2022), Decimal("2022")]
)
def test_a_period_of_any_real_number_type_is_a_year(fig: Figures, year: object) -> None:
    """numbers.Integral/Real and Decimal alike (before, np.int64 and Decimal were 'not a
    period' while np.float64 was a year); a bool is no number."""
    assert call(fig, "RM_TOTAL", [year]) == call(fig, "RM_TOTAL", [2022])
    with pytest.raises(QueryError, match="not a year"):
        call(fig, "RM_TOTAL", [Decimal("2022.5")])
    with pytest.raises(QueryError, match="period True is not a period"):
        call(fig, "RM_TOTAL", [True])


def test_top_n_takes_the_same_numbers_and_text_as_a_period(fig: Figures) -> None:
    """n "2.0" is 2 as period "2022.0" is 2022 (before, "2.0" was refused); np.int64 and
    Decimal are numbers; "2.5" is not whole."""
    two = call(fig, "RM_TOP", [2, 2022])
    assert len(two) == 3
    for n in ("2.0", " 2 ", np.int64(2), Decimal("2")):
        assert call(fig, "RM_TOP", [n, 2022]) == two
    with pytest.raises(
        QueryError, match=r"n must be a whole number of partners, 1 or more, not '2\.5'"
    ):
        call(fig, "RM_TOP", ["2.5", 2022])


def test_more_arguments_than_a_function_takes_are_refused_even_empty(fig: Figures) -> None:
    """RM_TOTAL(2022,,,,) is five arguments (before, the empty ones were dropped)."""
    with pytest.raises(QueryError, match="RM_TOTAL takes 1 to 4 arguments, not 5") as e:
        call(fig, "RM_TOTAL", [2022, None, None, None, None])
    assert e.value.code == "bad-argument"
    assert call(fig, "RM_TOTAL", [2022, None, None, None]) == call(fig, "RM_TOTAL", [2022])


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("RM_TOTAL", [None, 2022]),
        ("RM_SHARE", ["region", "africa", None, 2022]),
        ("RM_BREAKDOWN", ["region", None, 2022]),
        ("RM_TOP", [3, None, 2022]),
    ],
)
def test_a_missing_period_is_named_before_later_arguments(
    fig: Figures, name: str, args: list[object]
) -> None:
    """The arguments are checked in their order: RM_TOTAL(,2022) says the period is
    missing (before: 'unknown measure 2022')."""
    with pytest.raises(QueryError, match=r"^period is missing") as e:
        call(fig, name, args)
    assert e.value.code == "bad-period"
