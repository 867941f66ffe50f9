"""Validate the ``agreements`` section (spec §2, agreements) and the ledger-wide warnings."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from rmxl.diagnostics import Diagnostic, Source, closest_name
from rmxl.model import ITU, ActionPlan, Agreement, Code, Contribution, Partner, Rates, Taxonomy
from rmxl.read.files import LMap, LSeq
from rmxl.validate import iso
from rmxl.validate.checks import Checker, suggest, where
from rmxl.validate.money import Entry, below_cent, rate_finder
from rmxl.validate.taxonomy import plan_finder

AGREEMENT_KEYS = ("id", "title", "signed", "partners", "regions", "priorities")
AGREEMENT_OPTIONAL = ("contributions", "countries", "reference", "notes")
CONTRIBUTION_KEYS = ("by", "amount", "currency")


@dataclass(frozen=True, slots=True)
class Checked:
    """One agreement record checked on its own: its id and where the id is written (None
    when it has none), ``head`` (the record's shape and id diagnostics), ``body`` (the
    rest), and the agreement when it passed every check."""

    aid: str | None
    aid_src: Source | None
    head: tuple[Diagnostic, ...]
    body: tuple[Diagnostic, ...]
    agreement: Agreement | None


@dataclass(frozen=True, slots=True)
class FileAgreements:
    """The agreement records of one file, each checked against the taxonomy, the partner
    ids and the rates, but not against the other files (ids are unique ledger-wide:
    :func:`agreements`). It depends on nothing else, so the loader may cache it per file
    content and context (docs/performance.md)."""

    records: tuple[Checked, ...]
    named: frozenset[str]
    """Every partner id the file's agreement records name, valid or not."""
    complete: bool = True
    """False when a record or its partners could not be read (``named`` may miss some)."""


def check_file(
    items: list[tuple[Any, Source]],
    section_diags: list[Diagnostic],
    tax: Taxonomy | None,
    partners: Collection[str],
    rates: Rates,
    complete: bool = True,
) -> FileAgreements:
    """Check each agreement record of one file (``section_diags``: the file's section-level
    problems, kept with it; ``complete`` False when the section itself could not be read
    whole). ``partners`` are the ids defined in the ledger."""
    out = [Checked(None, None, tuple(section_diags), (), None)] if section_diags else []
    named: set[str] = set()
    plans = plan_finder(tax)
    find = rate_finder(rates)
    for item, src in items:
        ck = Checker()
        m = ck.record(item, src, "agreement", AGREEMENT_KEYS, AGREEMENT_OPTIONAL)
        if m is None:
            out.append(Checked(None, None, tuple(ck.diags), (), None))
            complete = False
            continue
        names = m.get("partners")
        if not isinstance(names, str | LSeq):
            complete = False
        named.update(
            [names]
            if isinstance(names, str)
            else [n for n in names if isinstance(n, str)]
            if isinstance(names, LSeq)
            else []
        )
        aid = ck.text(m, "id", "agreement")
        head = tuple(ck.diags)
        ck.diags.clear()
        agreement = _agreement(ck, m, aid or "?", tax, partners, rates, find, plans)
        ok = agreement if not head and not ck.diags else None
        src_id = m.val_src("id") if aid is not None else None
        out.append(Checked(aid, src_id, head, tuple(ck.diags), ok))
    return FileAgreements(tuple(out), frozenset(named), complete)


def agreements(ck: Checker, files: list[FileAgreements]) -> list[Agreement]:
    """The agreements of every file, in order, that passed every check; an id defined twice
    (in one file or two) is an error naming both places, and the second record is not
    checked further (spec §1)."""
    out: list[Agreement] = []
    seen: dict[str, Source] = {}
    extend = ck.diags.extend
    for f in files:
        for r in f.records:
            if r.head:
                extend(r.head)
            if r.aid is not None and r.aid_src is not None:
                if r.aid in seen:
                    ck.err(
                        "duplicate-id",
                        f"agreement {r.aid!r} is defined twice (first at {seen[r.aid]})",
                        r.aid_src,
                    )
                    continue
                seen[r.aid] = r.aid_src
            if r.body:
                extend(r.body)
            if r.agreement is not None:
                out.append(r.agreement)
    return out


def _labels(values: tuple[Code, ...]) -> dict[str, str]:
    """Label → code, so a label written where a code belongs suggests the code."""
    return {c.label: c.code for c in values}


