"""rmxl import: a messy team spreadsheet, the export round trip, re-import, bad input.

Expected figures are hand computations on the conftest ledger (rates CHF 0.96 from
2022-01-01, 0.8 from 2022-06-01): CHF 2,400,000 signed 2022-03-14 → USD 2,500,000; ITU
USD 50,000; Acme USD 100,000 → 2022 funds USD 2,650,000; CHF 8,000 signed 2023-02-01 →
USD 10,000. The round trip reproduces the seed report's published figures."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from rmxl.pipeline.load import check, figures

from conftest import DEMO, ROOT, base_files, run_cli, write_ledger

openpyxl = pytest.importorskip("openpyxl")
EXAMPLE_MAP = ROOT / "docs" / "examples" / "import-map.yaml"


def messy(path: Path) -> Path:
    """The workbook docs/examples/import-map.yaml describes: a merged title row, a two-row
    header with a merged 'Contribution', text dates in two formats, a real date and an
    Excel serial, amounts with separators and currency words, two partners in one cell,
    a label with stray spaces, names in another case."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Agreements"
    ws["A1"] = "ITU/BDT partnership agreements 2022-2023"
    ws.merge_cells("A1:H1")
    heads = ["Project title", "Date of\nsignature", "Partner(s)", "Funded by", "Contribution"]
    heads += [None, "ITU contribution (USD)", "Region", "Thematic priority"]
    for c, h in enumerate(heads, 1):
        ws.cell(3, c, h)
    ws.merge_cells("E3:F3")
    ws.cell(4, 5, "Amount")
    ws.cell(4, 6, "Currency")
    rows = [
        ("Smart villages", "14/03/2022", "Swiss FDFA", None, "CHF 2.4 million", None),
        ("Cyber drills", "1 July 2022", "Norway MFA; Acme Telecom", "acme telecom", "100,000"),
        ("MoU on skills", dt.datetime(2022, 9, 30), "University X\nACME TELECOM", None, "-"),
        ("Connectivity", 44958, "UNIVERSITY X", None, "8'000", "chf"),
    ]
    rest = [
        ("50,000", "Africa", "Digital Inclusion"),
        ("USD", None, "Africa;Europe", "cybersecurity"),
        (None, None, "  europe ", "Cybersecurity; Digital Inclusion"),
        (None, "Americas", "Affordable connectivity"),
    ]
    rows = [list(a) + list(b) for a, b in zip(rows, rest, strict=True)]
    for r, row in enumerate(rows, 5):
        for c, v in enumerate(row, 1):
            if v is not None:
                ws.cell(r, c, v)
    wb.save(path)
    return path


def empty_ledger(tmp_path: Path) -> Path:
    files = base_files()
    del files["agreements/2022.yaml"]
    return write_ledger(tmp_path / "ledger", files)


def test_messy_spreadsheet_imports_to_known_figures(tmp_path: Path) -> None:
    root = empty_ledger(tmp_path)
    book = messy(tmp_path / "team.xlsx")
    status, out, err = run_cli(
        "import", "--ledger", str(root), "--map", str(EXAMPLE_MAP), str(book)
    )
    assert status == 0, err
    assert "added 3 agreement(s)" in out and "added 1 agreement(s)" in out
    fig = figures(root)
    assert fig.total(2022) == 2_650_000
    assert fig.total(2022, "itu_funds") == 50_000
    assert fig.total(2023) == 10_000
    assert fig.total(2022, "agreements") == 3 and fig.total(2022, "partners") == 4
    a = {x.title: x for x in check(root)[0].agreements}  # type: ignore[union-attr]
    assert a["Smart villages"].signed == dt.date(2022, 3, 14)
    assert a["Cyber drills"].partners == ("no-mfa", "acme")
    assert a["MoU on skills"].regions == ("europe",) and a["MoU on skills"].contributions == ()
    assert a["Connectivity"].signed == dt.date(2023, 2, 1)
    assert a["Smart villages"].id == "BDT-2022-001"
    written = [str(root / "agreements" / f"{y}.yaml") for y in (2022, 2023)]
    assert run_cli("fmt", "--check", *written)[0] == 0  # in the canonical layout


