"""The demo workbook in the team's words and ready to print (issue 11): no bare field
code in a cell or sheet name, no two sheets alike, print titles on every printed sheet,
Yes/No flags, explained totals, widths that fit, legends without zero entries. The
workbook is built once and reopened with openpyxl."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from rmxl.pipeline import load as loader
from rmxl.query.names import DIMENSIONS, MEASURES
from rmxl.render.workbook.analysis import TABLES_COL
from rmxl.render.workbook.build import build_workbook

from conftest import DEMO

CODES = {*MEASURES, *DIMENSIONS, "bucket", "figure", "baap", "kap", "measure", "code"}
"""Field codes of spec §3 and the old headers, and the demo's action plan codes."""


@pytest.fixture(scope="module")
def demo_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (DEMO / "taxonomy.yaml").exists():
        pytest.skip("demo ledger not present")
    out = tmp_path_factory.mktemp("wb") / "rm.xlsx"
    return build_workbook(loader.figures(DEMO), out, environ={"SOURCE_DATE_EPOCH": "0"})


def _shown(ws: Worksheet) -> list[tuple[str, object]]:
    """(coordinate, value) of the cells a reader sees: not formulas, not in a hidden row
    or column, not the Analysis sheet's spilled RM_ tables (the functions' own output)."""
    hidden_cols = {k for k, d in ws.column_dimensions.items() if d.hidden}
    for d in list(ws.column_dimensions.values()):  # a hidden range min..max
        if d.hidden and d.min and d.max:
            hidden_cols |= {get_column_letter(c) for c in range(d.min, d.max + 1)}
    hidden_rows = {k for k, d in ws.row_dimensions.items() if d.hidden}
    out = []
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is None or cell.data_type == "f" or hasattr(cell.value, "text"):
                continue
            if cell.column_letter in hidden_cols or cell.row in hidden_rows:
                continue
            if ws.title == "Analysis" and cell.column > TABLES_COL:
                continue
            out.append((cell.coordinate, cell.value))
    return out


def _bare_code(value: object) -> bool:
    if not isinstance(value, str) or value.startswith("="):  # a formula shown as text
        return False
    text = value.strip()
    first = text.split(" ")[0]
    snake = any(re.search(rf"(?<![\w\"]){c}(?![\w\"])", text) for c in CODES if "_" in c)
    return text in CODES or first in CODES or snake or "spec §" in text


def test_no_cell_or_sheet_name_holds_a_bare_field_code(demo_book: Path) -> None:
    book = openpyxl.load_workbook(demo_book)
    visible = [ws for ws in book.worksheets if ws.sheet_state == "visible"]
    assert [ws.title for ws in visible if _bare_code(ws.title)] == []
    found = [(ws.title, c, v) for ws in visible for c, v in _shown(ws) if _bare_code(v)]
    assert found == []
    assert _bare_code("funded_agreements share") and _bare_code("partner_type 2023-01..2023-04")
    assert _bare_code("agreements") and not _bare_code("Agreements")


def test_no_two_sheets_alike_and_no_year_that_is_not_over(demo_book: Path) -> None:
    book = openpyxl.load_workbook(demo_book, data_only=True)
    bodies = {}
    for ws in book.worksheets:
        body = tuple(ws.iter_rows(min_row=6, values_only=True))
        assert body not in bodies.values(), (ws.title, [k for k, v in bodies.items() if v == body])
        bodies[ws.title] = body
    summary = book["Summary"]
    periods = [c.value for c in summary[4]][1:]
    assert periods == ["2022", "2023 to 30 Apr", "2022 to 30 Apr"]  # seed: to 30 April 2023
    assert not any(name.endswith(" 2023") for name in book.sheetnames)


def test_every_printed_sheet_repeats_its_header_and_xlwings_conf_is_hidden(
    demo_book: Path,
) -> None:
    book = openpyxl.load_workbook(demo_book)
    for ws in book.worksheets:
        if ws.title == "xlwings.conf":
            assert ws.sheet_state == "hidden"
            continue
        assert ws.sheet_state == "visible"
        assert ws.print_title_rows, ws.title
    assert book["By region 2022"].print_title_rows == "$6:$6"  # the header row
    assert book["Agreements"].print_title_rows == "$1:$1"
    for ws in book.worksheets[:-1]:  # all but the hidden xlwings.conf
        assert ws.page_setup.orientation == "landscape", ws.title
    # Analysis at full size (fitted to a page, its text printed at about 4 pt); the wide
    # Agreements table over several pages across, each led by the agreement column
    assert not book["Analysis"].sheet_properties.pageSetUpPr.fitToPage
    assert not book["Agreements"].sheet_properties.pageSetUpPr.fitToPage
    assert book["Agreements"].print_title_cols == "$A:$A"
    assert book["Summary"].sheet_properties.pageSetUpPr.fitToPage


