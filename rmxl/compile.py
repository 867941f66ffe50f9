"""Compile: a validated :class:`~rmxl.model.Ledger` → pandas tables in USD.

Stage 3 of the pipeline. Each contribution is converted at the operational rate of
exchange of spec §2 (``amount / rate``, the currency's entry with the latest effective
date on or before the signed date) and **rounded to the cent, half to even**, as a finance
system records it (:func:`rmxl.money.usd_cents`, exact integer arithmetic). Money is kept as
integer cents (``int64``) so that every total is an exact sum: validation refuses a ledger
whose contributions total :data:`rmxl.money.MAX_FUNDS_CENTS` or more, so no sum of them can
wrap (spec §6). The query stage divides by 100 only when it returns USD.

Tables (all ``pandas.DataFrame``; one row per …):

- ``agreements`` (agreement): ``agreement_id, title, signed (datetime64), plan, region,
  priority`` (bucket codes: the single code, or ``multi``), ``n_partners, funds_cents,
  partner_cents, itu_cents, funded (bool), source``.
- ``contributions`` (contribution): ``agreement_id, signed, by, is_itu, amount (float, as
  signed), currency, rate, rate_date, usd_cents, usd``.
- ``parties`` (agreement × partner): ``agreement_id, signed, partner_id, partner_type,
  membership`` (code or ``none``), ``country`` (code or ``none``), ``funded, own_cents``
  (that partner's own contributions to that agreement).
- ``partners`` (partner): ``partner_id, name, partner_type, membership, country``.
- ``rates`` (rate entry): ``currency, effective, rate, source`` (``un``: a UN operational
  rate of exchange; ``ecb``: an ECB reference rate filled by ``rmxl rates fill``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pandas as pd

from rmxl.model import ITU, MULTI, NONE, Ledger
from rmxl.money import MAX_FUNDS_CENTS, usd_cents


@dataclass(frozen=True, eq=False)
class Compiled:
    """The compiled ledger: the validated :class:`Ledger` and its tables (module doc)."""

    ledger: Ledger
    agreements: pd.DataFrame
    contributions: pd.DataFrame
    parties: pd.DataFrame
    partners: pd.DataFrame
    rates: pd.DataFrame


def compile_ledger(ledger: Ledger) -> Compiled:
    """Build the tables of the module doc from a validated ledger (no errors in it).

    Raises ``ValueError`` if a contribution has no rate or the funds reach
    :data:`~rmxl.money.MAX_FUNDS_CENTS` (validation prevents both)."""
    agr_rows, con_rows, par_rows = [], [], []
    funds = 0
    for a in ledger.agreements:
        cents = {"total": 0, "partner": 0, "itu": 0}
        own: dict[str, int] = defaultdict(int)
        for c in a.contributions:
            entry = ledger.rates.lookup(c.currency, a.signed)
            if entry is None:
                raise ValueError(f"no {c.currency} rate on {a.signed} ({c.source})")
            rate_date, rate = entry
            value = usd_cents(c.amount, rate)
            cents["total"] += value
            if c.by == ITU:
                cents["itu"] += value
            else:
                cents["partner"] += value
                own[c.by] += value
            con_rows.append(
                (
                    a.id,
                    a.signed,
                    c.by,
                    c.by == ITU,
                    float(c.amount),
                    str(c.amount),
                    c.currency,
                    float(rate),
                    rate_date,
                    value,
                )
            )
        funded = bool(a.contributions)
        funds += cents["total"]
        agr_rows.append(
            (
                a.id,
                a.title,
                a.signed,
                a.plan,
                a.regions[0] if len(a.regions) == 1 else MULTI,
                a.priorities[0] if len(a.priorities) == 1 else MULTI,
                len(a.partners),
                cents["total"],
                cents["partner"],
                cents["itu"],
                funded,
                str(a.source),
            )
        )
        for pid in a.partners:
            p = ledger.partners[pid]
            par_rows.append(
                (
                    a.id,
                    a.signed,
                    pid,
                    p.type,
                    p.membership or NONE,
                    p.country or NONE,
                    funded,
                    own.get(pid, 0),
                )
            )
    if funds >= MAX_FUNDS_CENTS:
        raise ValueError("the ledger's funds exceed the limit of rmxl.money (validate it first)")
    agreements = pd.DataFrame(
        agr_rows,
        columns=[
            "agreement_id",
            "title",
            "signed",
            "plan",
            "region",
            "priority",
            "n_partners",
            "funds_cents",
            "partner_cents",
            "itu_cents",
            "funded",
            "source",
        ],
    )
    contributions = pd.DataFrame(
        con_rows,
        columns=[
            "agreement_id",
            "signed",
            "by",
            "is_itu",
            "amount",
            "amount_text",
            "currency",
            "rate",
            "rate_date",
            "usd_cents",
        ],
    )
    parties = pd.DataFrame(
        par_rows,
        columns=[
            "agreement_id",
            "signed",
            "partner_id",
            "partner_type",
            "membership",
            "country",
            "funded",
            "own_cents",
        ],
    )
    for df in (agreements, contributions, parties):
        df["signed"] = pd.to_datetime(df["signed"])
    # explicit dtypes, so that empty tables (no contributions yet) still select and group
    agreements = agreements.astype(
        {
            "funds_cents": "int64",
            "partner_cents": "int64",
            "itu_cents": "int64",
            "n_partners": "int64",
            "funded": bool,
        }
    )
    contributions = contributions.astype(
        {"usd_cents": "int64", "is_itu": bool, "amount": float, "rate": float}
    )
    parties = parties.astype({"own_cents": "int64", "funded": bool})
    contributions["usd"] = contributions["usd_cents"] / 100
    partners = pd.DataFrame(
        [
            (p.id, p.name, p.type, p.membership or NONE, p.country or NONE)
            for p in ledger.partners.values()
        ],
        columns=["partner_id", "name", "partner_type", "membership", "country"],
    )
    rates = pd.DataFrame(
        [
            (cur, day, float(r), ledger.rates.source(cur, day))
            for cur, entries in ledger.rates.table.items()
            for day, r in entries
        ],
        columns=["currency", "effective", "rate", "source"],
    )
    rates["effective"] = pd.to_datetime(rates["effective"])
    return Compiled(ledger, agreements, contributions, parties, partners, rates)
