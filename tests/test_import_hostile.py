"""rmxl import of careless and hostile sheets: each is refused at its cell (exit 1, no
traceback, nothing written) or read to the number the sheet shows, never to another one.

Ledger: the conftest taxonomy, partners (Swiss FDFA, Acme Telecom…) and CHF rates (0.96
from 2022-01-01), no agreements. A one-row sheet of Acme's USD 1,000 signed 2022-03-14
imports to 2022 funds of USD 1,000."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from rmxl.pipeline.load import figures

from conftest import base_files, run_cli, write_ledger

openpyxl = pytest.importorskip("openpyxl")

HEAD = ["id", "title", "signed", "partners", "regions", "priorities", "amount", "currency"]
ROW = ["A-2022-1", "Pilot", "14/03/2022", "Acme Telecom", "Africa", "Cybersecurity", 1000, "USD"]
MAP = (
    "columns: {id: id, title: title, signed: signed, partners: partners, regions: regions,"
    " priorities: priorities, amount: amount, currency: currency}\n"
)


def ledger(tmp_path: Path) -> Path:
    files = base_files()
    del files["agreements/2022.yaml"]
    return write_ledger(tmp_path / "ledger", files)


def row(**cells: Any) -> list[Any]:
    out = list(ROW)
    for k, v in cells.items():
        out[HEAD.index(k)] = v
    return out


def book(tmp_path: Path, rows: list[list[Any]], head: list[str] = HEAD) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Agreements"
    for r in [head, *rows]:
        ws.append(r)
    path = tmp_path / "team.xlsx"
    wb.save(path)
    return path


def refused(tmp_path: Path, sheet: Path) -> str:
    """Import ``sheet``; assert it is refused with nothing written; the diagnostics."""
    root = ledger(tmp_path)
    m = tmp_path / "map.yaml"
    m.write_text(MAP)
    status, _, err = run_cli("import", "--ledger", str(root), "--map", str(m), str(sheet))
    assert status == 1, err
    assert "Traceback" not in err and not (root / "agreements").exists()
    return err


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        ("123456789012345678901234567890", "123456789012345678901234567890 is implausibly"),
        (1e20, "100000000000000000000 is implausibly large"),
        (-5000, "-5000 is negative"),
        ("12345678901234.56", "has more than 15 significant digits"),
    ],
)
def test_amounts_the_ledger_refuses_are_refused_at_their_cell(
    tmp_path: Path, amount: Any, shown: str
) -> None:
    # before: the 30-digit text raised a decimal traceback, -5000 was dropped and the
    # agreement imported with no contribution, 1e20 was blamed on a file never written
    err = refused(tmp_path, book(tmp_path, [row(amount=amount)]))
    assert "team.xlsx:Agreements!G2: error[import-bad-amount]: " in err
    assert shown in err


def test_rows_of_one_agreement_that_differ_in_title_are_a_conflict(tmp_path: Path) -> None:
    # before: the second row's title was silently dropped and its amount added
    err = refused(tmp_path, book(tmp_path, [row(), row(title="Another project")]))
    assert "team.xlsx:Agreements!B3: error[import-conflict]: title 'Another project'" in err
    assert "first row ('Pilot')" in err


def test_a_conflict_shows_values_as_written(tmp_path: Path) -> None:
    err = refused(tmp_path, book(tmp_path, [row(), row(signed="15/03/2022")]))
    assert "signed '2022-03-15' differs from the agreement's first row ('2022-03-14')" in err


def test_two_columns_with_one_header_are_refused(tmp_path: Path) -> None:
    # before: the last 'Amount ' column was read (USD 5,000 instead of the 1,000 in the
    # first 'amount' column), without a word
    sheet = book(tmp_path, [[*ROW, 5000]], head=[*HEAD, "Amount "])
    err = refused(tmp_path, sheet)
    assert "team.xlsx:Agreements!I1: error[import-duplicate-column]: columns G and I" in err
    assert "(for amount)" in err and "amount: G" in err


def test_a_hidden_first_sheet_is_not_the_default(tmp_path: Path) -> None:
    # before: the hidden sheet (an old version, USD 9,999) was imported
    wb = openpyxl.Workbook()
    old = wb.active
    old.title = "Old"
    for r in [HEAD, row(amount=9999)]:
        old.append(r)
    old.sheet_state = "hidden"
    ws = wb.create_sheet("Agreements")
    for r in [HEAD, row()]:
        ws.append(r)
    path = tmp_path / "team.xlsx"
    wb.save(path)
    root = ledger(tmp_path)
    m = tmp_path / "map.yaml"
    m.write_text(MAP)
    status, _, err = run_cli("import", "--ledger", str(root), "--map", str(m), str(path))
    assert status == 0, err
    assert figures(root).total(2022) == 1_000


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig", "cp1252"])
def test_csv_in_the_encodings_spreadsheets_save(tmp_path: Path, encoding: str) -> None:
    # Excel's "Unicode Text" is UTF-16 with a BOM, tab-separated; before it was refused
    # as "not a spreadsheet"
    sheet = tmp_path / "team.csv"
    lines = ["\t".join(HEAD), "\t".join(map(str, row(title="Café numérique")))]
    sheet.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    root = ledger(tmp_path)
    m = tmp_path / "map.yaml"
    m.write_text(MAP)
    status, _, err = run_cli("import", "--ledger", str(root), "--map", str(m), str(sheet))
    assert status == 0, err
    assert "title: Café numérique" in (root / "agreements" / "2022.yaml").read_text("utf-8")
    assert figures(root).total(2022) == 1_000


def test_a_ledger_error_of_an_imported_row_is_shown_at_that_row(tmp_path: Path) -> None:
    # no CAD rate in the ledger: before, the error named agreements/2022.yaml:11:46, a
    # file the refused import never wrote
    err = refused(tmp_path, book(tmp_path, [row(), row(id="A-2022-2", currency="CAD")]))
    assert "team.xlsx:Agreements!A3: error[rate-missing]: agreement A-2022-2: no CAD rate" in err
    assert "2022.yaml" not in err


def test_new_partners_named_again_in_the_by_column(tmp_path: Path) -> None:
    # before: 'Globex' proposed from the partners cell, then refused in the by column
    sheet = book(
        tmp_path,
        [[*row(partners="Globex; Acme Telecom"), "globex "]],
        head=[*HEAD, "by"],
    )
    root = ledger(tmp_path)
    m = tmp_path / "map.yaml"
    m.write_text(MAP.replace("currency: currency}", "currency: currency, by: by}"))
    args = ("import", "--ledger", str(root), "--map", str(m), "--new-partners", str(sheet))
    status, out, err = run_cli(*args)
    assert status == 1 and "import-unknown-partner" not in err, err
    assert "  - id: globex\n" in out and "1 new partner(s) proposed" in err
    assert not (root / "agreements").exists()


@pytest.mark.parametrize(
    ("name", "content", "shown"),
    [
        ("team.csv", b"", "team.csv:A1: error[import-no-rows]: the file is empty"),
        (
            "team.csv",
            b"id,title,signed,partners,regions,priorities,amount,currency\r\n",
            "team.csv:A1: error[import-no-rows]: the file has a header row and no row of data",
        ),
    ],
)
def test_a_file_without_data_is_refused(
    tmp_path: Path, name: str, content: bytes, shown: str
) -> None:
    # before: the empty file gave one import-no-column per field, hint '( (map: …))'; the
    # header-only one printed '0 new' and exit 0
    sheet = tmp_path / name
    sheet.write_bytes(content)
    err = refused(tmp_path, sheet)
    assert shown in err and err.count("error[") == 1


def test_a_sheet_with_only_its_header_is_refused(tmp_path: Path) -> None:
    err = refused(tmp_path, book(tmp_path, []))
    assert (
        "team.xlsx:Agreements!A1: error[import-no-rows]: sheet 'Agreements' has a header row" in err
    )
    assert "(name the sheet that holds the agreements (sheet: in the map))" in err


def test_a_missing_column_hint_reads_cleanly(tmp_path: Path) -> None:
    err = refused(tmp_path, book(tmp_path, [ROW[:6]], head=HEAD[:6]))
    assert "no column 'amount' (for amount) in the header row (expected one of:" in err
    assert "( (" not in err and "; map: " in err and "map.yaml)" in err


def test_a_row_repeated_cell_for_cell_is_warned_about(tmp_path: Path) -> None:
    # before: the pasted copy doubled Acme's USD 1,000 without a word
    root = ledger(tmp_path)
    m = tmp_path / "map.yaml"
    m.write_text(MAP)
    sheet = book(tmp_path, [row(), row()])
    status, _, err = run_cli("import", "--ledger", str(root), "--map", str(m), str(sheet))
    assert status == 0, err
    assert "team.xlsx:Agreements!A3: warning[import-repeated-row]: row 3 repeats row 2" in err
    assert figures(root).total(2022) == 2_000  # one row per contribution (docs/records.md)


@pytest.mark.parametrize(
    ("pattern", "shown"),
    [
        ("A-{year}-{n:03d}-{x}", "{x} is not one of {year}, {n}"),
        ("A-{year.__class__}-{n}", "{year.__class__} is not one of {year}, {n}"),
        ("A-{n:>99999999}", "{n:>99999999} is not a number format such as {n:03d}"),
        ("A-{year}{n!s:.0}", "{n!s} is not a number format such as {n:03d}"),
        ("A-{n", "expected '}' before end of string"),
        ("A-{year}", "it has no {n}"),
    ],
)
def test_an_ids_pattern_that_cannot_number_rows_is_refused_at_the_map(
    tmp_path: Path, pattern: str, shown: str
) -> None:
    # before: {x} raised a KeyError traceback; {year.__class__} wrote the id
    # "<class 'int'>-1"; {n:>99999999} built a 95 MiB agreements file; {n!s:.0} gives
    # every row the id 'A-2022' and the import never finished
    sheet = book(tmp_path, [row(id=None), row(id=None, title="Second")])
    root = ledger(tmp_path)
    m = tmp_path / "map.yaml"
    m.write_text(f"ids: '{pattern}'\n" + MAP.replace("{id: id, ", "{"))
    status, _, err = run_cli("import", "--ledger", str(root), "--map", str(m), str(sheet))
    assert status == 1 and "Traceback" not in err, err
    pattern_error = "map.yaml:1:6: error[import-map]: ids is a pattern such as 'BDT-{year}-{n:03d}'"
    assert f"{pattern_error}: {shown}" in err
    assert not (root / "agreements").exists()


def test_an_ids_pattern_numbers_the_new_rows(tmp_path: Path) -> None:
    sheet = book(tmp_path, [row(id=None), row(id=None, title="Second")])
    root = ledger(tmp_path)
    m = tmp_path / "map.yaml"
    m.write_text("ids: 'QA-{year}-{n:02d}'\n" + MAP.replace("{id: id, ", "{"))
    status, _, err = run_cli("import", "--ledger", str(root), "--map", str(m), str(sheet))
    assert status == 0, err
    text = (root / "agreements" / "2022.yaml").read_text("utf-8")
    assert "- id: QA-2022-01\n" in text and "- id: QA-2022-02\n" in text


ODS_CONTENT = (
    '<?xml version="1.0" encoding="UTF-8"?><office:document-content'
    ' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
    ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
    ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
    '<office:body><office:spreadsheet><table:table table:name="Agreements">'
    '<table:table-row><table:table-cell office:value-type="string"><text:p>id</text:p>'
    "</table:table-cell></table:table-row>"
    '<table:table-row table:number-rows-repeated="6000"><table:table-cell'
    ' table:number-columns-repeated="16384" office:value-type="string"><text:p>x</text:p>'
    "</table:table-cell></table:table-row></table:table></office:spreadsheet></office:body>"
    "</office:document-content>"
)


def far_xlsx(tmp_path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Agreements"
    for r in [HEAD, row()]:
        ws.append(r)
    ws["XFD1048576"] = "x"
    path = tmp_path / "team.xlsx"
    wb.save(path)
    return path


def far_ods(tmp_path: Path) -> Path:
    path = tmp_path / "team.ods"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", ODS_CONTENT)
    return path


@pytest.mark.parametrize(
    ("make", "shown"),
    [
        (far_xlsx, "1,048,576 rows × 16,384 columns"),
        (far_ods, "6,001 rows × 16,384 columns"),
    ],
)
def test_a_sheet_whose_used_area_no_reader_can_hold_is_refused_before_it_is_read(
    tmp_path: Path, make: Any, shown: str
) -> None:
    # a 5 KB xlsx with one value in A1 and one in XFD1048576 (or an ods repeating a
    # cell over 6,000 rows × 16,384 columns); before: the reader asked for 512 GB and the
    # process aborted with a Rust backtrace (exit 134), no diagnostic. In a child process,
    # so that a regression fails this test rather than aborting the test run.
    sheet = make(tmp_path)
    root = ledger(tmp_path)
    m = tmp_path / "map.yaml"
    m.write_text(MAP)
    for args in (("import", "--map", str(m)), ("rates", "import")):
        cmd = [sys.executable, "-c", "from rmxl.cli import main; main()", *args]
        r = subprocess.run([*cmd, "--ledger", str(root), str(sheet)], capture_output=True)
        err = r.stderr.decode()
        assert r.returncode == 1 and "Traceback" not in err, err[-2000:]
        assert f"{sheet.name}:1:1: error[import-too-large]: " in err
        assert (
            f"sheet 'Agreements' is too large to read: its cells with a value span {shown}" in err
        )
        assert "(delete the stray cells far from the table" in err
    assert not (root / "agreements").exists()


def test_styled_empty_cells_far_away_do_not_count(tmp_path: Path) -> None:
    # Excel keeps a formatted empty cell as <c r="Z100000" s="1"/>: no value, no area
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Agreements"
    for r in [HEAD, row()]:
        ws.append(r)
    ws["XFD1048576"].font = openpyxl.styles.Font(bold=True)
    path = tmp_path / "team.xlsx"
    wb.save(path)
    root = ledger(tmp_path)
    m = tmp_path / "map.yaml"
    m.write_text(MAP)
    status, _, err = run_cli("import", "--ledger", str(root), "--map", str(m), str(path))
    assert status == 0, err
    assert figures(root).total(2022) == 1_000


def test_proposed_partner_records_read_back_as_the_ids_they_show(tmp_path: Path) -> None:
    # before: 'id: null', 'id: 123' and 'id: 2023-01-01' were printed bare (YAML reads
    # them as empty, a number and a date) and 'id: itu' is ITU's: pasted into
    # partners.yaml, each was an error
    names = ["null", "123", "2023-01-01", "ITU"]
    rows = [row(id=f"A-2022-{i}", partners=n) for i, n in enumerate(names, 1)]
    sheet = book(tmp_path, rows)
    root = ledger(tmp_path)
    m = tmp_path / "map.yaml"
    m.write_text(MAP)
    args = ("import", "--ledger", str(root), "--map", str(m), "--new-partners", str(sheet))
    status, out, err = run_cli(*args)
    assert status == 1 and "4 new partner(s) proposed" in err, err
    ids = [line.split("id: ", 1)[1] for line in out.splitlines() if "- id: " in line]
    assert ids == ['"null"', '"123"', '"2023-01-01"', "itu-2"]
    partners = root / "partners.yaml"
    records = out.split("partners:\n", 1)[1].replace("type: TODO", "type: government")
    partners.write_text(partners.read_text("utf-8") + records, encoding="utf-8")
    status, _, err = run_cli(*args[:-2], str(sheet))
    assert status == 0, err
    fig = figures(root)
    assert fig.total(2022, "partners") == 4 and fig.total(2022) == 4_000


def test_a_cell_holding_an_error_value_is_refused_at_it(tmp_path: Path) -> None:
    # a lookup that failed: the amount cell holds #N/A. Before: read as empty, the
    # agreement imported with no contribution (USD 1,000 dropped without a word)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Agreements"
    for r in [[*HEAD, "helper"], [*row(), None]]:
        ws.append(r)
    for ref in ("G2", "I2"):  # I: a column the map does not read, never in the way
        ws[ref] = "#N/A"
        ws[ref].data_type = "e"
    path = tmp_path / "team.xlsx"
    wb.save(path)
    err = refused(tmp_path, path)
    assert (
        "team.xlsx:Agreements!G2: error[import-cell-error]: this cell holds the error #N/A "
        "(for amount), not a value (correct the formula or clear the cell" in err
    )
    assert err.count("error[") == 1


def test_an_ods_cell_holding_an_error_value_is_refused_at_it(tmp_path: Path) -> None:
    # LibreOffice keeps =NA() as calcext:value-type="error"; before: read as empty,
    # the amount dropped
    cells = "".join(
        f'<table:table-cell office:value-type="string"><text:p>{h}</text:p></table:table-cell>'
        for h in HEAD
    )
    data = "".join(
        '<table:table-cell table:formula="of:=NA()" office:value-type="string"'
        ' office:string-value="" calcext:value-type="error"><text:p>#N/A</text:p>'
        "</table:table-cell>"
        if h == "amount"
        else f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>'
        for h, v in zip(HEAD, ROW, strict=True)
    )
    content = ODS_CONTENT.split("<table:table-row>")[0] + (
        f"<table:table-row>{cells}</table:table-row><table:table-row>{data}</table:table-row>"
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    content = content.replace(
        'office:version="1.2"',
        'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"'
        ' office:version="1.2"',
    )
    path = tmp_path / "team.ods"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)
        z.writestr(
            "META-INF/manifest.xml",
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:'
            'manifest:1.0"><manifest:file-entry manifest:full-path="content.xml"'
            ' manifest:media-type="text/xml"/></manifest:manifest>',
        )
    err = refused(tmp_path, path)
    assert "team.ods:Agreements!G2: error[import-cell-error]: this cell holds the error #N/A" in err
    assert err.count("error[") == 1
