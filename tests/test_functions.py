"""The RM_ functions (spec §5) with Excel-shaped arguments, on the demo ledger."""

from __future__ import annotations

import datetime as dt

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
