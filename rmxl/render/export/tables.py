"""The tidy tables of ``rmxl export``: the compiled ledger as plain columns.

One row per agreement, per contribution, per agreement–partner link, per partner and per
rate entry; amounts and currencies in separate columns, money in USD to the cent, lists of
codes (an agreement's regions…) joined with ``"; "`` so that every cell is one value a
spreadsheet, pandas or DuckDB reads as it is. The column names are the ledger's own field
names (spec §2) so that ``rmxl import`` reads the xlsx export back without a map
(docs/records.md).

Each table is a :class:`Table`: a name, a pandas DataFrame and a field list
``[(name, frictionless type, description)]`` from which ``datapackage.json`` is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from rmxl.compile import Compiled
from rmxl.model import ITU
from rmxl.money import CENT, usd_cents

SEP = "; "
"""Separator of several codes in one cell (an agreement's partners, regions…)."""


@dataclass(frozen=True)
class Table:
    """An exported table: ``name`` (file stem, sheet name in title case), ``frame`` and
    ``fields`` ``[(column, frictionless type, description)]`` in column order."""

    name: str
    frame: pd.DataFrame
    fields: tuple[tuple[str, str, str], ...]
    key: tuple[str, ...] = ()

    @property
    def sheet(self) -> str:
        return self.name.capitalize()


def _usd(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(CENT)


def agreements(c: Compiled) -> Table:
    """One row per agreement: its fields, its codes joined with ``"; "`` and its funds."""
    g = c.agreements
    money = dict(
        zip(
            g["agreement_id"],
            zip(g["funds_cents"], g["partner_cents"], g["itu_cents"], strict=True),
            strict=True,
        )
    )
    rows = []
    for a in c.ledger.agreements:
        funds, partner, itu = money[a.id]
        rows.append(
            (
                a.id,
                a.title,
                a.signed,
                a.plan,
                SEP.join(a.partners),
                SEP.join(a.regions),
                SEP.join(a.priorities),
                SEP.join(a.countries),
                a.reference or "",
                a.notes or "",
                _usd(int(funds)),
                _usd(int(partner)),
                _usd(int(itu)),
            )
        )
    fields = (
        ("id", "string", "agreement id"),
        ("title", "string", "title"),
        ("signed", "date", "date signed"),
        ("plan", "string", "code of the action plan in force on the signed date"),
        ("partners", "string", "partner ids, separated by '; '"),
        ("regions", "string", "region codes, separated by '; '"),
        ("priorities", "string", "thematic priority codes, separated by '; '"),
        ("countries", "string", "ISO 3166-1 alpha-2 beneficiary countries, separated by '; '"),
        ("reference", "string", "reference document"),
        ("notes", "string", "notes"),
        ("funds", "number", "USD, all contributions (ITU's included)"),
        ("partner_funds", "number", "USD, contributions by partners"),
        ("itu_funds", "number", "USD, ITU's own co-financing component"),
    )
    return Table("agreements", _frame(rows, fields), fields, ("id",))


def contributions(c: Compiled) -> Table:
    """One row per contribution: amount as signed, currency, the rate used (currency units
    per USD) and its effective date, and the USD value rounded to the cent (spec §2)."""
    rows = []
    for a in c.ledger.agreements:
        for k, con in enumerate(a.contributions, 1):
            entry = c.ledger.rates.lookup(con.currency, a.signed)
            assert entry is not None  # a compiled ledger has every rate
            day, rate = entry
            cents = usd_cents(con.amount, rate)
            row = (a.id, k, a.signed, con.by, con.by == ITU, con.amount, con.currency, rate, day)
            rows.append((*row, _usd(cents)))
    fields = (
        ("agreement_id", "string", "agreement id"),
        ("line", "integer", "the contribution's position in its agreement, from 1"),
        ("signed", "date", "date the agreement was signed"),
        ("by", "string", "partner id, or ITU for ITU's own component"),
        ("is_itu", "boolean", "ITU's own co-financing component"),
        ("amount", "number", "amount as signed, in currency"),
        ("currency", "string", "ISO 4217 currency of amount"),
        ("rate", "number", "rate applied: currency units per 1 USD (1 for USD)"),
        ("rate_date", "date", "effective date of the rate applied"),
        ("usd", "number", "USD value: amount / rate, rounded to the cent, half to even"),
    )
    return Table("contributions", _frame(rows, fields), fields, ("agreement_id", "line"))


def parties(c: Compiled) -> Table:
    """One row per agreement–partner link, with that partner's own contributions in USD."""
    p = c.parties
    frame = pd.DataFrame(
        {
            "agreement_id": p["agreement_id"],
            "partner_id": p["partner_id"],
            "own_funds": [_usd(int(x)) for x in p["own_cents"]],
        }
    )
    fields = (
        ("agreement_id", "string", "agreement id"),
        ("partner_id", "string", "partner id"),
        ("own_funds", "number", "USD, this partner's own contributions to this agreement"),
    )
    return Table("parties", frame, fields, ("agreement_id", "partner_id"))


def partners(c: Compiled) -> Table:
    """One row per partner, codes as in the ledger (empty when absent)."""
    tax = c.ledger.taxonomy
    rows = []
    for p in c.ledger.partners.values():
        ptype = tax.partner_types.get(p.type)
        iati = ptype.iati if ptype and ptype.iati else ""
        rows.append((p.id, p.name, p.type, iati, p.membership or "", p.country or ""))
    fields = (
        ("id", "string", "partner id"),
        ("name", "string", "name"),
        ("type", "string", "partner type code"),
        ("iati_type", "string", "IATI organisation type code of the partner type"),
        ("membership", "string", "ITU membership category code (empty: not a member)"),
        ("country", "string", "ISO 3166-1 alpha-2 country"),
    )
    return Table("partners", _frame(rows, fields), fields, ("id",))


def rates(c: Compiled) -> Table:
    """One row per rate entry: currency units per 1 USD effective from a date, and the
    entry's source (``un`` operational rate, ``ecb`` reference rate; docs/ledger-format.md)."""
    rows = [
        (cur, day, rate, c.ledger.rates.source(cur, day))
        for cur, entries in c.ledger.rates.table.items()
        for day, rate in entries
    ]
    fields = (
        ("currency", "string", "ISO 4217 currency"),
        ("effective", "date", "effective from this date"),
        ("rate", "number", "currency units per 1 USD"),
        ("source", "string", "un (UN operational rate of exchange) or ecb (ECB reference rate)"),
    )
    return Table("rates", _frame(rows, fields), fields, ("currency", "effective"))


def _frame(
    rows: Sequence[tuple[object, ...]], fields: tuple[tuple[str, str, str], ...]
) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=[f[0] for f in fields], dtype=object)


def tables(c: Compiled) -> list[Table]:
    """Every exported table, in the order of the module doc."""
    return [agreements(c), contributions(c), parties(c), partners(c), rates(c)]
