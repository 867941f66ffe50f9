"""The data sheets of the workbook: Agreements, Contributions, Parties, Partners and Rates
as Excel tables with filters, written column by column from the compiled DataFrames
(:mod:`rmxl.compile`); no figure is computed here.

These tables are what the breakdown sheets' SUMIFS/COUNTIFS formulas read, so that a
second spreadsheet engine can recompute every figure (issue 5.3). Column names follow the
reader's words of :mod:`rmxl.render.labels` (``Partners' funds (USD)`` for the measure
``partner_funds``); formulas name them through :func:`ref`, which escapes them for a
structured reference. ``Funded`` and ``ITU`` are Yes/No flags. The Partners table carries
one helper column per period, ``Agreements P`` = the number of the period's agreements
the partner takes part in (a COUNTIFS over Parties, its value from
``Figures.breakdown("partner", P, "agreements")``), over which distinct partners are
counted with ``COUNTIFS(...,">0")``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from xlsxwriter.workbook import Workbook

from rmxl.diagnostics import QueryError
from rmxl.query.figures import Figures
from rmxl.query.periods import Period
from rmxl.render.labels import column_label, flag, typed_period_label
from rmxl.render.workbook.style import (
    EXCEL_EPOCH,
    Sheet,
    Styles,
    add_sheet,
    date_expr,
    in_period,
    page_setup,
)

TABLE_STYLE = "Table Style Light 9"
MAX_WIDTH = 50
PAGE_WIDTH = 170
"""Characters of column width that still print legibly on one A4 landscape page; a
wider table prints at full size over several pages across."""
"""Widest data column (characters); longer text is cut at the column's edge on screen."""


@dataclass(frozen=True)
class Col:
    """One table column: field (its header is :func:`~rmxl.render.labels.column_label`),
    values (one per row), kind (``text``, ``flag`` (Yes/No), ``money``, ``count``,
    ``date`` (Excel serial days), ``rate``, ``amount``), and ``hidden`` for a helper
    column that only formulas read; ``formula``, when given, is every row's formula
    (``values`` are then its cached values)."""

    field: str
    values: Sequence[Any]
    kind: str = "text"
    hidden: bool = False
    formula: str = ""

    @property
    def header(self) -> str:
        return column_label(self.field)


def ref(table: str, field: str) -> str:
    """A structured reference to a table column by its field: ``ref("Agreements",
    "partner_funds")`` → ``Agreements[Partners'' funds (USD)]`` (``'``, ``[``, ``]``
    and ``#`` escaped with ``'``, as Excel requires)."""
    return f"{table}[{escape(column_label(field))}]"


def escape(header: str) -> str:
    """A column header as written inside a structured reference's brackets."""
    return "".join("'" + ch if ch in "'[]#" else ch for ch in header)


def serial_days(series: pd.Series) -> list[int]:
    """datetime64 or date values → Excel serial day numbers (1900 system)."""
    days = (pd.to_datetime(series) - pd.Timestamp(EXCEL_EPOCH)) / np.timedelta64(1, "D")
    return [int(d) for d in days]


def usd(cents: pd.Series) -> list[float]:
    """Integer cents → USD floats (the compiled tables keep money as cents)."""
    return (cents.astype("int64") / 100).tolist()


def flags(series: pd.Series) -> list[str]:
    """A boolean column → ``Yes``/``No`` (labels.flag), as the tables show flags."""
    return [flag(v) for v in series.tolist()]


_NUMBER_WIDTH = {"money": 13, "amount": 13, "count": 8, "date": 11, "rate": 10}


def width(col: Col) -> float:
    """Characters: the header's longest word or the widest value, whichever is wider,
    plus a margin (headers wrap at spaces); text capped at :data:`MAX_WIDTH`."""
    head = max(len(w) for w in col.header.split()) + 3
    if col.kind in _NUMBER_WIDTH:
        return max(head, _NUMBER_WIDTH[col.kind])
    longest = max(map(len, map(str, [v for v in col.values if v is not None])), default=0)
    return min(MAX_WIDTH, max(head, longest + 2))


def _write_column(ws: Sheet, c: int, col: Col, st: Styles) -> None:
    if col.kind in ("text", "flag"):
        ws.text_column(c, col.values, st.text)
        return
    fmt = {
        "money": st.money,
        "count": st.count,
        "date": st.date,
        "rate": st.rate,
        "amount": st.money,
    }[col.kind]
    if col.formula:
        ws.formula_column(c, col.formula, col.values, fmt)
    else:
        ws.number_column(c, col.values, fmt)


def write_table(ws: Sheet, name: str, cols: list[Col], st: Styles) -> None:
    """Write ``cols`` from A2 down and declare them an Excel table (header row, filters,
    banded rows) called ``name``; hidden helper columns are hidden; the header row is
    repeated on every printed page."""
    n = len(cols[0].values)
    for c, col in enumerate(cols):
        _write_column(ws, c, col, st)
        ws.set_column(c, c, width(col), None, {"hidden": col.hidden})
    ws.add_table(
        0,
        0,
        max(n, 1),
        len(cols) - 1,
        {"name": name, "style": TABLE_STYLE, "columns": [{"header": c.header} for c in cols]},
    )
    ws.set_row(0, 30, st.header)
    ws.freeze_panes(1, 0)
    wide = sum(width(c) for c in cols if not c.hidden) > PAGE_WIDTH
    page_setup(ws, one_page=False, titles=(0, 0), fit=not wide)
    if wide:  # printed at full size over several pages across, each led by column A
        ws.repeat_columns(0)


