"""Spreadsheet rows → draft agreements (``rmxl import``; docs/records.md).

A sheet holds one row per agreement, or one row per contribution: rows with the same id
(or, without an id column, the same title, date and partners) are one agreement whose
fields must agree, each row adding its contribution. A second sheet of contributions
(the ``contributions:`` part of the map, as in the xlsx export) adds rows to the
agreement its key column names. Every problem is collected with its cell; none stops the
reading of the other rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from rmxl.diagnostics import Diagnostic, make
from rmxl.model import ITU
from rmxl.money import amount_problem
from rmxl.tools.ingest.mapping import LISTS, REQUIRED, Located, Map
from rmxl.tools.ingest.match import Names, new_partner_id
from rmxl.tools.ingest.sheet import Cell, CellError
from rmxl.tools.ingest.values import (
    BadValue,
    amount_text,
    fold,
    parse_amount,
    parse_date,
    split_cell,
)

NO_AMOUNT = {"", "-", "–", "—", "n/a", "na", "none", "nil", "in kind", "in-kind", "0"}
CODES = {
    "signed": "import-bad-date",
    "amount": "import-bad-amount",
    "itu_amount": "import-bad-amount",
    "partners": "import-unknown-partner",
    "by": "import-unknown-partner",
}


@dataclass
class Draft:
    """An agreement read from the sheet, in ledger terms (ids, codes, Decimal amounts)."""

    id: str | None
    title: str
    signed: dt.date
    partners: list[str]
    regions: list[str]
    priorities: list[str]
    countries: list[str]
    reference: str | None
    notes: str | None
    cell: Cell
    contributions: list[tuple[str, Decimal, str]] = field(default_factory=list)


class Reader:
    """Reads located sheets into drafts; ``diags`` collects every problem, and
    ``proposed`` the new partners (name → id) when ``new_partners`` is set."""

    def __init__(self, names: Names, m: Map, new_partners: bool = False) -> None:
        self.names, self.map, self.new_partners = names, m, new_partners
        self.diags: list[Diagnostic] = []
        self.proposed: dict[str, tuple[str, str]] = {}
        self.drafts: dict[Any, Draft] = {}
        self._first: dict[Any, dict[str, Any]] = {}

    def _bad(self, f: str, cell: Cell, e: BadValue) -> None:
        self.diags.append(make(CODES.get(f, "import-unknown-code"), str(e), cell, e.hint))

    def agreements(self, loc: Located) -> None:
        """Read the main sheet: one agreement per row, or one contribution per row. A row
        that repeats an earlier one cell for cell (a pasted copy?) is warned about."""
        seen: dict[tuple[Any, ...], int] = {}
        for r in range(loc.first_row, len(loc.grid.rows)):
            raw = {f: self._value(loc, r, f) for f in loc.columns}
            if all(v is None for v in raw.values()) or self._errors(loc, r, raw):
                continue
            whole = tuple(loc.grid.rows[r])
            if whole in seen:
                self.diags.append(
                    make(
                        "import-repeated-row",
                        f"row {r + 1} repeats row {seen[whole]} cell for cell: its amount "
                        "is added to the agreement a second time",
                        loc.grid.cell(r, 0),
                        "delete it if it is a copy; two equal contributions are fine",
                    )
                )
            seen.setdefault(whole, r + 1)
            cells = {f: loc.grid.cell(r, c) for f, c in loc.columns.items()}
            self._row(raw, cells, loc.grid.cell(r, 0))

    def _errors(self, loc: Located, r: int, raw: dict[str, Any]) -> bool:
        """Report each field of row ``r`` read from a cell holding an error value
        (``import-cell-error``); True if there is one (the row is not read further)."""
        bad = [(f, v) for f, v in raw.items() if isinstance(v, CellError)]
        for f, v in bad:
            self.diags.append(
                make(
                    "import-cell-error",
                    f"this cell holds the error {v.text} (for {f}), not a value",
                    loc.grid.cell(r, loc.columns[f]),
                    "correct the formula or clear the cell in the spreadsheet, save, import again",
                )
            )
        return bool(bad)

    @staticmethod
    def _value(loc: Located, r: int, f: str) -> Any:
        row = loc.grid.rows[r]
        c = loc.columns[f]
        v = row[c] if c < len(row) else None
        return v.strip() or None if isinstance(v, str) else v

    def _row(self, raw: dict[str, Any], cells: dict[str, Cell], where: Cell) -> None:
        vals = {f: raw.get(f) for f in raw}
        for f, d in self.map.defaults.items():
            if vals.get(f) is None and f not in ("currency", "itu_currency"):
                vals[f] = "; ".join(d) if isinstance(d, list) else d
        missing = [f for f in REQUIRED if vals.get(f) is None]
        for f in missing:
            self.diags.append(
                make("import-missing-value", f"{f} is empty", cells.get(f, where), "fill it in")
            )
        if missing:
            return
        fields = self._fields(vals, cells)
        if fields is None:
            return
        key = (
            _text(vals["id"])
            if vals.get("id") is not None
            else (fold(str(vals["title"])), fields["signed"], tuple(fields["partners"]))
        )
        draft = self.drafts.get(key)
        if draft is None:
            draft = Draft(
                _text(vals["id"]) if vals.get("id") is not None else None,
                _text(vals["title"]),
                cell=where,
                **{k: v for k, v in fields.items() if k != "title"},
            )
            self.drafts[key] = draft
            self._first[key] = fields
        else:
            self._agree(self._first[key], fields, cells)
        self._contributions(draft, vals, cells)

    def _fields(self, vals: dict[str, Any], cells: dict[str, Cell]) -> dict[str, Any] | None:
        out: dict[str, Any] = {"title": _text(vals["title"])}
        ok = True
        try:
            out["signed"] = parse_date(vals["signed"], self.map.day_first)
        except BadValue as e:
            self._bad("signed", cells["signed"], e)
            ok = False
        for f in LISTS:
            codes: list[str] = []
            for part in split_cell(vals.get(f), self.map.split):
                try:
                    found = self._codes(f, part, out.get("signed"))
                except BadValue as e:
                    self._bad(f, cells[f], e)
                    ok = False
                    continue
                codes += [c for c in found if c not in codes]
            out[f] = codes
        out["reference"] = _text(vals["reference"]) if vals.get("reference") is not None else None
        out["notes"] = _text(vals["notes"]) if vals.get("notes") is not None else None
        return out if ok else None

    def _codes(self, f: str, part: str, day: dt.date | None) -> list[str]:
        n = self.names
        if f == "partners":
            try:
                return [n.partner(part)]
            except BadValue:
                if not self.new_partners:
                    raise
                taken = set(n.names) | {i for _, i in self.proposed.values()}
                name_id = self.proposed.setdefault(fold(part), (part, new_partner_id(part, taken)))
                return [name_id[1]]
        if f == "regions":
            return n.regions_of(part)
        if f == "priorities":
            return n.priorities_of(part, day)
        return n.countries_of(part)

    def _agree(self, first: dict[str, Any], now: dict[str, Any], cells: dict[str, Cell]) -> None:
        for f, v in now.items():
            if f in cells and v not in (None, []) and v != first[f]:
                self.diags.append(
                    make(
                        "import-conflict",
                        f"{f} {_shown(v)!r} differs from the agreement's first row "
                        f"({_shown(first[f])!r})",
                        cells[f],
                        "rows of one agreement must agree on its fields",
                    )
                )

    def _contributions(self, draft: Draft, vals: dict[str, Any], cells: dict[str, Cell]) -> None:
        for amount_f, cur_f, by in (
            ("amount", "currency", None),
            ("itu_amount", "itu_currency", ITU),
        ):
            value = vals.get(amount_f)
            if value is None or (isinstance(value, str) and fold(value) in NO_AMOUNT):
                continue
            if by is None:
                by = self._by(draft, vals, cells)
                if by is None:
                    continue
            got = self._money(value, vals.get(cur_f), amount_f, cur_f, cells)
            if got is not None and got[0] > 0:
                draft.contributions.append((by, got[0], got[1]))

    def _by(self, draft: Draft, vals: dict[str, Any], cells: dict[str, Cell]) -> str | None:
        if vals.get("by") is not None:
            try:
                return self.names.contributor(_text(vals["by"]))
            except BadValue as e:
                proposed = self.proposed.get(fold(_text(vals["by"])))
                if self.new_partners and proposed is not None:
                    return proposed[1]  # a new partner of a partners cell, proposed already
                self._bad("by", cells["by"], e)
                return None
        if len(draft.partners) == 1:
            return draft.partners[0]
        self.diags.append(
            make(
                "import-contributor",
                f"the amount has no contributor: the agreement has {len(draft.partners)} partners",
                cells.get("amount") or draft.cell,
                "add a 'by' column naming who contributes, or one row per contribution",
            )
        )
        return None

    def _money(
        self, value: Any, currency: Any, amount_f: str, cur_f: str, cells: dict[str, Cell]
    ) -> tuple[Decimal, str] | None:
        try:
            amount, written = parse_amount(value, self.names.currencies)
            _check_amount(amount)
        except BadValue as e:
            self._bad(amount_f, cells[amount_f], e)
            return None
        try:
            column = self.names.currency(str(currency)) if currency is not None else None
        except BadValue as e:
            self._bad(cur_f, cells.get(cur_f, cells[amount_f]), e)
            return None
        if written and column and written != column:
            self.diags.append(
                make(
                    "import-bad-amount",
                    f"the amount says {written} but its currency column says {column}",
                    cells[amount_f],
                )
            )
            return None
        cur = written or column or self.map.defaults.get(cur_f) or self.map.defaults.get("currency")
        if cur is None:
            self.diags.append(
                make(
                    "import-bad-amount",
                    "the amount has no currency",
                    cells[amount_f],
                    "write it in the amount (CHF 2.4 million), in a currency column, or "
                    "as defaults: {currency: USD} in the map",
                )
            )
            return None
        return amount, cur

    def contributions(self, loc: Located) -> None:
        """Read a sheet of contributions (one per row) keyed by agreement id."""
        by_id = {d.id: d for d in self.drafts.values() if d.id is not None}
        key = loc.columns["key"]
        for r in range(loc.first_row, len(loc.grid.rows)):
            raw = {f: self._value(loc, r, f) for f in loc.columns}
            if all(v is None for v in raw.values()) or self._errors(loc, r, raw):
                continue
            cells = {f: loc.grid.cell(r, c) for f, c in loc.columns.items()}
            draft = by_id.get(_text(raw["key"])) if raw["key"] is not None else None
            if draft is None:
                self.diags.append(
                    make(
                        "import-unknown-agreement",
                        f"no agreement {raw['key']!r} on the agreements sheet",
                        loc.grid.cell(r, key),
                    )
                )
                continue
            self._contributions(draft, raw, cells)


def _shown(v: Any) -> str:
    """A field's value as the sheet would show it: ``2022-03-14``, ``africa; europe``."""
    return "; ".join(map(str, v)) if isinstance(v, list) else _text(v)


def _check_amount(amount: Decimal) -> None:
    """Raise :class:`BadValue` for an amount the ledger refuses (negative, too large, too
    many digits or decimals: :func:`rmxl.money.amount_problem`, spec §6), so that it is
    reported at its cell and never dropped or rounded."""
    if amount < 0:
        raise BadValue(
            f"{amount_text(amount)} is negative",
            "an amount is what a partner commits, above 0: leave a cancelled or refunded "
            "contribution out, or record its correction in the ledger by hand",
        )
    problem = amount_problem(amount) if amount > 0 else ""
    if problem:
        raise BadValue(f"{amount_text(amount)} {problem}", "check the cell")


def _text(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, dt.datetime | dt.date):
        return v.isoformat()[:10]
    return " ".join(str(v).split())
