"""The Analysis sheet: the questions of the template (:mod:`rmxl.render.workbook.template`) as
cells that call the RM_ functions (spec §5, issue 3.7).

Each formula (``=RM_SHARE("region","Africa",2022)``) is written with the value
:func:`rmxl.query.expr.parse` and :func:`rmxl.query.functions.cell_answer` give for it — the
code path of the spreadsheet functions and of ``rmxl eval`` — so the numbers show before
the add-in recalculates; a question the ledger cannot answer shows the message the
function would return. No figure is computed here.

Where no add-in provides the RM_ functions (Excel without xlwings, LibreOffice without
the rmxl extension) a recalculation must show those stored values, not ``#NAME?``
(issue 12): each cell holds ``IF(ISERROR(RM_INFO("agreements")), stored, formula)``
(:func:`with_stored`), and the sheet's second line says whether its cells are live.

Layout: column A the question, B the formula as text, C the live formula, one heading
row per section; questions of format ``table`` are dynamic-array formulas
(``write_dynamic_array_formula``) whose spill range holds the table rmxl computed, in
blocks to the right from column E: one block per period, then one for the tables asked
once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from rmxl.diagnostics import QueryError
from rmxl.query.expr import parse
from rmxl.query.figures import Figures
from rmxl.query.functions import cell_answer, message
from rmxl.query.periods import Period
from rmxl.render.workbook.style import Styles, page_setup, text
from rmxl.render.workbook.template import Asked, Template, expand, load_template

HEADER_ROW = 4
TABLES_COL = 4
BLOCK_WIDTH = 4


FORMULA_LIMIT = 8192
"""Excel's longest formula, in characters: a table too large to store in its formula is
written without the stored fallback."""
PROBE = 'ISERROR(RM_INFO("agreements"))'
"""True where no add-in provides the RM_ functions (the cell would show ``#NAME?``)."""
STATUS = (
    f'=IF({PROBE},"No RM_ add-in here: each RM_ cell shows the value rmxl build stored '
    '(docs/spreadsheets.md).","The RM_ cells are live: computed from the ledger by the '
    'RM_ add-in.")'
)
STORED_NOTE = (
    "No RM_ add-in here: each RM_ cell shows the value rmxl build stored (docs/spreadsheets.md)."
)


def answer(fig: Figures, formula: str) -> Any:
    """The value of an RM_ formula on ``fig`` (a number, text or a 2-D list), or the
    one-line message the spreadsheet function would show when the ledger cannot answer
    it (:func:`rmxl.query.functions.cell_answer`)."""
    try:
        name, args = parse(formula)
    except QueryError as e:
        return message(e)
    return cell_answer(fig, name, args)


def with_stored(formula: str, value: Any) -> str:
    """``=IF(ISERROR(RM_INFO("agreements")),<value>,<formula>)``: the live formula where
    an add-in provides the RM_ functions, else ``value`` (a number, text, None or a
    table, as an Excel constant). The plain formula if the value cannot be a constant or
    the result would pass :data:`FORMULA_LIMIT`."""
    stored = _constant(value)
    if stored is None:
        return formula
    text = f"=IF({PROBE},{stored},{formula.removeprefix('=')})"
    return text if len(text) <= FORMULA_LIMIT else formula


def _constant(value: Any) -> str | None:
    """``value`` as an Excel constant (``{…;…}`` for a table), or None if it has none."""
    if isinstance(value, list):
        rows = [[_constant(c) for c in (row if isinstance(row, list) else [row])] for row in value]
        if any(c is None or c.startswith("{") for row in rows for c in row):
            return None
        return "{" + ";".join(",".join(row) for row in rows) + "}"  # type: ignore[arg-type]
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        if value != value or value in (float("inf"), float("-inf")):
            return None
        return repr(value).removesuffix(".0").upper()
    if isinstance(value, str):
        return '"' + value.replace('"', '""') + '"'
    if value is None:
        return '""'
    return None


def write_analysis(
    wb: Workbook,
    fig: Figures,
    periods: Sequence[Period],
    st: Styles,
    template: Template | None = None,
) -> None:
    """Add the Analysis sheet with the questions of ``template`` (default: rmxl's built-in
    one) for ``periods``. Raises TemplateError only if the built-in template is broken."""
    template = template or load_template()
    asked = expand(template, fig.taxonomy, periods)
    ws = wb.add_worksheet("Analysis")
    page_setup(ws, titles=(HEADER_ROW, HEADER_ROW), fit=False)  # fitted, its text was 4 pt
    _head(ws, template, st)
    _questions(ws, fig, [a for a in asked if not a.table], st)
    blocks = _tables(ws, fig, [a for a in asked if a.table], len(periods), st)
    ws.set_column(0, 0, 50)
    ws.set_column(1, 1, 58)
    ws.set_column(2, 2, 14)
    if blocks:
        ws.set_column(TABLES_COL, TABLES_COL + BLOCK_WIDTH * blocks, 16)
    # the used cells only: a long note's overflow printed a page of its own
    ws.print_area(0, 0, ws.dim_rowmax or 0, ws.dim_colmax or 2)


def _head(ws: Worksheet, template: Template, st: Styles) -> None:
    ws.write_string(0, 0, "Analysis: rmxl's Excel functions in cells", st.title)
    ws.write_formula(1, 0, STATUS, st.note, STORED_NOTE)
    ws.write_string(2, 0, "Column B shows each formula as text; column C holds it live.", st.note)
    text(ws, 3, 0, f"Questions: {template.name} (docs/workbook.md, The template).", st.note)
    for c, h in enumerate(("Question", "Formula", "Value")):
        ws.write_string(HEADER_ROW, c, h, st.header)


def _questions(ws: Worksheet, fig: Figures, asked: list[Asked], st: Styles) -> None:
    """One row per question, under a heading row per section."""
    row, section = HEADER_ROW + 1, None
    formats = {"money": st.money, "count": st.count, "percent": st.percent, "text": None}
    for a in asked:
        if a.section != section:
            text(ws, row, 0, a.section, st.bold)
            row, section = row + 1, a.section
        value = answer(fig, a.formula)
        text(ws, row, 0, a.label)
        ws.write_string(row, 1, a.formula)
        fmt = None if isinstance(value, str) else formats[a.format]
        ws.write_formula(row, 2, with_stored(a.formula, value), fmt, value)
        row += 1


def _tables(ws: Worksheet, fig: Figures, asked: list[Asked], periods: int, st: Styles) -> int:
    """The tables in blocks of :data:`BLOCK_WIDTH` columns; returns the number of blocks."""
    next_row: dict[int, int] = {}
    for a in asked:
        block = periods if a.block is None else a.block
        r = next_row.get(block, HEADER_ROW)
        used = _spill(ws, fig, a, (r, TABLES_COL + BLOCK_WIDTH * block), st)
        next_row[block] = r + used + 2
    return max(next_row, default=-1) + 1


def _spill(ws: Worksheet, fig: Figures, a: Asked, at: tuple[int, int], st: Styles) -> int:
    """A dynamic-array formula at ``at`` with its table's values in the spill range (or
    the error message in the anchor cell), its label and formula above; returns the
    number of rows used."""
    r, c = at
    text(ws, r - 1, c, f"{a.label}: {a.formula}", st.note)
    table = answer(fig, a.formula)
    if not isinstance(table, list):
        ws.write_formula(r, c, with_stored(a.formula, table), None, table)
        return 1
    last_row, last_col = r + len(table) - 1, c + len(table[0]) - 1
    formula = with_stored(a.formula, table)
    ws.write_dynamic_array_formula(r, c, last_row, last_col, formula, st.header, table[0][0])
    shares = parse(a.formula)[0].upper() == "RM_BREAKDOWN"
    for i, row in enumerate(table):
        for j, v in enumerate(row):
            if i == 0 and j == 0:
                continue
            fmt = st.header if i == 0 else (st.percent if j == 2 and shares else st.money)
            if isinstance(v, str):
                ws.write_string(r + i, c + j, v, fmt if i == 0 else None)
            elif v is None:  # a share of a zero total: an empty cell
                ws.write_blank(r + i, c + j, None, fmt)
            else:
                ws.write_number(r + i, c + j, v, fmt)
    return len(table)
