"""Cell values as teams write them: dates, amounts, several values in one cell."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from rmxl.tools.ingest.values import BadValue, fold, parse_amount, parse_date, split_cell
from rmxl.validate.iso import currencies

D = dt.date(2022, 3, 14)


@pytest.mark.parametrize(
    "cell",
    [
        "14/03/2022",
        "14.03.2022",
        "2022-03-14",
        "14 March 2022",
        "March 14, 2022",
        "14-Mar-2022",
        "14th March 2022",
        " 14  March  2022 ",
        44634,
        44634.0,
        dt.datetime(2022, 3, 14, 9, 30),
        D,
    ],
)
def test_dates(cell: object) -> None:
    assert parse_date(cell) == D  # 44634 = days from 1899-12-30 to 2022-03-14


def test_month_first_and_bad_dates() -> None:
    assert parse_date("03/14/2022", day_first=False) == D
    for bad in ("31/02/2022", "14/13/2022", "soon", 12.5, 2022):
        with pytest.raises(BadValue):
            parse_date(bad)


@pytest.mark.parametrize(
    ("cell", "amount", "currency"),
    [
        ("1,000,000", "1000000", None),
        ("1 000 000", "1000000", None),
        ("1'000'000.50", "1000000.5", None),
        ("1.000.000,50", "1000000.5", None),
        ("CHF 2.4 million", "2400000", "CHF"),
        ("2.4 million CHF", "2400000", "CHF"),
        ("2,400,000 chf", "2400000", "CHF"),
        ("USD 500k", "500000", "USD"),
        ("$1.6m", "1600000", "USD"),
        ("EUR 0.9 mn", "900000", "EUR"),
        (2400000.0, "2400000", None),
        (1234.56, "1234.56", None),
        # text is read exactly at any size (no rounding to 28 digits; limits come after)
        ("123456789012345678901234567890", "123456789012345678901234567890", None),
        ("1234567890123456789012345678.9 bn", "1234567890123456789012345678900000000", None),
        # a number cell as the spreadsheet shows it (15 significant digits)
        (1.1 * 3, "3.3", None),
        (1e20, "100000000000000000000", None),
        # a group of thousands never starts with 0: a decimal comma (before: 923, 500)
        ("0,923", "0.923", None),
        ("EUR 0,500", "0.5", "EUR"),
        ("1,500", "1500", None),
    ],
)
def test_amounts(cell: object, amount: str, currency: str | None) -> None:
    assert parse_amount(cell, currencies()) == (Decimal(amount), currency)


@pytest.mark.parametrize("bad", ["lots", "CHX 100", "1,00,0", "2.4 gazillion", True])
def test_bad_amounts(bad: object) -> None:
    with pytest.raises(BadValue):
        parse_amount(bad, currencies())


def test_fold_and_split() -> None:
    assert fold("  Université  de GENÈVE ") == "universite de geneve"
    assert split_cell("A; B\nC |D", r"[;\n|]") == ["A", "B", "C", "D"]
    assert split_cell("Ministry of X, Switzerland", r"[;\n|]") == ["Ministry of X, Switzerland"]