def _agreement(
    ck: Checker,
    m: LMap,
    aid: str,
    tax: Taxonomy | None,
    partners: Collection[str],
    rates: Rates,
    find: Callable[[str, dt.date], Entry | None],
    plans: Callable[[dt.date], tuple[ActionPlan | None, frozenset[str]]],
) -> Agreement | None:
    what = f"agreement {aid}"
    title = ck.text(m, "title", what)
    signed = ck.date(m, "signed", what)
    prt = ck.text_items(m, "partners", what, nonempty=True)
    regions = ck.text_items(m, "regions", what, nonempty=True)
    prios = ck.text_items(m, "priorities", what, nonempty=True)
    countries = ck.text_items(m, "countries", what, nonempty=False) or []
    reference = ck.text(m, "reference", what, required=False)
    notes = ck.text(m, "notes", what, required=False)
    for pid, i in prt or []:
        if pid not in partners:
            ck.err(
                "unknown-partner",
                f"{what}: unknown partner {pid!r}",
                where(m, "partners", i),
                suggest(pid, partners),
            )
    for code, i in countries:
        if code not in iso.countries():
            msg, hint = iso.country_problem(code, suggest)
            ck.err("unknown-country", f"{what}: {msg}", where(m, "countries", i), hint)
    plan_code = ""
    if tax is not None:
        for code, i in regions or []:
            if tax.regions.get(code) is None:
                ck.err(
                    "unknown-region",
                    f"{what}: unknown region {code!r}",
                    where(m, "regions", i),
                    suggest(code, tax.regions.codes(), _labels(tax.regions.values)),
                )
        plan_code = _priorities(ck, what, tax, signed, prios or [], m, plans)
    party_ids = [p for p, _ in prt or []]
    known = [p for p in party_ids if p in partners]
    contributions = _contributions(
        ck, m, what, party_ids if prt is not None else None, known, signed, rates, find
    )
    if None in (title, signed, prt, regions, prios, contributions):
        return None
    assert title is not None and signed is not None and contributions is not None
    return Agreement(
        aid,
        title,
        signed,
        tuple(party_ids),
        tuple(c for c, _ in regions or []),
        tuple(c for c, _ in prios or []),
        plan_code,
        tuple(contributions),
        tuple(c for c, _ in countries),
        reference,
        notes,
        m.src(),
    )


def _priorities(
    ck: Checker,
    what: str,
    tax: Taxonomy,
    signed: dt.date | None,
    prios: list[tuple[str, int]],
    m: LMap,
    plans: Callable[[dt.date], tuple[ActionPlan | None, frozenset[str]]],
) -> str:
    if signed is None:
        return ""
    plan, known = plans(signed)
    if plan is None:
        ck.err(
            "no-action-plan",
            f"{what}: no action plan is in force on {signed}",
            m.val_src("signed"),
            "check the date, or add the plan to the taxonomy",
        )
        return ""
    codes = plan.priorities.codes()
    for code, i in prios:
        if code in known:
            continue
        psrc = where(m, "priorities", i)
        other = [p for p in tax.action_plans if p.priorities.get(code) is not None]
        if other:
            ck.err(
                "priority-wrong-plan",
                f"{what}: priority {code!r} belongs to "
                f"{other[0].code!r}, but {plan.code!r} is in force on {signed}",
                psrc,
                suggest(code, codes, _labels(plan.priorities.values)),
            )
        else:
            ck.err(
                "unknown-priority",
                f"{what}: unknown thematic priority {code!r} of {plan.code!r}",
                psrc,
                suggest(code, codes, _labels(plan.priorities.values)),
            )
    return plan.code


