"""Breakdown sheets: one per dimension and period (spec §3), bucket rows in taxonomy order
(or by descending funds for partner, country and currency), a value and a share column per
measure, and a Total row.

Every value, total and share is an Excel formula over the data tables
(:mod:`rmxl.render.workbook.tables`) — SUMIFS/COUNTIFS selecting the period's signed dates and
the bucket's code — written together with the value rmxl computed
(``Figures.breakdown``/``Figures.total``), so the numbers show at once and a second engine
(LibreOffice, Excel) recomputes the same ones. Distinct partners are counted over the
Partners table's per-period helper column (``COUNTIFS(Partners[partner_type], code,
Partners[agreements P], ">0")``). Shares are ``value / total``, blank when the total is 0.

Criteria are written as ``"="&code`` so that a code is matched as a whole value; a code
holding ``*``, ``?`` or ``~`` would be read as a wildcard by SUMIFS (no code of the spec's
taxonomy does; docs/workbook.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from rmxl.query.figures import Breakdown, Figures
from rmxl.query.names import DIMENSIONS, MONEY
from rmxl.query.periods import Period
from rmxl.render.labels import (
    day_label,
    dimension_label,
    measure_label,
    period_label,
    share_label,
)
from rmxl.render.workbook.style import (
    Sheet,
    Styles,
    add_sheet,
    excel_date,
    in_period,
    page_setup,
    sheet_name,
    text,
)
from rmxl.render.workbook.tables import escape, helper_header, ref

DIM_MEASURES: dict[str, tuple[str, ...]] = {
    "region": ("agreements", "funded_agreements", "funds", "partner_funds", "itu_funds"),
    "priority": ("agreements", "funded_agreements", "funds", "partner_funds", "itu_funds"),
    "partner_type": ("partners", "funds"),
    "membership": ("partners", "funds"),
    "partner": ("funds", "agreements"),
    "country": ("funds", "partners"),
    "currency": ("funds", "partner_funds", "itu_funds"),
}
"""The measures each breakdown sheet shows, in column order; the first sets the row order
of the dimensions without a vocabulary (partner, country, currency)."""

NOTES = {
    "agreement": "Each agreement counts once: in its {what}, or in the last row when it "
    "has two or more. Funds include ITU's co-financing component.",
    "partner": "Partners' own contributions: ITU's co-financing component belongs to no "
    "partner. Each partner counts once, however many agreements it is in.",
    "contribution": "Contributions by the currency they were signed in, valued in USD at "
    "the operational rate of exchange of their signing date.",
}
TWICE_NOTE = (
    "An agreement with two or more partners counts once for each of them, so the rows "
    "add up to more agreements than the Total, which counts each agreement once; shares "
    "are of that Total."
)
"""The note under a partner sheet: why its agreements column sums to more than its
Total (spec §3: an agreement has one or more partners)."""

_PARTY_COL = {"partner_type": "partner_type", "membership": "membership", "country": "country"}
HEADER_ROW = 5
LABEL_WIDTH = 60
"""Widest bucket-label column (characters); longer names wrap."""


@dataclass
class Placed:
    """Where a breakdown landed: rows (0-based, inclusive) of its buckets, the value column
    of each measure (its share is the next column), the Total row, the first free column,
    and the values rmxl computed (for chart choices such as how many partners to show)."""

    sheet: str
    dimension: str
    period: Period
    first_row: int
    last_row: int
    value_col: dict[str, int]
    total_row: int
    free_col: int
    breakdowns: dict[str, Breakdown] = field(default_factory=dict)
    buckets: tuple[Any, ...] = ()
    end_row: int = 0
    """The buckets of the rows, in order; the last row the table uses (notes included)."""


def _code(key: Any) -> str:
    return str(key[1] if isinstance(key, tuple) else key)


def bucket_criteria(dim: str, measure: str, row: int) -> str:
    """The criteria pairs that select one bucket (row ``row``: code in column B, plan in
    column C for priorities)."""
    code = f'"="&$B{row + 1}'
    if dim == "region":
        return f"{ref('Agreements', 'region')},{code}"
    if dim == "priority":
        plan = ref("Agreements", "plan_code")
        return f'{plan},"="&$C{row + 1},{ref("Agreements", "priority")},{code}'
    if dim == "currency":
        return f"{ref('Contributions', 'currency')},{code}"
    table = "Partners" if measure == "partners" else "Parties"
    column = "partner" if dim == "partner" else _PARTY_COL[dim]
    return f"{ref(table, column)},{code}"


def measure_formula(
    dim: str | None,
    measure: str,
    p: Period,
    criteria: str,
    bounds: tuple[str, str] = ("$B$2", "$B$3"),
) -> str:
    """A COUNTIFS/SUMIFS formula for one measure over the period whose first and last
    days are in the cells ``bounds`` (default $B$2 and $B$3), restricted by ``criteria``
    (empty: the period's total at the dimension's level, as ``Figures.total`` and spec §3
    Shares define it)."""
    level = DIMENSIONS[dim] if dim else "agreement"
    crit = f"{criteria}," if criteria else ""
    if measure == "partners":
        helper = f'Partners[{escape(helper_header(p))}],">0"'
        return f"=COUNTIFS({crit}{helper})" if criteria else f"=COUNTIF({helper})"
    if level == "contribution":
        itu = ref("Contributions", "itu")
        flag = {"funds": "", "partner_funds": f'{itu},"No",'}.get(measure, f'{itu},"Yes",')
        dates = in_period(ref("Contributions", "signed"), *bounds)
        return f"=SUMIFS({ref('Contributions', 'usd')},{crit}{flag}{dates})"
    if level == "partner" and criteria:
        dates = in_period(ref("Parties", "signed"), *bounds)
        if measure == "funds":
            return f"=SUMIFS({ref('Parties', 'funds')},{crit}{dates})"
        if measure == "agreements":
            return f"=COUNTIFS({crit}{dates})"
        raise ValueError(f"no formula for {measure} by {dim}")
    if level == "partner" and measure == "funds":
        measure = "partner_funds"
    dates = in_period(ref("Agreements", "signed"), *bounds)
    if measure in MONEY:
        return f"=SUMIFS({ref('Agreements', measure)},{crit}{dates})"
    funded = f'{ref("Agreements", "funded")},"Yes",' if measure == "funded_agreements" else ""
    return f"=COUNTIFS({crit}{funded}{dates})"


def _head(ws: Worksheet, dim: str, p: Period, st: Styles) -> None:
    """Title; the period's first and last day in B2 and B3 (the formulas read them; rows
    and column hidden); the period in words (A4) and what a row counts (A5)."""
    what = dimension_label(dim).lower()
    ws.write_string(0, 0, f"By {what}, {period_label(p)}", st.title)
    ws.write_number(1, 1, excel_date(p.start), st.date)
    ws.write_number(2, 1, excel_date(p.end), st.date)
    ws.set_row(1, None, None, {"hidden": True})
    ws.set_row(2, None, None, {"hidden": True})
    ws.write_string(3, 0, f"Agreements signed from {day_label(p.start)} to {day_label(p.end)}.")
    ws.write_string(4, 0, NOTES[DIMENSIONS[dim]].format(what=what), st.note)


def _columns(dim: str) -> tuple[list[str], int]:
    """The bucket label, then the hidden helper columns the formulas read: the bucket's
    code (and, for priorities, its action plan's code)."""
    heads = [dimension_label(dim), "Code", *(["Plan code"] if dim == "priority" else [])]
    return heads, len(heads)


def write_breakdown(
    wb: Workbook, fig: Figures, dim: str, p: Period, st: Styles, taken: set[str]
) -> Placed:
    """Add the breakdown sheet of ``dim`` over ``p``; raises QueryError for an empty
    period (from ``Figures.breakdown``)."""
    measures = DIM_MEASURES[dim]
    bds = {m: fig.breakdown(dim, p, m) for m in measures}
    rows = bds[measures[0]].buckets
    ws = add_sheet(wb, sheet_name(dim, p, taken))
    page_setup(ws, one_page=dim not in ("partner", "country"), titles=(HEADER_ROW, HEADER_ROW))
    _head(ws, dim, p, st)
    heads, first_value = _columns(dim)
    for m in measures:
        heads += [measure_label(m), share_label(m)]
    for c, h in enumerate(heads):
        ws.write_string(HEADER_ROW, c, h, st.header_right if c >= first_value else st.header)
    r0 = HEADER_ROW + 1
    total_row = r0 + len(rows)
    for i, b in enumerate(rows):
        _label(ws, r0 + i, b.label, st)
        text(ws, r0 + i, 1, _code(b.key))
        if dim == "priority":
            text(ws, r0 + i, 2, b.key[0])
    value_col = {}
    for j, m in enumerate(measures):
        c = first_value + 2 * j
        value_col[m] = c
        _measure_cells(ws, dim, p, m, bds[m], rows, (r0, c, total_row), st)
    ws.write_string(total_row, 0, "Total", st.total_text)
    for c in range(1, len(heads)):
        if c not in value_col.values():
            ws.write_blank(total_row, c, None, st.total_text)
    end_row = total_row
    if dim == "partner":
        _sum_of_rows(ws, bds["agreements"], (r0, value_col["agreements"], total_row), st)
        end_row += 2
    _widths(ws, heads, rows, first_value)
    ws.set_row(HEADER_ROW, 45)
    ws.freeze_panes(r0, 1)
    ws.pack()  # a partner sheet has thousands of rows: its labels and codes as arrays
    return Placed(
        ws.name, dim, p, r0, total_row - 1, value_col, total_row, len(heads) + 1, bds, rows, end_row
    )


def _label(ws: Worksheet, row: int, label: str, st: Styles) -> None:
    """A bucket label; one longer than the column wraps, its row made tall enough."""
    per_line = int(LABEL_WIDTH * 1.15)  # proportional text: more letters than widths
    if len(label) <= per_line:
        text(ws, row, 0, label)
        return
    text(ws, row, 0, label, st.wrap)
    ws.set_row(row, 15 * -(-len(label) // per_line))


def _sum_of_rows(ws: Worksheet, bd: Breakdown, at: tuple[int, int, int], st: Styles) -> None:
    """Under a partner sheet's Total: the agreements column's plain sum (and the sum of
    its shares), and the note saying why it exceeds the Total (:data:`TWICE_NOTE`)."""
    r0, c, total_row = at
    row = total_row + 1
    ws.write_string(row, 0, "Sum of the rows", st.text)
    column = f"{xl_rowcol_to_cell(r0, c)}:{xl_rowcol_to_cell(total_row - 1, c)}"
    shares = f"{xl_rowcol_to_cell(r0, c + 1)}:{xl_rowcol_to_cell(total_row - 1, c + 1)}"
    ws.write_formula(row, c, f"=SUM({column})", st.count, float(sum(bd.values)))
    ws.write_formula(
        row, c + 1, f"=SUM({shares})", st.percent, float(sum(s or 0 for s in bd.shares))
    )
    ws.write_string(row + 1, 0, TWICE_NOTE, st.note)


def _widths(ws: Worksheet, heads: list[str], rows: tuple[Any, ...], first_value: int) -> None:
    """Column widths in characters: labels up to :data:`LABEL_WIDTH` (longer ones wrap);
    the code columns hidden (only formulas read them); value columns as wide as the
    longest word of their header (headers wrap at spaces)."""
    ws.set_column(0, 0, min(LABEL_WIDTH, max([14, *(len(b.label) + 2 for b in rows)])))
    ws.set_column(1, first_value - 1, 12, None, {"hidden": True})
    for c in range(first_value, len(heads)):
        words = heads[c].split()
        ws.set_column(c, c, max([12, len(heads[c]) / 3 + 5, *(len(w) + 4 for w in words)]))


def _measure_cells(
    ws: Sheet,
    dim: str,
    p: Period,
    m: str,
    bd: Breakdown,
    rows: tuple[Any, ...],
    where: tuple[int, int, int],
    st: Styles,
) -> None:
    r0, c, total_row = where
    money = m in MONEY
    values = {b.key: v for b, v in zip(bd.buckets, bd.values, strict=True)}
    shares = {b.key: s for b, s in zip(bd.buckets, bd.shares, strict=True)}
    total = xl_rowcol_to_cell(total_row, c, row_abs=True, col_abs=True)
    zero_share: float | None = 0.0 if bd.total else None
    cells: tuple[list[Any], list[Any], list[Any], list[Any]] = ([], [], [], [])
    for i, b in enumerate(rows):
        r = r0 + i
        cells[0].append(measure_formula(dim, m, p, bucket_criteria(dim, m, r)))
        cells[1].append(values.get(b.key, 0))
        cells[2].append(f'=IF({total}=0,"",{xl_rowcol_to_cell(r, c)}/{total})')
        share = shares.get(b.key, zero_share)
        cells[3].append("" if share is None else share)
    ws.formula_column(c, cells[0], cells[1], st.number(money), first=r0)  # as arrays
    ws.formula_column(c + 1, cells[2], cells[3], st.percent, first=r0)
    ws.write_formula(total_row, c, measure_formula(dim, m, p, ""), st.total(money), bd.total)
    ws.write_blank(total_row, c + 1, None, st.total_text)
