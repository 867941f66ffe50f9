"""Money at any size (spec §6): what validate accepts compiles and evaluates exactly, and
what could not is refused at its line (issue 10, "Wrong numbers from a ledger that
validates clean")."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from rmxl.money import MAX_FUNDS_CENTS, usd_cents
from rmxl.pipeline.load import figures
from rmxl.query.functions import call

from conftest import ONE_AGREEMENT as HEAD
from conftest import RATES, base_files, codes, diagnose, write_ledger

A = "agreements/2022.yaml"


def contributions(*rows: str) -> dict[str, str]:
    """One agreement (line 2) whose contributions start on line 9, one per row."""
    body = "".join(f"      - {{{r}}}\n" for r in rows)
    return {A: HEAD + "    contributions:\n" + body}


def test_ten_huge_contributions_are_refused_not_wrapped(tmp_path: Path) -> None:
    # today: accepted, and RM_TOTAL(2022) printed -8.4e+16 (int64 cents wrapped)
    big = "by: ch-fdfa, amount: 9999999999999999, currency: USD"
    root = write_ledger(tmp_path / "l", base_files(**contributions(*[big] * 10)))
    assert codes(diagnose(root)) == [("bad-amount", 9 + i) for i in range(10)]
    d = next(d for d in diagnose(root) if d.code == "bad-amount")
    assert "10^15" in d.message + d.hint


def test_the_amount_limit_and_its_message_agree(tmp_path: Path) -> None:
    jpy = {"rates.yaml": RATES + "  JPY:\n    2022-01-01: 150\n"}
    at = contributions("by: ch-fdfa, amount: 1000000000000000, currency: JPY")
    root = write_ledger(tmp_path / "at", base_files(**at, **jpy))
    assert codes(diagnose(root)) == []  # JPY 10^15 = USD 6,666,666,666,666.67
    assert call(figures(root), "RM_TOTAL", [2022]) == 6666666666666.67
    over = contributions("by: ch-fdfa, amount: 1000000000000001, currency: JPY")
    root = write_ledger(tmp_path / "over", base_files(**over, **jpy))
    (d,) = [d for d in diagnose(root) if d.severity == "error"]
    assert (d.code, d.source.line if d.source else 0) == ("bad-amount", 9)
    assert "above 10^15" in d.hint


@pytest.mark.parametrize(
    "rate, accepted",
    [
        ("1e-320", False),  # passed validate, then eval raised decimal.InvalidOperation
        ("0.0000009", False),
        ("0.000001", True),
        ("1000000000", True),
        ("1000000001", False),
        ("0.92000000000000001", False),  # 17 digits: a float would have read 0.92
    ],
)
def test_rate_limits(tmp_path: Path, rate: str, accepted: bool) -> None:
    files = base_files()
    files["rates.yaml"] = f"rates:\n  CHF:\n    2022-01-01: {rate}\n"
    root = write_ledger(tmp_path / "l", files)
    # at 10^9 CHF per USD the seed's CHF contributions are worth less than a cent: that
    # refusal is the amount's (test_a_contribution_below_one_cent_...), not the rate's
    errors = [e for e in codes(diagnose(root)) if e[0] != "amount-below-cent"]
    assert errors == ([] if accepted else [("bad-rate", 3)])


def test_huge_amount_at_a_tiny_rate_is_refused_at_the_contribution(tmp_path: Path) -> None:
    files = base_files(**contributions("by: ch-fdfa, amount: 1000000000000000, currency: CHF"))
    files["rates.yaml"] = "rates:\n  CHF:\n    2022-01-01: 0.000001\n"
    root = write_ledger(tmp_path / "l", files)
    (d,) = [d for d in diagnose(root) if d.severity == "error"]
    assert (d.code, d.source.line if d.source else 0) == ("funds-too-large", 9)
    assert "USD 1,000,000,000,000,000,000,000.00" in d.message + d.hint


def test_funds_just_below_the_limit_are_exact_to_the_cent(tmp_path: Path) -> None:
    # nine contributions of USD 999,999,999,999.99 and one of 999,999,999,999.98: the total
    # is 10^13 - 0.11, fifteen digits, exact as a float and in a spreadsheet cell
    rows = ["by: ch-fdfa, amount: 999999999999.99, currency: USD"] * 9
    rows.append("by: ITU, amount: 999999999999.98, currency: USD")
    root = write_ledger(tmp_path / "l", base_files(**contributions(*rows)))
    assert codes(diagnose(root)) == []
    fig = figures(root)
    assert call(fig, "RM_TOTAL", [2022]) == 9999999999999.89
    assert call(fig, "RM_TOTAL", [2022, "itu_funds"]) == 999999999999.98
    assert fig.compiled.agreements["funds_cents"].sum() == MAX_FUNDS_CENTS - 11


def test_amounts_are_exact_decimals(tmp_path: Path) -> None:
    root = write_ledger(
        tmp_path / "l", base_files(**contributions("by: ch-fdfa, amount: 0.1234, currency: USD"))
    )
    assert codes(diagnose(root)) == []
    five = contributions("by: ch-fdfa, amount: 0.12345, currency: USD")
    root = write_ledger(tmp_path / "five", base_files(**five))
    assert codes(diagnose(root)) == [("bad-amount", 9)]
    long = contributions("by: ch-fdfa, amount: 1234567890123.456, currency: USD")
    root = write_ledger(tmp_path / "long", base_files(**long))  # 16 digits
    assert codes(diagnose(root)) == [("bad-amount", 9)]


def test_usd_cents_is_exact_at_any_size() -> None:
    assert usd_cents(Decimal("2400000"), Decimal("0.96")) == 250_000_000
    assert usd_cents(Decimal("0.005"), Decimal(1)) == 0  # half to even
    assert usd_cents(Decimal("0.015"), Decimal(1)) == 2
    assert usd_cents(Decimal("100"), Decimal("3")) == 3333  # 33.333…
    assert usd_cents(Decimal("200"), Decimal("3")) == 6667  # 66.666…
    # a decimal division at 28 digits raised InvalidOperation here
    assert usd_cents(Decimal("1"), Decimal("1e-320")) == 10**322


def test_dates_before_spreadsheet_days_are_refused(tmp_path: Path) -> None:
    files = base_files()
    files[A] = files[A].replace("signed: 2022-03-14", "signed: 1900-02-28")
    files["taxonomy.yaml"] = files["taxonomy.yaml"].replace("from: 2018-01-01", "from: 1890-01-01")
    root = write_ledger(tmp_path / "l", files)
    # the plan's from (taxonomy line 26) and the signed date; the agreements left without
    # a plan by the refused one are knock-ons, counted, not shown
    assert sorted(codes(diagnose(root))) == [("bad-date", 4), ("bad-date", 26)]


def test_the_last_year_of_the_calendar_is_refused(tmp_path: Path) -> None:
    # found by the property test: an agreement signed 9999-12-31 validated, then build
    # raised OverflowError (the workbook labels a period by its next day)
    files = base_files()
    files[A] = files[A].replace("signed: 2023-02-01", "signed: 9999-12-31")
    root = write_ledger(tmp_path / "l", files)
    assert codes(diagnose(root)) == [("bad-date", 27)]
    files[A] = files[A].replace("signed: 9999-12-31", "signed: 9998-12-31")
    root = write_ledger(tmp_path / "ok", files)
    assert codes(diagnose(root)) == []


@pytest.mark.parametrize(
    ("row", "rates", "refused"),
    [
        ("amount: 0.001, currency: USD", None, True),  # a tenth of a cent
        ("amount: 0.005, currency: USD", None, True),  # half a cent rounds to even: 0.00
        ("amount: 0.0051, currency: USD", None, False),  # rounds to USD 0.01
        ("amount: 0.01, currency: USD", None, False),  # one cent
        ("amount: 1, currency: CHF", "1000", True),  # CHF 1 at 1000 per USD = USD 0.001
        ("amount: 10, currency: CHF", "1000", False),  # USD 0.01
    ],
)
def test_a_contribution_below_one_cent_is_refused_at_its_amount(
    tmp_path: Path, row: str, rates: str | None, refused: bool
) -> None:
    # today: accepted, and the agreement counted as funded with USD 0 of funds (spec §3)
    files = base_files(**contributions(f"by: ch-fdfa, {row}"))
    if rates:
        files["rates.yaml"] = f"rates:\n  CHF:\n    2022-01-01: {rates}\n"
    root = write_ledger(tmp_path / "l", files)
    errors = [d for d in diagnose(root) if d.severity == "error"]
    if not refused:
        assert errors == []
        return
    (d,) = errors
    assert d.code == "amount-below-cent"
    # "      - {by: ch-fdfa, amount: " is 30 characters: the amount is at column 31
    assert d.source is not None and (d.source.line, d.source.column) == (9, 31)
    assert d.hint
