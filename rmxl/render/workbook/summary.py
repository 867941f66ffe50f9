"""The Summary sheet (headline figures per period, co-financing, top partners) and the
Compare sheet (the same months of two years, seed report section 4).

Headline figures are COUNTIFS/SUMIFS formulas over the data tables, written with the
values of ``Figures.total``; co-financing comes from ``Figures.cofinancing``, the top
partners from ``Figures.top`` (values, with the amounts as signed, as RM_TOP gives them).
"""

from __future__ import annotations

from collections.abc import Sequence

from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from rmxl.diagnostics import QueryError
from rmxl.query.figures import Figures
from rmxl.query.names import MONEY
from rmxl.query.periods import Period
from rmxl.render.labels import measure_label, period_label
from rmxl.render.workbook.breakdowns import measure_formula
from rmxl.render.workbook.charts import comparison_charts, pie_chart
from rmxl.render.workbook.style import Styles, excel_date, page_setup, text

HEADLINE = (
    "agreements",
    "funded_agreements",
    "partners",
    "funds",
    "partner_funds",
    "itu_funds",
)
"""Headline measures (spec §3), one row each, in this order."""

TOP_N = 3
TOP_NAME_WIDTH = 48
"""Characters of column A: a longer top partner's name wraps onto more lines."""
FIRST = 7
"""Row of the first headline measure; rows 5 and 6 hold each period's first and last day."""


def _bounds(c: int) -> tuple[str, str]:
    return (
        xl_rowcol_to_cell(FIRST - 2, c, row_abs=True),
        xl_rowcol_to_cell(FIRST - 1, c, row_abs=True),
    )


def _period_head(ws: Worksheet, row: int, c: int, p: Period, st: Styles) -> None:
    """Label, then first and last day, in column ``c`` from ``row``."""
    ws.write_string(row, c, period_label(p), st.header)
    ws.write_string(row + 1, c, p.text)
    ws.write_number(row + 2, c, excel_date(p.start), st.date)
    ws.write_number(row + 3, c, excel_date(p.end), st.date)


def write_summary(wb: Workbook, fig: Figures, periods: Sequence[Period], st: Styles) -> None:
    """Add the Summary sheet: headline figures, co-financing and top partners per period,
    and a co-financing pie per period."""
    ws = wb.add_worksheet("Summary")
    page_setup(ws, titles=(FIRST - 4, FIRST - 4))
    ws.write_string(0, 0, "Partnerships and resource mobilization: headline figures", st.title)
    ws.write_string(
        1,
        0,
        "Each figure is a formula over the data tables, written with the value rmxl "
        "computed (see Provenance).",
        st.note,
    )
    heads = ("Period", "As written in RM_ formulas", "From", "To")
    for r, name in enumerate(heads, FIRST - 4):
        ws.write_string(r, 0, name, st.header if r == FIRST - 4 else st.bold)
    for i, m in enumerate(HEADLINE):
        ws.write_string(FIRST + i, 0, measure_label(m))
    co = FIRST + len(HEADLINE) + 1
    ws.write_string(co, 0, "Co-financing", st.bold)
    for j, p in enumerate(periods, 1):
        _period_head(ws, FIRST - 4, j, p, st)
        for i, m in enumerate(HEADLINE):
            formula = measure_formula(None, m, p, "", _bounds(j))
            ws.write_formula(FIRST + i, j, formula, st.number(m in MONEY), fig.total(p, m))
        _cofinancing(ws, fig, p, (co + 1, j), st)
    ws.set_column(0, 0, TOP_NAME_WIDTH)
    ws.set_column(1, len(periods), 16)
    ws.set_row(FIRST - 4, 30)
    row = co + 6
    for p in periods:
        row = _top_partners(ws, fig, p, row, st) + 1
    _cofinancing_pies(wb, ws, fig, periods, co + 1)


def _cofinancing(ws: Worksheet, fig: Figures, p: Period, at: tuple[int, int], st: Styles) -> None:
    """Partners' and ITU's components (references to the headline rows) and their shares
    of funds (spec §3 Measures: funds = partner_funds + itu_funds)."""
    r, c = at
    funds = xl_rowcol_to_cell(FIRST + HEADLINE.index("funds"), c)
    try:
        bd = fig.cofinancing(p)
        labels, shares = [b.label for b in bd.buckets], list(bd.shares)
    except QueryError:
        labels, shares = ["Partners' component", "ITU component"], [None, None]
    for i, m in enumerate(("partner_funds", "itu_funds")):
        ws.write_string(r + i, 0, labels[i])
        src = xl_rowcol_to_cell(FIRST + HEADLINE.index(m), c)
        ws.write_formula(r + i, c, f"={src}", st.money, fig.total(p, m))
        ws.write_string(r + 2 + i, 0, f"{labels[i]}, share of funds")
        share = shares[i]
        ws.write_formula(
            r + 2 + i,
            c,
            f'=IF({funds}=0,"",{src}/{funds})',
            st.percent,
            "" if share is None else share,
        )


