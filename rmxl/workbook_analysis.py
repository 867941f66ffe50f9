"""The Analysis sheet: cells that call the RM_ functions (spec §5, issue 3.7).

Each formula (``=RM_SHARE("region","Africa",2022)``) is written with the value
:func:`rmxl.functions.call` returns for the same arguments — the code path of the xlwings
functions and of ``rmxl eval`` — so the numbers show before the add-in recalculates; a
question the ledger cannot answer shows the message the Excel function would return.
``RM_BREAKDOWN`` and ``RM_TOP`` are dynamic-array formulas (``write_dynamic_array_formula``)
whose spill range holds the table rmxl computed. LibreOffice has no RM_ functions and
shows ``#NAME?`` in these cells after a recalculation, so the second-engine test leaves
this sheet out.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from .buckets import taxonomy_buckets
from .errors import QueryError
from .functions import call
from .names import MONEY
from .periods import Period
from .query import Figures
from .workbook_meta import formula_text, period_arg
from .workbook_style import Styles, page_setup, period_label, text

TOTALS = (
    ("Funds (USD)", "funds"),
    ("Partner funds (USD)", "partner_funds"),
    ("ITU funds (USD)", "itu_funds"),
    ("Agreements", "agreements"),
    ("Funded agreements", "funded_agreements"),
    ("Distinct partners", "partners"),
)
HEADER_ROW = 4


def _answer(fig: Figures, name: str, args: list[Any]) -> Any:
    try:
        return call(fig, name, list(args))
    except QueryError as e:
        return str(e)


def _questions(fig: Figures, p: Period) -> list[tuple[str, str, list[Any], Any]]:
    """``(question, function, args, cell format key)`` for one period."""
    arg = period_arg(p)
    when = period_label(p)
    out: list[tuple[str, str, list[Any], Any]] = [
        (f"{label}, {when}", "RM_TOTAL", [arg, m], "money" if m in MONEY else "count")
        for label, m in TOTALS
    ]
    tax = fig.taxonomy
    for b in taxonomy_buckets(tax, "region", p):
        out.append(
            (f"{b.label}: share of funds, {when}", "RM_SHARE", ["region", b.label, arg], "percent")
        )
    for b in taxonomy_buckets(tax, "partner_type", p):
        out.append(
            (
                f"{b.label}: share of partners, {when}",
                "RM_SHARE",
                ["partner_type", b.label, arg, "partners"],
                "percent",
            )
        )
    return out


def _fmt(st: Styles, key: str, value: Any) -> Any:
    if isinstance(value, str):
        return None
    return {"money": st.money, "count": st.count, "percent": st.percent}[key]


def write_analysis(wb: Workbook, fig: Figures, periods: Sequence[Period], st: Styles) -> None:
    """Add the Analysis sheet: per period, RM_TOTAL of every headline measure and RM_SHARE
    of each region and partner type; then RM_BREAKDOWN and RM_TOP tables that spill."""
    ws = wb.add_worksheet("Analysis")
    page_setup(ws)
    ws.write_string(0, 0, "Analysis: rmxl's Excel functions in cells", st.title)
    ws.write_string(
        1,
        0,
        "The values shown were computed by rmxl when the workbook was built. With the "
        "xlwings add-in and Import Functions (docs/excel.md), Excel recomputes them from "
        "the ledger.",
        st.note,
    )
    ws.write_string(2, 0, "Column B shows each formula as text; column C holds it live.", st.note)
    for c, h in enumerate(("question", "formula", "value")):
        ws.write_string(HEADER_ROW, c, h, st.header)
    row = HEADER_ROW + 1
    for p in periods:
        for question, name, args, key in _questions(fig, p):
            value = _answer(fig, name, args)
            formula = formula_text(name, args)
            text(ws, row, 0, question)
            ws.write_string(row, 1, formula)
            ws.write_formula(row, 2, formula, _fmt(st, key, value), value)
            row += 1
    ws.set_column(0, 0, 50)
    ws.set_column(1, 1, 58)
    ws.set_column(2, 2, 14)
    col = 4
    for i, p in enumerate(periods):
        r = HEADER_ROW
        for name, args in (
            ("RM_BREAKDOWN", ["region", period_arg(p)]),
            ("RM_TOP", [3, period_arg(p)]),
        ):
            r += _spill(ws, fig, name, args, (r, col + 4 * i), st) + 2
    ws.set_column(col, col + 4 * len(periods), 16)


def _spill(
    ws: Worksheet, fig: Figures, name: str, args: list[Any], at: tuple[int, int], st: Styles
) -> int:
    """A dynamic-array formula at ``at`` with its table's values in the spill range (or
    the error message in the anchor cell); returns the number of rows used."""
    r, c = at
    formula = formula_text(name, args)
    ws.write_string(r - 1, c, formula, st.note)
    table = _answer(fig, name, args)
    if isinstance(table, str):
        ws.write_formula(r, c, formula, None, table)
        return 1
    last_row, last_col = r + len(table) - 1, c + len(table[0]) - 1
    ws.write_dynamic_array_formula(r, c, last_row, last_col, formula, st.header, table[0][0])
    for i, row in enumerate(table):
        for j, v in enumerate(row):
            if i == 0 and j == 0:
                continue
            fmt = (
                st.header
                if i == 0
                else (st.percent if j == 2 and name == "RM_BREAKDOWN" else st.money)
            )
            if isinstance(v, str):
                ws.write_string(r + i, c + j, v, fmt if i == 0 else None)
            else:
                ws.write_number(r + i, c + j, v, fmt)
    return len(table)
