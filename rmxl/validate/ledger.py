"""Validate: located YAML trees → a :class:`~rmxl.model.Ledger` plus diagnostics.

Stage 2 of the pipeline. Implements every rule of spec §1–2: sections, required and
unknown keys (``x_`` keys allowed), types, ids unique across the whole ledger, references
to partners and taxonomy codes, the thematic priority belonging to the action plan in
force on the signed date, ISO 4217 currencies and ISO 3166-1 alpha-2 countries, positive
finite amounts, contributors that are partners of the agreement (or ``ITU``), and an
exchange rate effective on or before the signed date. All problems are collected; none is
raised. Warnings: stale rates, likely double entries, future dates, unused partners.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from rmxl.diagnostics import Diagnostic, Source
from rmxl.model import RATE_SOURCES, Ledger, Partner, Rates, Taxonomy
from rmxl.read.files import LedgerFile, LMap, LSeq
from rmxl.read.located import RefusedKey
from rmxl.validate import iso, money
from rmxl.validate.agreements import FileAgreements, agreements, check_file, warnings
from rmxl.validate.checks import Checker, suggest, type_name
from rmxl.validate.knockon import SECTIONS, closest_section, triage
from rmxl.validate.money import rate_jumps
from rmxl.validate.naming import partner_id_problem
from rmxl.validate.publisher import reporting_org
from rmxl.validate.taxonomy import taxonomy as check_taxonomy

PARTNER_KEYS = ("id", "name", "type")
PARTNER_OPTIONAL = ("membership", "country")
STALE_DAYS = 62
_ID_RE = re.compile(r"^[a-z0-9-]+$")


def sections(ck: Checker, files: list[LedgerFile]) -> dict[str, list[tuple[Any, Source]]]:
    """Group every file's top-level sections by name; other keys are ``unknown-section``
    (but a key refused where it was read, such as a merge key ``<<``: its ``yaml-tag``
    error is the one error)."""
    out: dict[str, list[tuple[Any, Source]]] = defaultdict(list)
    for f in files:
        if f.data is None:
            continue
        for key, value in f.data.items():
            if key in SECTIONS:
                out[key].append((value, f.data.val_src(key)))
            elif not isinstance(key, RefusedKey):  # else its yaml-tag error is the one
                meant = closest_section(str(key))
                if meant is not None:  # agrements: its records are lost to the ledger
                    ck.lost.add(meant)
                ck.err(
                    "unknown-section",
                    f"unknown section {str(key)!r}",
                    f.data.key_src(key),
                    suggest(str(key), SECTIONS),
                )
    return out


def records(ck: Checker, parts: list[tuple[Any, Source]], what: str) -> list[tuple[Any, Source]]:
    """The items of list sections (``partners:``, ``agreements:``) with their sources."""
    out: list[tuple[Any, Source]] = []
    for value, src in parts:
        if value is None:
            continue
        if not isinstance(value, LSeq):
            ck.lost.add(what)
            ck.err(
                "wrong-type",
                f"section {what!r} must be a list, not {type_name(value)}",
                src,
                "write each record as '- id: …'",
            )
            continue
        out.extend((item, value.item_src(i)) for i, item in enumerate(value))
    return out


def partners(
    ck: Checker, items: list[tuple[Any, Source]], tax: Taxonomy | None
) -> dict[str, Partner]:
    out: dict[str, Partner] = {}
    types = tax.partner_types.codes() if tax else ()
    members = tax.membership.codes() if tax else ()
    for item, src in items:
        m = ck.record(item, src, "partner", PARTNER_KEYS, PARTNER_OPTIONAL)
        if m is None:
            ck.lost.add("partners")
            continue
        pid = ck.text(m, "id", "partner")
        if pid is None:
            ck.lost.add("partners")
        name = ck.text(m, "name", "partner")
        ptype = ck.text(m, "type", "partner")
        membership = ck.text(m, "membership", "partner", required=False)
        country = ck.text(m, "country", "partner", required=False)
        ok = pid is not None and name is not None and ptype is not None
        if pid is not None and not _ID_RE.match(pid):
            fixed = re.sub(r"[^a-z0-9-]+", "-", pid.lower())
            fixed = re.sub(r"-{2,}", "-", fixed).strip("-")  # jp\u200b-mic → jp-mic
            ck.err(
                "bad-id",
                f"partner id {pid!r} must use a-z, 0-9 and '-' only",
                m.val_src("id"),
                partner_id_problem(fixed).partition(": ")[2] or f"e.g. {fixed!r}",
            )
            ok = False
            ck.lost.add("partners")  # the id meant is unknown: "unknown partner" is a knock-on
        elif pid is not None and (why := partner_id_problem(pid)):
            ck.err("bad-id", f"partner id {pid!r} {why}", m.val_src("id"), "choose another id")
            ok = False
            ck.lost.add("partners")
        elif pid is not None and pid in out:
            ck.err(
                "duplicate-id",
                f"partner {pid!r} is defined twice (first at {out[pid].source})",
                m.val_src("id"),
            )
            continue
        if tax and ptype is not None and ptype not in types:
            ck.err(
                "unknown-partner-type",
                f"unknown partner type {ptype!r}",
                m.val_src("type"),
                suggest(ptype, types),
            )
            ok = False
        if tax and membership is not None and membership not in members:
            ck.err(
                "unknown-membership",
                f"unknown membership category {membership!r}",
                m.val_src("membership"),
                suggest(membership, members),
            )
            ok = False
        if country is not None and country not in iso.countries():
            msg, hint = iso.country_problem(country, suggest)
            ck.err("unknown-country", msg, m.val_src("country"), hint)
            ok = False
        if ok:
            assert pid and name and ptype
            out[pid] = Partner(pid, name, ptype, membership, country, m.src())
    return out


def rates(ck: Checker, parts: list[tuple[Any, Source]]) -> Rates:
    """``{CUR: {date: rate}}`` mappings from all files; the same currency and date twice is
    an error (spec §2, rates)."""
    table: dict[str, dict[dt.date, tuple[Decimal, Source]]] = defaultdict(dict)
    sources: dict[tuple[str, dt.date], str] = {}
    for value, src in parts:
        if value is None:
            continue
        if not isinstance(value, LMap):
            ck.lost.add("rates")
            ck.err(
                "wrong-type",
                f"section 'rates' must be a mapping, not {type_name(value)}",
                src,
                "write CUR: {YYYY-MM-DD: rate}",
            )
            continue
        for cur, entries in value.items():
            csrc = value.key_src(cur)
            if not isinstance(cur, str) or cur not in iso.currencies() or cur == "USD":
                ck.lost.add("rates")
                hint = (
                    "USD needs no rate"
                    if cur == "USD"
                    else suggest(str(cur).upper(), iso.currencies())
                )
                ck.err(
                    "unknown-currency",
                    f"rates: {cur!r} is not an ISO 4217 currency to convert",
                    csrc,
                    hint,
                )
                continue
            if not isinstance(entries, LMap):
                ck.lost.add("rates")
                ck.err(
                    "wrong-type",
                    f"rates for {cur} must map dates to rates",
                    value.val_src(cur),
                    "write e.g. 2022-01-01: 0.921",
                )
                continue
            for day, _rate in entries.items():
                dsrc = entries.key_src(day)
                if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
                    ck.lost.add("rates")
                    ck.err(
                        "bad-date",
                        f"rates for {cur}: {str(day)!r} is not a date",
                        dsrc,
                        "write the effective date as YYYY-MM-DD",
                    )
                    continue
                if ck.in_range(day, dsrc, f"rates for {cur}:") is None:
                    ck.lost.add("rates")
                    continue
                if day in table[cur]:
                    ck.err(
                        "duplicate-id",
                        f"rate for {cur} on {day} is given twice (first at {table[cur][day][1]})",
                        dsrc,
                    )
                    continue
                value_ok = rate_entry(ck, entries, day, cur, sources)
                if value_ok is not None:
                    table[cur][day] = (value_ok, entries.val_src(day))
                else:
                    ck.lost.add("rates")
    rate_jumps(ck, table)
    return Rates(
        {c: tuple(sorted((d, r) for d, (r, _) in e.items())) for c, e in table.items()}, sources
    )


def rate_entry(
    ck: Checker, entries: LMap, day: dt.date, cur: str, sources: dict[tuple[str, dt.date], str]
) -> Decimal | None:
    """One rate entry: a number, or ``{rate: N, source: un|ecb}`` (docs/ledger-format.md,
    rates: the source of an entry); the source goes into ``sources``."""
    value = entries.get(day)
    if not isinstance(value, LMap):
        return ck.positive(entries, day, f"rates for {cur}", "bad-rate")
    m = ck.record(value, entries.val_src(day), f"rate for {cur} on {day}", ("rate",), ("source",))
    if m is None:
        return None
    source = ck.text(m, "source", f"rate for {cur} on {day}", required=False)
    if source is not None and source not in RATE_SOURCES:
        ck.err(
            "unknown-rate-source",
            f"rate for {cur} on {day}: unknown source {source!r}",
            m.val_src("source"),
            suggest(source, RATE_SOURCES),
        )
        return None
    rate = ck.positive(m, "rate", f"rates for {cur} on {day}", "bad-rate")
    if rate is not None and source is not None:
        sources[(cur, day)] = source
    return rate


@dataclass(slots=True)
class Context:
    """A ledger checked except for its agreements: what each file's agreement records are
    checked against (the taxonomy, the partner ids, the rates), and the diagnostics so far.

    :func:`validate` is :func:`context`, then :meth:`agreements_of` for every file, then
    :func:`conclude`; a caller may obtain a file's :class:`FileAgreements` in any way that
    gives the same value (it depends on that file and the context alone)."""

    ck: Checker
    parts: dict[str, list[tuple[Any, Source]]]
    taxonomy: Taxonomy | None
    partners: dict[str, Partner]
    rates: Rates
    defined: set[str]
    lost: frozenset[str]

    def agreements_of(self, path: str) -> FileAgreements | None:
        """The agreement records of the file at display path ``path``, checked on their own
        (None when it holds none)."""
        return self._check([v for v in self.parts.get("agreements", []) if v[1].file == path])

    def agreements_in(self, file: LedgerFile) -> FileAgreements | None:
        """:meth:`agreements_of` for a file read apart from the files the context was made
        from (one that holds agreements alone: nothing else of it counts here)."""
        return self._check(sections(Checker(), [file]).get("agreements", []))

    def _check(self, mine: list[tuple[Any, Source]]) -> FileAgreements | None:
        if not mine:
            return None
        local = Checker()
        items = records(local, mine, "agreements")
        return check_file(
            items, local.diags, self.taxonomy, self.defined, self.rates, not local.lost
        )


def context(files: list[LedgerFile], lost: Collection[str] = ()) -> Context:
    """Check every section of ``files`` except the agreements (spec §2); ``lost`` as for
    :func:`validate`."""
    ck = Checker()
    parts = sections(ck, files)
    tax_sections = [v for v, _ in parts.get("taxonomy", []) if isinstance(v, LMap)]
    for v, src in parts.get("taxonomy", []):
        if not isinstance(v, LMap):
            ck.err("wrong-type", f"section 'taxonomy' must be a mapping, not {type_name(v)}", src)
    before = len(ck.diags)
    tax = check_taxonomy(ck, tax_sections) if parts.get("taxonomy") else None
    if any(d.severity == "error" for d in ck.diags[before:]):
        ck.lost.add("taxonomy")
    if not parts.get("taxonomy") and files:
        ck.err(
            "taxonomy-missing",
            "the ledger has no taxonomy section",
            None,
            "add taxonomy.yaml (see the ledger format)",
            knock_on="taxonomy" in lost,  # in a file that could not be read
        )
    partner_items = records(ck, parts.get("partners", []), "partners")
    prt = partners(ck, partner_items, tax)
    rts = rates(ck, parts.get("rates", []))
    # a partner defined with an error of its own is still defined: agreements naming it
    # must not add a misleading "unknown partner"
    defined = set(prt) | {
        i["id"] for i, _ in partner_items if isinstance(i, LMap) and isinstance(i.get("id"), str)
    }
    return Context(ck, parts, tax, prt, rts, defined, frozenset(lost))


def conclude(
    ctx: Context, groups: list[FileAgreements], root: Path, today: dt.date | None = None
) -> tuple[Ledger | None, list[Diagnostic]]:
    """Join every file's checked agreements (``groups``, in file order) into the ledger:
    ids unique across files, the ledger-wide checks and warnings, the reporting
    organisation. Returns what :func:`validate` returns."""
    ck, tax, prt, rts = ctx.ck, ctx.taxonomy, ctx.partners, ctx.rates
    agr = agreements(ck, groups)
    valued = money.values(agr, rts)
    money.funds_limit(ck, valued)
    money.outliers(ck, valued)
    if not all(g.complete for g in groups):
        ck.lost.add("agreements")
    if tax is not None:
        named = frozenset().union(*(g.named for g in groups))
        warnings(ck, agr, prt, rts, today or dt.date.today(), STALE_DAYS, named)
    org = reporting_org(ck, ctx.parts.get("reporting_org", []))
    diags = triage(ck.diags, ck.lost | ctx.lost)
    ledger = Ledger(root, tax, prt, rts, tuple(agr), org) if tax is not None else None
    return ledger, diags


def validate(
    files: list[LedgerFile],
    root: Path,
    today: dt.date | None = None,
    lost: Collection[str] = (),
) -> tuple[Ledger | None, list[Diagnostic]]:
    """Check the records of every file and build the :class:`Ledger`.

    Returns ``(ledger, diagnostics)``, causes first, then by file, line and column,
    without knock-ons (counted in a ``knock-on`` note: :mod:`rmxl.validate.knockon`); the
    ledger is None when the taxonomy itself is unusable. A ledger returned alongside
    errors holds only the records that passed and must not be used for figures (see
    :func:`rmxl.pipeline.load.load`).
    ``lost`` names the sections of files that could not be read or parsed
    (:func:`rmxl.validate.knockon.declared`): the diagnostics that depend on them are
    knock-ons.
    """
    ctx = context(files, lost)
    groups = [g for f in files if (g := ctx.agreements_of(f.path)) is not None]
    return conclude(ctx, groups, root, today)