def _top_partners(ws: Worksheet, fig: Figures, p: Period, row: int, st: Styles) -> int:
    """The top partners of a period (RM_TOP): name, USD, amount as signed. Returns the
    next free row."""
    ws.write_string(row, 0, f"Top partners, {period_label(p)}", st.bold)
    for c, h in enumerate(("Partner", "USD", "As signed")):
        ws.write_string(row + 1, c, h, (st.header, st.header_right, st.header_indent)[c])
    try:
        top = fig.top(TOP_N, p)
    except QueryError:
        top = []
    for i, t in enumerate(top, row + 2):
        text(ws, i, 0, t.partner, st.wrap)
        lines = -(-len(t.partner) // int(TOP_NAME_WIDTH * 1.15))
        if lines > 1:
            ws.set_row(i, 15 * lines)
        ws.write_number(i, 1, t.value, st.money)
        text(ws, i, 2, t.signed, st.text)
    return row + 2 + len(top)


def _cofinancing_pies(
    wb: Workbook, ws: Worksheet, fig: Figures, periods: Sequence[Period], r: int
) -> None:
    col = len(periods) + 2
    for j, p in enumerate(periods, 1):
        if not fig.total(p, "funds"):
            continue
        chart = pie_chart(
            wb,
            f"Co-financing arrangements, {period_label(p)}",
            [ws.name, r, 0, r + 1, 0],
            [ws.name, r, j, r + 1, j],
            list(fig.cofinancing(p).shares),
            min_labelled=0.0,  # two slices cannot crowd each other
        )
        chart.set_size({"width": 460, "height": 280})
        ws.insert_chart(1 + (j - 1) * 14, col, chart, {"x_offset": 10})


COMPARE_ROWS = (
    ("Agreements signed", "agreements"),
    ("Partners", "partner_funds"),
    ("ITU", "itu_funds"),
    ("Total", "funds"),
)
"""Rows of a comparison block: category label (as the seed report's chart) and measure."""


def write_compare(
    wb: Workbook, fig: Figures, pairs: Sequence[tuple[Period, Period]], st: Styles
) -> None:
    """Add the Compare sheet: per pair (earlier, later), the agreements and funds of both
    periods as formulas, and two clustered-column charts."""
    ws = wb.add_worksheet("Compare")
    page_setup(ws)
    ws.write_string(0, 0, "The same months of two years", st.title)
    ws.set_column(0, 0, 20)
    ws.set_column(1, 1, 15, None, {"hidden": True})  # the measure's code, for formulas
    ws.set_column(2, 3, 15)
    row = 2
    for pair in pairs:
        names = (period_label(pair[0]), period_label(pair[1]))
        ws.write_string(row, 0, f"{names[0]} and {names[1]}", st.bold)
        ws.write_string(row + 1, 0, "", st.header)
        ws.write_string(row + 1, 1, "Measure", st.header)
        ws.write_string(row + 2, 0, "From", st.bold)
        ws.write_string(row + 3, 0, "To", st.bold)
        rows = {}
        for c, p in enumerate(pair, 2):
            ws.write_string(row + 1, c, period_label(p), st.header)
            ws.write_number(row + 2, c, excel_date(p.start), st.date)
            ws.write_number(row + 3, c, excel_date(p.end), st.date)
            bounds = (
                xl_rowcol_to_cell(row + 2, c, row_abs=True),
                xl_rowcol_to_cell(row + 3, c, row_abs=True),
            )
            for i, (label, m) in enumerate(COMPARE_ROWS, row + 4):
                ws.write_string(i, 0, label)
                ws.write_string(i, 1, m)
                formula = measure_formula(None, m, p, "", bounds)
                ws.write_formula(i, c, formula, st.number(m in MONEY), fig.total(p, m))
                rows[m] = i
        for k, chart in enumerate(comparison_charts(wb, ws.name, rows, (2, 3), names)):
            ws.insert_chart(row, 5 + 8 * k, chart, {"x_offset": 10})
        row += 18
