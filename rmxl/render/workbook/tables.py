"""The data sheets of the workbook: Agreements, Contributions, Parties, Partners and Rates
as Excel tables with filters, written column by column from the compiled DataFrames
(:mod:`rmxl.compile`); no figure is computed here.

These tables are what the breakdown sheets' SUMIFS/COUNTIFS formulas read, so that a
second spreadsheet engine can recompute every figure (issue 5.3). Column names follow the
field terms: money columns are the measures ``funds``, ``partner_funds``, ``itu_funds``
(USD); ``funded`` and ``itu`` are 1/0 flags. The Partners table carries one helper column
per period, ``agreements P`` = the number of the period's agreements the partner takes
part in (a COUNTIFS over Parties, its value from
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


@dataclass(frozen=True)
class Col:
    """One table column: header, values (one per row), kind (``text``, ``money``,
    ``count``, ``date`` (Excel serial days), ``rate``, ``amount``), width in characters."""

    header: str
    values: Sequence[Any]
    kind: str = "text"
    width: float = 12


def serial_days(series: pd.Series) -> list[int]:
    """datetime64 or date values → Excel serial day numbers (1900 system)."""
    days = (pd.to_datetime(series) - pd.Timestamp(EXCEL_EPOCH)) / np.timedelta64(1, "D")
    return [int(d) for d in days]


def usd(cents: pd.Series) -> list[float]:
    """Integer cents → USD floats (the compiled tables keep money as cents)."""
    return (cents.astype("int64") / 100).tolist()


def _write_column(ws: Sheet, c: int, col: Col, st: Styles) -> None:
    if col.kind == "text":
        ws.text_column(c, col.values)
        return
    fmt = {
        "money": st.money,
        "count": st.count,
        "date": st.date,
        "rate": st.rate,
        "amount": st.money,
    }[col.kind]
    ws.number_column(c, col.values, fmt)


def write_table(ws: Sheet, name: str, cols: list[Col], st: Styles) -> None:
    """Write ``cols`` from A2 down and declare them an Excel table (header row, filters,
    banded rows) called ``name``."""
    n = len(cols[0].values)
    for c, col in enumerate(cols):
        _write_column(ws, c, col, st)
        ws.set_column(c, c, col.width)
    ws.add_table(
        0,
        0,
        max(n, 1),
        len(cols) - 1,
        {"name": name, "style": TABLE_STYLE, "columns": [{"header": c.header} for c in cols]},
    )
    ws.freeze_panes(1, 0)
    page_setup(ws, one_page=False)


def _joined(items: Sequence[tuple[str, ...]]) -> list[str]:
    return ["; ".join(x) for x in items]


def agreements_table(wb: Workbook, fig: Figures, st: Styles) -> None:
    """Sheet and table ``Agreements``: one row per agreement, in ledger order."""
    a = fig.compiled.agreements
    recs = fig.compiled.ledger.agreements
    cols = [
        Col("agreement", a["agreement_id"].tolist(), width=15),
        Col("title", a["title"].tolist(), width=40),
        Col("signed", serial_days(a["signed"]), "date", 11),
        Col("action plan", a["plan"].tolist(), width=8),
        Col("region", a["region"].tolist(), width=13),
        Col("priority", a["priority"].tolist(), width=22),
        Col("regions", _joined([r.regions for r in recs]), width=18),
        Col("priorities", _joined([r.priorities for r in recs]), width=24),
        Col("partners", _joined([r.partners for r in recs]), width=24),
        Col("funds", usd(a["funds_cents"]), "money", 12),
        Col("partner_funds", usd(a["partner_cents"]), "money", 12),
        Col("itu_funds", usd(a["itu_cents"]), "money", 11),
        Col("funded", a["funded"].astype(int).tolist(), "count", 8),
        Col("reference", [r.reference for r in recs], width=14),
        Col("source", a["source"].tolist(), width=30),
    ]
    write_table(add_sheet(wb, "Agreements"), "Agreements", cols, st)


def contributions_table(wb: Workbook, fig: Figures, st: Styles) -> None:
    """Sheet and table ``Contributions``: one row per contribution, with the operational
    rate of exchange used and its USD value."""
    c = fig.compiled.contributions
    cols = [
        Col("agreement", c["agreement_id"].tolist(), width=15),
        Col("signed", serial_days(c["signed"]), "date", 11),
        Col("by", c["by"].tolist(), width=22),
        Col("itu", c["is_itu"].astype(int).tolist(), "count", 6),
        Col("amount", c["amount"].tolist(), "amount", 13),
        Col("currency", c["currency"].tolist(), width=9),
        Col("rate", c["rate"].tolist(), "rate", 9),
        Col("rate date", serial_days(c["rate_date"]), "date", 11),
        Col("usd", usd(c["usd_cents"]), "money", 12),
    ]
    write_table(add_sheet(wb, "Contributions"), "Contributions", cols, st)


def parties_table(wb: Workbook, fig: Figures, st: Styles) -> None:
    """Sheet and table ``Parties``: one row per agreement × partner, with the partner's
    type, membership, country and own contributions (``funds``, USD)."""
    p = fig.compiled.parties
    cols = [
        Col("agreement", p["agreement_id"].tolist(), width=15),
        Col("signed", serial_days(p["signed"]), "date", 11),
        Col("partner", p["partner_id"].tolist(), width=22),
        Col("partner_type", p["partner_type"].tolist(), width=20),
        Col("membership", p["membership"].tolist(), width=15),
        Col("country", p["country"].tolist(), width=8),
        Col("funded", p["funded"].astype(int).tolist(), "count", 8),
        Col("funds", usd(p["own_cents"]), "money", 12),
    ]
    write_table(add_sheet(wb, "Parties"), "Parties", cols, st)


def helper_header(p: Period) -> str:
    """Header of the Partners helper column of a period: ``agreements 2022``."""
    return f"agreements {p.text}"


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
        Col("partner", t["partner_id"].tolist(), width=22),
        Col("name", t["name"].tolist(), width=45),
        Col("partner_type", t["partner_type"].tolist(), width=20),
        Col("membership", t["membership"].tolist(), width=15),
        Col("country", t["country"].tolist(), width=8),
    ]
    helpers = [helper_header(p) for p in periods]
    ws = add_sheet(wb, "Partners")
    write_table(ws, "Partners", [*cols, *(Col(h, [0] * len(t), "count", 14) for h in helpers)], st)
    ids = t["partner_id"].tolist()
    this = "Partners[[#This Row],[partner]]"
    for j, p in enumerate(periods):
        c = len(cols) + j
        counts = _agreements_per_partner(fig, p)
        crit = in_period("Parties[signed]", date_expr(p.start), date_expr(p.end))
        formula = f"=COUNTIFS(Parties[partner],{this},{crit})"
        for r, pid in enumerate(ids, 1):
            ws.write_formula(r, c, formula, st.count, counts.get(pid, 0))


def rates_table(wb: Workbook, fig: Figures, st: Styles) -> None:
    """Sheet and table ``Rates``: the operational rates of exchange (currency units per
    USD, effective from a date; spec §2)."""
    r = fig.compiled.rates
    cols = [
        Col("currency", r["currency"].tolist(), width=9),
        Col("effective", serial_days(r["effective"]), "date", 11),
        Col("rate", r["rate"].tolist(), "rate", 10),
        Col("source", r["source"].tolist(), width=8),  # un | ecb (docs/records.md)
    ]
    write_table(add_sheet(wb, "Rates"), "Rates", cols, st)
