"""The breakdown path's grouping: a period's rows → raw values per bucket (spec §3).

:meth:`rmxl.query.figures.Figures.breakdown` groups the rows of a period's
:class:`~rmxl.query.figures.Selection` with pandas, one value per bucket present; the
levels and measures are those of spec §3 (the module doc of :mod:`rmxl.query.figures`).
:mod:`rmxl.query.points` answers one bucket at a time from the same tables, with the same
numbers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from rmxl.query.names import DIMENSIONS, MONEY

if TYPE_CHECKING:
    from rmxl.query.figures import Selection


def grouped(sel: Selection, d: str, m: str) -> pd.Series:
    """Raw values (cents or counts, ``int``) per bucket key, for the buckets present:
    ``Series[key → value]``; a priority's key is ``(plan, code)``."""
    level = DIMENSIONS[d]
    if level == "agreement":
        a = sel.agreements
        keys = ["plan", "priority"] if d == "priority" else ["region"]
        if m == "partners":
            joined = sel.parties.merge(a[["agreement_id", *keys]], on="agreement_id")
            s = joined.groupby(keys)["partner_id"].nunique()
        elif m in MONEY:
            col = {
                "funds": "funds_cents",
                "partner_funds": "partner_cents",
                "itu_funds": "itu_cents",
            }[m]
            s = a.groupby(keys)[col].sum()
        else:
            s = (a[a["funded"]] if m == "funded_agreements" else a).groupby(keys).size()
        if d == "priority":
            s.index = s.index.to_flat_index()
        return s
    if level == "partner":
        col = "partner_id" if d == "partner" else d
        par = sel.parties
        if m in ("funds", "partner_funds"):
            return par.groupby(col)["own_cents"].sum()
        if m == "partners":
            return par.groupby(col)["partner_id"].nunique()
        par = par[par["funded"]] if m == "funded_agreements" else par
        return par.groupby(col)["agreement_id"].nunique()
    con = sel.contributions
    if m == "partner_funds":
        con = con[~con["is_itu"]]
    elif m == "itu_funds":
        con = con[con["is_itu"]]
    if m in MONEY:
        return con.groupby("currency")["usd_cents"].sum()
    if m == "partners":
        return con[~con["is_itu"]].groupby("currency")["by"].nunique()
    return con.groupby("currency")["agreement_id"].nunique()
