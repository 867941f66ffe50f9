"""Which rates of exchange a period's figures used: the sentence for a report's source
line or a workbook note (docs/records.md, "Rates").

UN operational rates of exchange are the ledger's default; entries filled from the ECB
reference rates (``source: ecb``, ``rmxl rates fill``) are named with their currency and
month, so that they are never taken for UN operational rates.
"""

from __future__ import annotations

import pandas as pd

from rmxl.compile import Compiled

UN = "UN operational rates of exchange"


def ecb_used(compiled: Compiled, signed: pd.Series | None = None) -> list[tuple[str, str]]:
    """``[(currency, "YYYY-MM")]`` of the ECB-sourced entries the contributions used (all
    of them, or those whose ``signed`` date is in the boolean mask ``signed``)."""
    con = compiled.contributions if signed is None else compiled.contributions[signed]
    r = compiled.rates[compiled.rates["source"] == "ecb"]
    ecb = {(c, pd.Timestamp(d)) for c, d in zip(r["currency"], r["effective"], strict=True)}
    pairs = {
        (c, pd.Timestamp(d).strftime("%Y-%m"))
        for c, d in zip(con["currency"], con["rate_date"], strict=True)
        if (c, pd.Timestamp(d)) in ecb
    }
    return sorted(pairs)


def rates_line(compiled: Compiled, signed: pd.Series | None = None) -> str:
    """``"Amounts converted to USD at the UN operational rates of exchange."`` — with
    ``"; ECB reference rates for CHF 2022-03, 2022-04"`` when ECB-filled entries were used."""
    ecb = ecb_used(compiled, signed)
    if not ecb:
        return f"Amounts converted to USD at the {UN}."
    by_cur: dict[str, list[str]] = {}
    for cur, month in ecb:
        by_cur.setdefault(cur, []).append(month)
    parts = ", ".join(f"{c} {', '.join(ms)}" for c, ms in by_cur.items())
    return f"Amounts converted to USD at the {UN}; ECB reference rates for {parts}."