def test_round_trip_of_the_xlsx_export_reproduces_the_published_figures(tmp_path: Path) -> None:
    from test_published_figures import PUBLISHED, TOTALS

    out = tmp_path / "export"
    assert run_cli("export", "--ledger", str(DEMO), "--format", "xlsx", "--out", str(out))[0] == 0
    root = tmp_path / "ledger"
    root.mkdir()
    for name in ("taxonomy.yaml", "partners.yaml", "rates.yaml"):
        shutil.copy(DEMO / name, root / name)
    status, _, err = run_cli("import", "--ledger", str(root), str(out / "ledger.xlsx"))
    assert status == 0, err
    fig, demo = figures(root), figures(DEMO)
    for period, figs in PUBLISHED.items():
        for key, value in figs.items():
            if key in TOTALS and not isinstance(value, dict):
                assert fig.total(period, key) == value, (period, key)
    for dim in ("region", "priority", "partner_type", "membership", "partner", "currency"):
        assert fig.breakdown(dim, 2022).rows() == demo.breakdown(dim, 2022).rows()


def test_reimport_adds_nothing_and_a_changed_row_is_reported(tmp_path: Path) -> None:
    root = empty_ledger(tmp_path)
    book = messy(tmp_path / "team.xlsx")
    args = ("import", "--ledger", str(root), "--map", str(EXAMPLE_MAP))
    assert run_cli(*args, str(book))[0] == 0
    before = {p: p.read_bytes() for p in root.rglob("*.yaml")}
    status, out, err = run_cli(*args, str(book))
    assert status == 0 and "4 agreement(s) already there" in out
    wb = openpyxl.load_workbook(book)
    wb["Agreements"]["A5"] = "Smart villages, phase 1"  # the title of one row changed
    wb.save(book)
    status, out, err = run_cli(*args, str(book))
    assert "team.xlsx:Agreements!A5: warning[import-differs]" in err and "title" in err
    assert "3 agreement(s) already there" in out
    assert {p: p.read_bytes() for p in root.rglob("*.yaml")} == before


def test_every_problem_at_once_and_nothing_written(tmp_path: Path) -> None:
    root = empty_ledger(tmp_path)
    book = messy(tmp_path / "team.xlsx")
    wb = openpyxl.load_workbook(book)
    ws = wb["Agreements"]
    ws["B5"] = "31/02/2022"
    ws["C6"] = "Norwegian Ministry"
    ws["E8"] = "lots"
    ws["H7"] = "Oceania"
    wb.save(book)
    status, _, err = run_cli("import", "--ledger", str(root), "--map", str(EXAMPLE_MAP), str(book))
    assert status == 1
    for where, code in (
        ("B5", "import-bad-date"),
        ("C6", "import-unknown-partner"),
        ("E8", "import-bad-amount"),
        ("H7", "import-unknown-code"),
    ):
        assert f"team.xlsx:Agreements!{where}: error[{code}]" in err
    assert "closest: 'Norway MFA' (no-mfa)" in err
    assert not (root / "agreements").exists()


def test_new_partners_are_proposed(tmp_path: Path) -> None:
    root = empty_ledger(tmp_path)
    book = messy(tmp_path / "team.xlsx")
    wb = openpyxl.load_workbook(book)
    wb["Agreements"]["C5"] = "Fondation Côte d'Azur"
    wb.save(book)
    args = ("import", "--ledger", str(root), "--map", str(EXAMPLE_MAP), "--new-partners")
    status, out, _err = run_cli(*args, str(book))
    assert status == 1 and "- id: fondation-cote-d-azur" in out
    assert 'name: "Fondation Côte d\'Azur"' in out and "type: TODO" in out
    assert not (root / "agreements").exists()


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    root = empty_ledger(tmp_path)
    book = messy(tmp_path / "team.xlsx")
    args = ("import", "--ledger", str(root), "--map", str(EXAMPLE_MAP), "--dry-run")
    status, out, _ = run_cli(*args, str(book))
    assert status == 0 and "would add 3 agreement(s)" in out
    assert not (root / "agreements").exists()


def test_csv_with_text_amounts(tmp_path: Path) -> None:
    root = empty_ledger(tmp_path)
    sheet = tmp_path / "a.csv"
    sheet.write_text(
        "title;signed;partners;regions;priorities;amount\n"
        "Smart villages;14 March 2022;swiss fdfa;africa;digital-inclusion;CHF 2,400,000\n",
        encoding="utf-8",
    )
    m = tmp_path / "map.yaml"
    m.write_text(
        "columns: {title: title, signed: signed, partners: partners, regions: regions,"
        " priorities: priorities, amount: amount}\n"
    )
    status, _, err = run_cli("import", "--ledger", str(root), "--map", str(m), str(sheet))
    assert status == 0, err
    assert figures(root).total(2022) == 2_500_000


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"%PDF-1.4 not a sheet", "import-unreadable"),
        (b"PK\x03\x04garbage", "import-unreadable"),
    ],
)
def test_not_a_spreadsheet(tmp_path: Path, content: bytes, code: str) -> None:
    root = empty_ledger(tmp_path)
    bad = tmp_path / "agreements.xlsx"
    bad.write_bytes(content)
    status, _, err = run_cli("import", "--ledger", str(root), str(bad))
    assert status == 1 and f"agreements.xlsx:1:1: error[{code}]" in err
    assert "Traceback" not in err and not (root / "agreements").exists()


