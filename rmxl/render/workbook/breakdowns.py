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
from rmxl.render.workbook.style import (
    Styles,
    excel_date,
    in_period,
    page_setup,
    period_label,
    sheet_name,
    text,
)
from rmxl.render.workbook.tables import helper_header

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

DIM_TITLES = {
    "region": "region",
    "priority": "thematic priority",
    "partner_type": "partner type",
    "membership": "membership category",
    "partner": "partner",
    "country": "partner's country",
    "currency": "currency",
}

NOTES = {
    "agreement": "Each agreement counts once, in its region or priority, or in the multi "
    "bucket when it has two or more (spec §3); funds include ITU's co-financing component.",
    "partner": "Partners' own contributions: ITU's co-financing component belongs to no "
    "partner. partners = distinct partners; agreements = agreements the partner is in.",
    "contribution": "Contributions by the currency they were signed in, valued in USD at "
    "the operational rate of exchange of their signing date.",
}

_PARTY_COL = {"partner_type": "partner_type", "membership": "membership", "country": "country"}
HEADER_ROW = 5


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


def _code(key: Any) -> str:
    return str(key[1] if isinstance(key, tuple) else key)


def bucket_criteria(dim: str, measure: str, row: int) -> str:
    """The criteria pairs that select one bucket (row ``row``: code in column B, plan in
    column C for priorities)."""
    code = f'"="&$B{row + 1}'
    if dim == "region":
        return f"Agreements[region],{code}"
    if dim == "priority":
        return f'Agreements[action plan],"="&$C{row + 1},Agreements[priority],{code}'
    if dim == "currency":
        return f"Contributions[currency],{code}"
    table = "Partners" if measure == "partners" else "Parties"
    column = "partner" if dim == "partner" else _PARTY_COL[dim]
    return f"{table}[{column}],{code}"


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
        helper = f'Partners[{helper_header(p)}],">0"'
        return f"=COUNTIFS({crit}{helper})" if criteria else f"=COUNTIF({helper})"
    if level == "contribution":
        flag = {"funds": "", "partner_funds": "Contributions[itu],0,"}.get(
            measure, "Contributions[itu],1,"
        )
        dates = in_period("Contributions[signed]", *bounds)
        return f"=SUMIFS(Contributions[usd],{crit}{flag}{dates})"
    if level == "partner" and criteria:
        dates = in_period("Parties[signed]", *bounds)
        if measure == "funds":
            return f"=SUMIFS(Parties[funds],{crit}{dates})"
        if measure == "agreements":
            return f"=COUNTIFS({crit}{dates})"
        raise ValueError(f"no formula for {measure} by {dim}")
    if level == "partner" and measure == "funds":
        measure = "partner_funds"
    dates = in_period("Agreements[signed]", *bounds)
    if measure in MONEY:
        return f"=SUMIFS(Agreements[{measure}],{crit}{dates})"
    funded = "Agreements[funded],1," if measure == "funded_agreements" else ""
    return f"=COUNTIFS({crit}{funded}{dates})"


def _head(ws: Worksheet, dim: str, p: Period, st: Styles) -> None:
    ws.write_string(0, 0, f"By {DIM_TITLES[dim]}, {period_label(p)}", st.title)
    ws.write_string(1, 0, "from", st.bold)
    ws.write_number(1, 1, excel_date(p.start), st.date)
    ws.write_string(2, 0, "to", st.bold)
    ws.write_number(2, 1, excel_date(p.end), st.date)
    ws.write_string(3, 0, NOTES[DIMENSIONS[dim]], st.note)


def _columns(dim: str) -> tuple[list[str], int]:
    heads = ["bucket", "code", *(["action plan"] if dim == "priority" else [])]
    return heads, len(heads)


def write_breakdown(
    wb: Workbook, fig: Figures, dim: str, p: Period, st: Styles, taken: set[str]
) -> Placed:
    """Add the breakdown sheet of ``dim`` over ``p``; raises QueryError for an empty
    period (from ``Figures.breakdown``)."""
    measures = DIM_MEASURES[dim]
    bds = {m: fig.breakdown(dim, p, m) for m in measures}
    rows = bds[measures[0]].buckets
    ws = wb.add_worksheet(sheet_name(dim, p, taken))
    page_setup(ws, one_page=dim not in ("partner", "country"))
    _head(ws, dim, p, st)
    heads, first_value = _columns(dim)
    for m in measures:
        heads += [m, f"{m} share"]
    for c, h in enumerate(heads):
        ws.write_string(HEADER_ROW, c, h, st.header_right if c >= first_value else st.header)
    r0 = HEADER_ROW + 1
    total_row = r0 + len(rows)
    for i, b in enumerate(rows):
        text(ws, r0 + i, 0, b.label)
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
    _widths(ws, heads, rows, first_value)
    ws.set_row(HEADER_ROW, 30)
    ws.freeze_panes(r0, 1)
    return Placed(ws.name, dim, p, r0, total_row - 1, value_col, total_row, len(heads) + 1, bds)


def _widths(ws: Worksheet, heads: list[str], rows: tuple[Any, ...], first_value: int) -> None:
    """Column widths in characters: labels up to 60, codes as long as the longest (and
    room for the period's dates above them), value columns as wide as the longest word of
    their header (headers wrap at spaces)."""
    ws.set_column(0, 0, min(60, max([12, *(len(b.label) + 1 for b in rows)])))
    ws.set_column(1, 1, min(24, max([11, *(len(_code(b.key)) + 1 for b in rows)])))
    for c in range(2, len(heads)):
        ws.set_column(c, c, max([11, *(len(w) + 2 for w in heads[c].split())]))


def _measure_cells(
    ws: Worksheet,
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
    for i, b in enumerate(rows):
        r = r0 + i
        formula = measure_formula(dim, m, p, bucket_criteria(dim, m, r))
        ws.write_formula(r, c, formula, st.number(money), values.get(b.key, 0))
        cell = xl_rowcol_to_cell(r, c)
        share = shares.get(b.key, zero_share)
        ws.write_formula(
            r,
            c + 1,
            f'=IF({total}=0,"",{cell}/{total})',
            st.percent,
            "" if share is None else share,
        )
    ws.write_formula(total_row, c, measure_formula(dim, m, p, ""), st.total(money), bd.total)
    ws.write_blank(total_row, c + 1, None, st.total_text)