def _contributions(
    ck: Checker,
    m: LMap,
    what: str,
    party_ids: list[str] | None,
    known: list[str],
    signed: dt.date | None,
    rates: Rates,
    find: Callable[[str, dt.date], Entry | None],
) -> list[Contribution] | None:
    """The contributions of one agreement; ``known``: its partners defined in the ledger
    (a contributor left out because a partner id is misspelt is a knock-on of that);
    ``find``: ``rates.lookup`` (:func:`rmxl.validate.money.rate_finder`)."""
    value = m.get("contributions")
    if value is None:
        return []
    if not isinstance(value, LSeq):
        ck.err(
            "wrong-type",
            f"{what}: 'contributions' must be a list",
            m.val_src("contributions"),
            "write - {by: partner-id, amount: 1000, currency: USD}",
        )
        return None
    out: list[Contribution] = []
    ok = True
    one = f"{what} contribution"
    for i, item in enumerate(value):
        c = ck.record(item, value.item_src(i), one, CONTRIBUTION_KEYS, ())
        if c is None:
            ok = False
            continue
        by = ck.text(c, "by", what)
        amount = ck.positive(c, "amount", one, "bad-amount")
        entry = None
        currency = ck.text(c, "currency", what)
        if by is not None and by != ITU and party_ids is not None and by not in party_ids:
            ck.err(
                "contributor-not-partner",
                f"{what}: contributor {by!r} is not one of the agreement's partners",
                c.val_src("by"),
                suggest(by, [*known, ITU]),
                knock_on=party_ids is not None and len(known) < len(party_ids),
            )
            by = None
        if currency is not None and currency not in iso.currencies():
            ck.err(
                "unknown-currency",
                f"{what}: unknown currency {currency!r}",
                c.val_src("currency"),
                suggest(currency.upper(), iso.currencies(), prefer=[*rates.table, "USD"]),
            )
            currency = None
        elif currency is not None and signed is not None and not (entry := find(currency, signed)):
            ck.err(
                "rate-missing",
                f"{what}: no {currency} rate effective on or before {signed}",
                c.val_src("currency"),
                f"add a rate for {currency} dated {signed.replace(day=1)} or earlier to rates",
            )
            currency = None
        # a whole unit at 100 or fewer per USD is worth a cent or more: no need to ask
        small = entry is None or amount is None or amount < 1 or entry[1] > 100
        if amount is not None and currency is not None and signed is not None and small:
            amount = None if below_cent(ck, what, c, amount, currency, entry) else amount
        if by is None or amount is None or currency is None:
            ok = False
            continue
        out.append(Contribution(by, amount, currency, c.src()))
    return out if ok else None


SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\Z")
"""An agreement id that is safe in a URL, a file name, a CSV cell and a spreadsheet
criterion: a letter or digit, then letters, digits, ``.``, ``_`` and ``-``."""


def _awkward_id(ck: Checker, a: Agreement) -> None:
    """``awkward-id``: the characters of ``a.id`` outside :data:`SAFE_ID`."""
    bad = sorted({ch for ch in a.id if not re.match(r"[A-Za-z0-9._-]", ch)})
    if not bad:  # all safe but the first: -, . or _ (a CSV formula, a hidden file)
        bad = [a.id[0]]
    shown = ", ".join("a space" if ch == " " else repr(ch) for ch in bad)
    fixed = re.sub(r"[^A-Za-z0-9._-]+", "-", a.id).strip("-._") or "A-1"
    ck.err(
        "awkward-id",
        f"agreement id {a.id!r} holds {shown}: ids go into links, file names and "
        "spreadsheet formulas, where such characters break or change meaning",
        a.source,
        f"e.g. {fixed!r} (letters, digits, '-', '_', '.')",
    )


def warnings(
    ck: Checker,
    agreements: list[Agreement],
    partners: dict[str, Partner],
    rates: Rates,
    today: dt.date,
    stale_days: int,
    named: Collection[str] | None = None,
) -> None:
    """The warnings of the catalogue: an awkward agreement id, stale rate, possible double
    entry, future date, and unused partner — a partner no agreement record names
    (``named``; a partner an agreement misspells is a knock-on: rmxl.validate.knockon)."""
    seen: dict[tuple[str, dt.date, Decimal, str], Agreement] = {}
    find = rate_finder(rates)
    for a in agreements:
        if not SAFE_ID.match(a.id):
            _awkward_id(ck, a)
        if a.signed > today:
            ck.err(
                "future-date",
                f"agreement {a.id}: signed {a.signed} is in the future",
                a.source,
                "check the year",
            )
        for c in a.contributions:
            if c.currency != "USD":
                entry = find(c.currency, a.signed)
                if entry is not None and (a.signed - entry[0]).days > stale_days:
                    ck.err(
                        "rate-stale",
                        f"agreement {a.id}: the {c.currency} rate of "
                        f"{entry[0]} is {(a.signed - entry[0]).days} days old on "
                        f"{a.signed}",
                        c.source,
                        f"add the {c.currency} rate in force in {a.signed:%B %Y}",
                    )
            if c.by == ITU:
                continue
            key = (c.by, a.signed, c.amount, c.currency)
            if key in seen and seen[key].id != a.id:
                ck.err(
                    "possible-duplicate",
                    f"agreement {a.id} has the same partner, date "
                    f"and amount as {seen[key].id} ({seen[key].source})",
                    c.source,
                    "check it is not entered twice",
                )
            seen.setdefault(key, a)
    # a partner an agreement misspells is unused because of that misspelling (a knock-on)
    meant = {
        hit
        for n in named or ()
        if n not in partners and (hit := closest_name(n, partners)) is not None
    }
    for pid, p in partners.items():
        if named is not None and named and pid not in named:
            ck.err(
                "unused-partner",
                f"partner {pid!r} is named by no agreement",
                p.source,
                "remove it, or check the agreements' partner ids",
                knock_on=pid in meant,
            )