def test_missing_sheet_and_missing_column(tmp_path: Path) -> None:
    root = empty_ledger(tmp_path)
    book = messy(tmp_path / "team.xlsx")
    m = tmp_path / "map.yaml"
    m.write_text(EXAMPLE_MAP.read_text().replace("sheet: Agreements", "sheet: Agreements 2024"))
    status, _, err = run_cli("import", "--ledger", str(root), "--map", str(m), str(book))
    assert status == 1 and "team.xlsx:1:1: error[import-no-sheet]" in err
    assert "its sheets: 'Agreements'" in err
    m.write_text(EXAMPLE_MAP.read_text().replace("Thematic priority", "Theme"))
    status, _, err = run_cli("import", "--ledger", str(root), "--map", str(m), str(book))
    assert status == 1 and "error[import-no-column]: no column 'Theme' (for priorities)" in err


def test_encrypted_workbook(tmp_path: Path) -> None:
    root = empty_ledger(tmp_path)
    enc = tmp_path / "locked.xlsx"  # an OLE container holding an EncryptedPackage stream
    enc.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500 + "EncryptedPackage".encode("utf-16-le")
    )
    status, _, err = run_cli("import", "--ledger", str(root), str(enc))
    assert status == 1 and "error[import-encrypted]" in err


def test_too_large_file_is_refused_before_reading(tmp_path: Path) -> None:
    root = empty_ledger(tmp_path)
    big = tmp_path / "big.xlsx"
    with big.open("wb") as f:
        f.write(b"PK\x03\x04")
        f.seek(100 * 1024 * 1024)
        f.write(b"\0")
    status, _, err = run_cli("import", "--ledger", str(root), str(big))
    assert status == 1 and "error[import-too-large]" in err and "100 MiB" in err


def test_formula_without_cached_value(tmp_path: Path) -> None:
    root = empty_ledger(tmp_path)
    book = messy(tmp_path / "team.xlsx")
    wb = openpyxl.load_workbook(book)
    wb["Agreements"]["E5"] = "=2400000*1"  # openpyxl stores no cached value
    wb.save(book)
    status, _, err = run_cli("import", "--ledger", str(root), "--map", str(EXAMPLE_MAP), str(book))
    assert status == 1 and "team.xlsx:Agreements!E5: error[import-formula]" in err


def test_column_letters_and_a_header_that_looks_like_one(tmp_path: Path) -> None:
    root = empty_ledger(tmp_path)
    sheet = tmp_path / "a.csv"
    sheet.write_text(
        "ID,Title,Signed,Partner,Region,Priority,Amount\n"
        "X-1,Smart villages,2022-03-14,Swiss FDFA,Africa,Digital Inclusion,CHF 2400000\n",
        encoding="utf-8",
    )
    m = tmp_path / "map.yaml"  # 'ID' is a header here, not the column ID; B and G letters
    m.write_text(
        "columns: {id: ID, title: B, signed: Signed, partners: Partner, regions: Region,"
        " priorities: Priority, amount: G}\n"
    )
    status, _, err = run_cli("import", "--ledger", str(root), "--map", str(m), str(sheet))
    assert status == 0, err
    (a,) = check(root)[0].agreements  # type: ignore[union-attr]
    assert (a.id, a.title) == ("X-1", "Smart villages")
    assert figures(root).total(2022) == 2_500_000


SOFFICE = shutil.which("soffice")


@pytest.mark.skipif(SOFFICE is None, reason="soffice (LibreOffice) is not installed")
@pytest.mark.parametrize("fmt", ["ods", "xls"])
def test_ods_and_xls_import_like_xlsx(tmp_path: Path, fmt: str) -> None:
    import subprocess

    root = empty_ledger(tmp_path)
    book = messy(tmp_path / "team.xlsx")
    profile = f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}"
    out = str(tmp_path / "out")
    subprocess.run(
        [str(SOFFICE), profile, "--headless", "--convert-to", fmt, "--outdir", out, str(book)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    converted = tmp_path / "out" / f"team.{fmt}"
    status, _, err = run_cli(
        "import", "--ledger", str(root), "--map", str(EXAMPLE_MAP), str(converted)
    )
    assert status == 0, err
    assert figures(root).total(2022) == 2_650_000 and figures(root).total(2023) == 10_000