def test_flags_are_yes_or_no_and_still_filter(demo_book: Path) -> None:
    book = openpyxl.load_workbook(demo_book)
    for sheet, header in (
        ("Agreements", "Funded"),
        ("Contributions", "ITU"),
        ("Parties", "Funded"),
    ):
        ws = book[sheet]
        heads = [c.value for c in ws[1]]
        column = [r[heads.index(header)] for r in ws.iter_rows(min_row=2, values_only=True)]
        assert set(column) == {"Yes", "No"}, sheet
        assert ws.tables[sheet].autoFilter is not None
    agreements = book["Agreements"]
    heads = [c.value for c in agreements[1]]
    funded = [r[heads.index("Funded")] for r in agreements.iter_rows(min_row=2, values_only=True)]
    signed = [r[heads.index("Signed")] for r in agreements.iter_rows(min_row=2, values_only=True)]
    assert (
        sum(1 for f, s in zip(funded, signed, strict=True) if f == "Yes" and s.year == 2022) == 50
    )


def test_partner_sheet_explains_an_agreement_counted_for_each_partner(demo_book: Path) -> None:
    ws = openpyxl.load_workbook(demo_book, data_only=True)["By partner 2022"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=7, values_only=True) if r[0]}
    heads = [c.value for c in ws[6]]
    c = heads.index("Agreements")
    assert rows["Total"][c] == 71  # the seed report's 71 agreements of 2022
    assert rows["Sum of the rows"][c] == 75  # four agreements have two partners
    assert rows["Sum of the rows"][c + 1] == pytest.approx(75 / 71)
    assert any(k.startswith("An agreement with two or more partners") for k in rows)


def _as_shown(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d")
    return f"{value:,.0f}" if isinstance(value, float) else str(value)


def test_columns_are_as_wide_as_what_they_hold(demo_book: Path) -> None:
    """No "0TDAG23/INF/1" or "40,000USD": every data column is at least as wide (in
    characters) as its longest value, up to 50, and text sits indented from a number."""
    book = openpyxl.load_workbook(demo_book)
    for sheet in ("Agreements", "Contributions", "Parties", "Partners", "Rates"):
        ws = book[sheet]
        for col in ws.iter_cols(min_row=2):
            letter = col[0].column_letter
            dim = ws.column_dimensions[letter]
            if dim.hidden or col[0].data_type == "f":
                continue
            texts = [_as_shown(c.value) for c in col]
            longest = max((len(t) for t in texts if t != "None"), default=0)
            assert dim.width >= min(50, longest), (sheet, letter, dim.width, longest)
            if isinstance(col[0].value, str):
                assert col[0].alignment.indent == 1, (sheet, letter)
    provenance = book["Provenance"]
    counts = [r for r in provenance.iter_rows(min_row=3) if isinstance(r[1].value, int)]
    assert counts and all(r[1].alignment.horizontal == "left" for r in counts)


def test_pie_legends_leave_out_zero_buckets_and_show_shares(demo_book: Path) -> None:
    book = openpyxl.load_workbook(demo_book, data_only=True)
    ws = book["By partner type 2022"]
    legend = [ws.cell(r, 7).value for r in range(7, 15)]
    assert legend[0] == "Governmental entities (75.6%)"  # the seed's pie said 74.5%
    assert legend[2] == "Academia (0.0%)"
    with zipfile.ZipFile(demo_book) as z:
        charts = [
            z.read(n).decode() for n in sorted(z.namelist()) if n.startswith("xl/charts/chart")
        ]
    pie = next(x for x in charts if "Partners' financial contributions by partner type, 2022" in x)
    deleted = re.findall(r'<c:legendEntry><c:idx val="(\d+)"/><c:delete val="1"/>', pie)
    assert deleted == ["2", "4", "5"]  # Academia, international organizations, financial
