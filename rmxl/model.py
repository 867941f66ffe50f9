"""The validated ledger: immutable records (spec §2), each stamped with its source.

Built by :mod:`rmxl.validate.ledger`; read by :mod:`rmxl.compile`. Amounts and rates are
:class:`decimal.Decimal` exactly as written in the YAML, so no figure depends on binary
floating point until USD values are rounded to the cent in the compile stage.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from rmxl.diagnostics import Source

ITU = "ITU"
"""The ``by`` value of ITU's own co-financing component (spec §2, agreements)."""

MULTI = "multi"
"""Code of the multi bucket (spec §3): an agreement with 2+ regions or priorities."""

RATE_SOURCES = ("un", "ecb")
"""Sources of a rate entry: the UN operational rates of exchange (the default) and the ECB
euro reference rates (``rmxl rates fill --source ecb``; docs/ledger-format.md, rates)."""

NONE = "none"
"""Code of the membership (and country) bucket of partners without one (spec §3)."""


@dataclass(frozen=True, slots=True)
class Code:
    """One entry of a vocabulary: a code, its label, and optional IATI organisation type."""

    code: str
    label: str
    iati: str | None = None


@dataclass(frozen=True, slots=True)
class Group:
    """Codes a report names together: "12% ITU-D Sector Members (7% SIO and 5% ROA)"
    (docs/ledger-format.md, taxonomy ``groups``)."""

    label: str
    codes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """An ordered vocabulary (row order of every breakdown) with an optional multi label;
    the membership vocabulary may also carry the report's footnote explaining its codes
    and its groups (docs/ledger-format.md, taxonomy)."""

    values: tuple[Code, ...]
    multi_label: str | None = None
    footnote: str | None = None
    groups: tuple[Group, ...] = ()

    def codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.values)

    def get(self, code: str) -> Code | None:
        for c in self.values:
            if c.code == code:
                return c
        return None


@dataclass(frozen=True, slots=True)
class ActionPlan:
    """An action plan and its thematic priorities, in force from ``start`` to ``end``
    (both inclusive; ``end`` None = still in force)."""

    code: str
    label: str
    start: dt.date
    end: dt.date | None
    multi_label: str
    priorities: Vocabulary
    priorities_term: str = "thematic priorities"
    """What the plan calls its priorities in a sentence ("ITU-D priorities" for Kigali)."""

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    def overlaps(self, start: dt.date, end: dt.date) -> bool:
        """Whether the plan is in force on at least one day from ``start`` to ``end``
        (both inclusive): its priorities are buckets of a period that long (spec §3)."""
        return self.start <= end and (self.end is None or self.end >= start)


@dataclass(frozen=True, slots=True)
class Taxonomy:
    """The vocabularies of spec §2 (taxonomy)."""

    regions: Vocabulary
    partner_types: Vocabulary
    membership: Vocabulary
    action_plans: tuple[ActionPlan, ...]

    def plans_during(self, start: dt.date, end: dt.date) -> tuple[ActionPlan, ...]:
        """The action plans in force on at least one day from ``start`` to ``end``, in
        taxonomy order (:meth:`ActionPlan.overlaps`)."""
        return tuple(p for p in self.action_plans if p.overlaps(start, end))

    def plan_on(self, day: dt.date) -> ActionPlan | None:
        """The action plan in force on ``day``, or None."""
        for plan in self.action_plans:
            if plan.covers(day):
                return plan
        return None


@dataclass(frozen=True, slots=True)
class Partner:
    id: str
    name: str
    type: str
    membership: str | None
    country: str | None
    source: Source


@dataclass(frozen=True, slots=True)
class Contribution:
    """A contribution: ``by`` is a partner id or :data:`ITU`; ``amount`` in ``currency``."""

    by: str
    amount: Decimal
    currency: str
    source: Source


@dataclass(frozen=True, slots=True)
class Agreement:
    id: str
    title: str
    signed: dt.date
    partners: tuple[str, ...]
    regions: tuple[str, ...]
    priorities: tuple[str, ...]
    plan: str
    contributions: tuple[Contribution, ...]
    countries: tuple[str, ...]
    reference: str | None
    notes: str | None
    source: Source


@dataclass(frozen=True, slots=True)
class Rates:
    """Operational rates of exchange: units of currency per 1 USD, effective from a date."""

    table: dict[str, tuple[tuple[dt.date, Decimal], ...]] = field(default_factory=dict)
    sources: dict[tuple[str, dt.date], str] = field(default_factory=dict)
    """``(currency, effective) → source`` for entries written with one (``ecb``…);
    an entry without is a UN operational rate (docs/ledger-format.md, rates)."""

    def source(self, currency: str, day: dt.date) -> str:
        """The source code of an entry: ``un`` unless the ledger says otherwise."""
        return self.sources.get((currency, day), RATE_SOURCES[0])

    def lookup(self, currency: str, day: dt.date) -> tuple[dt.date, Decimal] | None:
        """The entry with the latest effective date on or before ``day`` (spec §2, rates);
        ``(day, 1)`` for USD; None when there is no such entry."""
        if currency == "USD":
            return (day, Decimal(1))
        entries = self.table.get(currency)
        if not entries:
            return None
        i = bisect.bisect_right(entries, day, key=lambda e: e[0])
        return entries[i - 1] if i else None


@dataclass(frozen=True, slots=True)
class ReportingOrg:
    """Who publishes the ledger's IATI file: IATI organisation identifier, name and IATI
    organisation type code (docs/ledger-format.md, reporting_org)."""

    ref: str
    name: str
    type: str


@dataclass(frozen=True, slots=True)
class Ledger:
    """A validated ledger. ``partners`` keeps definition order; ``agreements`` keeps file
    order (files in sorted path order)."""

    root: Path
    taxonomy: Taxonomy
    partners: dict[str, Partner]
    rates: Rates
    agreements: tuple[Agreement, ...]
    reporting_org: ReportingOrg | None = None