def _joined(items: Sequence[tuple[str, ...]]) -> list[str]:
    return ["; ".join(x) for x in items]


def agreements_table(wb: Workbook, fig: Figures, st: Styles) -> None:
    """Sheet and table ``Agreements``: one row per agreement, in ledger order; the action
    plan by its label, its code in a hidden helper column (the priority sheets' formulas
    match it)."""
    a = fig.compiled.agreements
    recs = fig.compiled.ledger.agreements
    plans = {p.code: p.label for p in fig.taxonomy.action_plans}
    cols = [
        Col("agreement", a["agreement_id"].tolist()),
        Col("title", a["title"].tolist()),
        Col("signed", serial_days(a["signed"]), "date"),
        Col("plan", [plans.get(c, c) for c in a["plan"].tolist()]),
        Col("region", a["region"].tolist()),
        Col("priority", a["priority"].tolist()),
        Col("regions", _joined([r.regions for r in recs])),
        Col("priorities", _joined([r.priorities for r in recs])),
        Col("partners", _joined([r.partners for r in recs])),
        Col("funds", usd(a["funds_cents"]), "money"),
        Col("partner_funds", usd(a["partner_cents"]), "money"),
        Col("itu_funds", usd(a["itu_cents"]), "money"),
        Col("funded", flags(a["funded"]), "flag"),
        Col("reference", [r.reference for r in recs]),
        Col("source", a["source"].tolist()),
        Col("plan_code", a["plan"].tolist(), hidden=True),
    ]
    write_table(add_sheet(wb, "Agreements"), "Agreements", cols, st)


def contributions_table(wb: Workbook, fig: Figures, st: Styles) -> None:
    """Sheet and table ``Contributions``: one row per contribution, with the operational
    rate of exchange used and its USD value."""
    c = fig.compiled.contributions
    cols = [
        Col("agreement", c["agreement_id"].tolist()),
        Col("signed", serial_days(c["signed"]), "date"),
        Col("by", c["by"].tolist()),
        Col("itu", flags(c["is_itu"]), "flag"),
        Col("amount", c["amount"].tolist(), "amount"),
        Col("currency", c["currency"].tolist()),
        Col("rate", c["rate"].tolist(), "rate"),
        Col("rate_date", serial_days(c["rate_date"]), "date"),
        Col("usd", usd(c["usd_cents"]), "money"),
    ]
    write_table(add_sheet(wb, "Contributions"), "Contributions", cols, st)


def parties_table(wb: Workbook, fig: Figures, st: Styles) -> None:
    """Sheet and table ``Parties``: one row per agreement × partner, with the partner's
    type, membership, country and own contributions (``Funds (USD)``)."""
    p = fig.compiled.parties
    cols = [
        Col("agreement", p["agreement_id"].tolist()),
        Col("signed", serial_days(p["signed"]), "date"),
        Col("partner", p["partner_id"].tolist()),
        Col("partner_type", p["partner_type"].tolist()),
        Col("membership", p["membership"].tolist()),
        Col("country", p["country"].tolist()),
        Col("funded", flags(p["funded"]), "flag"),
        Col("funds", usd(p["own_cents"]), "money"),
    ]
    write_table(add_sheet(wb, "Parties"), "Parties", cols, st)


def helper_header(p: Period) -> str:
    """Header of the Partners helper column of a period: ``Agreements 2023 to 30 Apr``."""
    return f"Agreements {typed_period_label(p)}"


def _agreements_per_partner(fig: Figures, p: Period) -> dict[str, int]:
    try:
        bd = fig.breakdown("partner", p, "agreements")
    except QueryError as e:
        if e.code == "empty-period":
            return {}
        raise
    return {b.key: int(v) for b, v in zip(bd.buckets, bd.values, strict=True)}


def partners_table(wb: Workbook, fig: Figures, periods: Sequence[Period], st: Styles) -> None:
    """Sheet and table ``Partners``: one row per partner, and per period a formula column
    counting the period's agreements the partner takes part in (module doc)."""
    t = fig.compiled.partners
    cols = [
        Col("partner", t["partner_id"].tolist()),
        Col("name", t["name"].tolist()),
        Col("partner_type", t["partner_type"].tolist()),
        Col("membership", t["membership"].tolist()),
        Col("country", t["country"].tolist()),
    ]
    ids = t["partner_id"].tolist()
    this = f"Partners[[#This Row],[{escape(column_label('partner'))}]]"
    signed = ref("Parties", "signed")
    helpers = []
    for p in periods:
        counts = _agreements_per_partner(fig, p)
        crit = in_period(signed, date_expr(p.start), date_expr(p.end))
        formula = f"=COUNTIFS({ref('Parties', 'partner')},{this},{crit})"
        values = [counts.get(pid, 0) for pid in ids]
        helpers.append(Col(helper_header(p), values, "count", formula=formula))
    write_table(add_sheet(wb, "Partners"), "Partners", [*cols, *helpers], st)


def rates_table(wb: Workbook, fig: Figures, st: Styles) -> None:
    """Sheet and table ``Rates``: the operational rates of exchange (currency units per
    USD, effective from a date; spec §2)."""
    r = fig.compiled.rates
    cols = [
        Col("currency", r["currency"].tolist()),
        Col("effective", serial_days(r["effective"]), "date"),
        Col("rate", r["rate"].tolist(), "rate"),
        Col("source", r["source"].tolist()),  # un | ecb (docs/records.md)
    ]
    write_table(add_sheet(wb, "Rates"), "Rates", cols, st)
