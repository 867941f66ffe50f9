"""Semantic diff of the ledger between two git revisions (``rmxl diff``).

The old side is the ledger's files exactly as git stores them at the revision (``git
ls-tree`` and ``git cat-file --batch`` into a temporary folder); the working tree is read
where it is. Both sides go through the normal pipeline (read → validate → compile →
:class:`~rmxl.query.figures.Figures`), then:

- agreements, partners and rates added, removed and changed (field by field);
- for every calendar year an agreement change touches (either side's signed date), and
  the years of agreements whose partner or rate changed: agreements, funded agreements,
  funds, partner funds and ITU funds before → after, and the shares (funds and agreements
  by region, partner type and thematic priority) that moved by more than
  :data:`SHARE_POINTS` percentage point. Every figure comes from ``Figures``.

Errors (not a git repository, an unknown revision, no ledger at a revision, an invalid
side) raise :class:`DiffError` with a one-line message.
"""

from __future__ import annotations

import os
import posixpath
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rmxl.diagnostics import LedgerError, QueryError
from rmxl.model import Agreement, Ledger
from rmxl.pipeline import load as loader
from rmxl.query.periods import Period
from rmxl.read.identity import GitError, git, repository

SHARE_POINTS = 0.1
"""A share is reported when it moved by more than this many percentage points."""
TOTALS = ("agreements", "funded_agreements", "funds", "partner_funds", "itu_funds")
SHARES = [(d, m) for m in ("funds", "agreements") for d in ("region", "partner_type", "priority")]
WORKTREE = "working tree"


class DiffError(Exception):
    """A diff that cannot be made; the message is one line that says why, ``code`` its
    catalogue code (``diff-not-git``, ``diff-revision``, ``diff-no-ledger``,
    ``diff-link``, ``diff-invalid``) and ``hint`` what to do."""

    def __init__(self, message: str, code: str = "diff-git", hint: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.hint = hint

    def line(self) -> str:
        """``error[code]: message (hint)``, as ``rmxl diff`` prints it."""
        return f"error[{self.code}]: {self}" + (f" ({self.hint})" if self.hint else "")


@dataclass(frozen=True, slots=True)
class Change:
    """One record added, removed or changed; ``fields`` are ``(name, old, new)``."""

    kind: str  # "added" | "removed" | "changed"
    id: str
    summary: str
    fields: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class ShareMove:
    dimension: str
    measure: str
    bucket: str
    old: float
    new: float


@dataclass(frozen=True, slots=True)
class Effect:
    """A calendar year's totals ``(measure, old, new)`` and the shares that moved."""

    period: str
    totals: tuple[tuple[str, float | int, float | int], ...]
    shares: tuple[ShareMove, ...]

    def moved(self) -> bool:
        """Whether any total or share of the period differs."""
        return bool(self.shares) or any(a != b for _, a, b in self.totals)


@dataclass(slots=True)
class LedgerDiff:
    old: str
    new: str
    agreements: list[Change] = field(default_factory=list)
    partners: list[Change] = field(default_factory=list)
    rates: list[Change] = field(default_factory=list)
    taxonomy: list[Change] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)

    def empty(self) -> bool:
        return not (self.agreements or self.partners or self.rates or self.taxonomy)


# -- reading a revision with git ----------------------------------------------------


def _where(ledger: Path) -> tuple[Path, str]:
    """The repository's top folder and the ledger's path inside it (POSIX)."""
    try:
        return repository(ledger)
    except GitError as e:
        hint = "rmxl diff compares git revisions: run it on a ledger in a git checkout"
        raise DiffError(str(e), "diff-not-git", hint) from e


@contextmanager
def checkout(ledger: Path, rev: str) -> Iterator[Path]:
    """The ledger folder as git stores it at ``rev``, in a temporary folder (removed
    after): the blobs' bytes exactly (``git ls-tree`` and ``git cat-file --batch``, so
    no attribute, filter or line-ending conversion changes them), committed links
    recreated as links (a link that leaves the repository is refused)."""
    top, rel = _where(ledger)
    try:
        git(top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
    except GitError as e:
        hint = "give a commit, branch or tag; git log --oneline lists the commits"
        raise DiffError(f"unknown revision {rev!r}", "diff-revision", hint) from e
    entries = _tree(top, rev, rel)
    if not entries:
        hint = "compare with a later revision, or pass the folder that held it (--ledger)"
        raise DiffError(f"there is no ledger {rel!r} at {rev}", "diff-no-ledger", hint)
    with tempfile.TemporaryDirectory(prefix="rmxl-diff-") as tmp:
        _extract(top, Path(tmp), rev, entries)
        yield Path(tmp) / rel


def _tree(top: Path, rev: str, *paths: str) -> list[tuple[str, str, str]]:
    """``(mode, object id, path)`` of every blob and link under ``paths`` at ``rev``
    (submodules left out)."""
    try:
        out = git(top, "ls-tree", "-r", "-z", "--full-tree", rev, "--", *paths)
    except GitError as e:
        raise DiffError(str(e)) from e
    entries = []
    for item in out.decode("utf-8", errors="surrogateescape").split("\0"):
        if item:
            meta, path = item.split("\t", 1)
            mode, kind, oid = meta.split()
            if kind == "blob":
                entries.append((mode, oid, path))
    return entries


def _extract(top: Path, dest: Path, rev: str, entries: list[tuple[str, str, str]]) -> None:
    """Write ``entries`` under ``dest`` as git stores them; a committed link's target,
    when it lies elsewhere in the repository, is extracted too."""
    done: set[str] = set()
    while entries:
        blobs = _blobs(top, [oid for _, oid, _ in entries])
        targets: list[str] = []
        for mode, oid, path in entries:
            if path in done:
                continue
            done.add(path)
            out = dest / path
            out.parent.mkdir(parents=True, exist_ok=True)
            if mode == "120000":
                target = blobs[oid].decode("utf-8", errors="surrogateescape")
                inside = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
                if posixpath.isabs(target) or inside == ".." or inside.startswith("../"):
                    raise DiffError(
                        f"{path} at {rev} links outside the repository ({target})", "diff-link"
                    )
                os.symlink(target, out)
                targets.append(inside)
            else:
                out.write_bytes(blobs[oid])
        entries = [e for e in _tree(top, rev, *targets) if e[2] not in done] if targets else []


def _blobs(top: Path, oids: list[str]) -> dict[str, bytes]:
    """The contents of the blobs ``oids``, from one ``git cat-file --batch``."""
    wanted = list(dict.fromkeys(oids))
    try:
        out = git(top, "cat-file", "--batch", stdin="".join(f"{o}\n" for o in wanted).encode())
    except GitError as e:
        raise DiffError(str(e)) from e
    blobs, at = {}, 0
    for oid in wanted:
        eol = out.index(b"\n", at)
        size = int(out[at:eol].split()[2])
        blobs[oid] = out[eol + 1 : eol + 1 + size]
        at = eol + 1 + size + 1
    return blobs


def _figures(ledger: Ledger) -> Any:
    from rmxl.compile import compile_ledger
    from rmxl.query.figures import Figures

    return Figures(compile_ledger(ledger))


def _load(root: Path, label: str, shown: str) -> Ledger:
    try:
        return loader.load(root)
    except LedgerError as e:
        errors = [d for d in e.diagnostics if d.severity == "error"]
        first = str(errors[0]).replace(root.as_posix(), shown) if errors else ""
        raise DiffError(
            f"the ledger at {label} is invalid ({len(errors)} error(s)); first: {first}",
            "diff-invalid",
            "fix that side (rmxl validate lists every error), then diff again",
        ) from e


def diff_revisions(ledger: Path, old: str = "HEAD", new: str | None = None) -> LedgerDiff:
    """Compare the ledger at git revision ``old`` with revision ``new`` (None: the
    working tree). Raises :class:`DiffError`."""
    with checkout(ledger, old) as a_root:
        a = _load(a_root, old, f"{old}:{_where(ledger)[1]}")
        if new is None:
            b = _load(ledger, WORKTREE, ledger.as_posix())
            return compare(a, b, old, WORKTREE)
        with checkout(ledger, new) as b_root:
            b = _load(b_root, new, f"{new}:{_where(ledger)[1]}")
            return compare(a, b, old, new)


# -- comparing two ledgers ----------------------------------------------------------


def _show(value: Any) -> str:
    if value is None or value == ():
        return "—"
    if isinstance(value, tuple):
        return ", ".join(_show(v) for v in value)
    return str(value)


def _contributions(a: Agreement) -> str:
    return "; ".join(f"{c.by} {c.amount} {c.currency}" for c in a.contributions) or "—"


_AGREEMENT_FIELDS = ("title", "signed", "partners", "regions", "priorities", "countries")


def _agreement_fields(a: Agreement) -> dict[str, str]:
    out = {f: _show(getattr(a, f)) for f in _AGREEMENT_FIELDS}
    out["contributions"] = _contributions(a)
    out["reference"], out["notes"] = _show(a.reference), _show(a.notes)
    return out


def _changes(old: dict[str, Any], new: dict[str, Any], fields: Any, summary: Any) -> list[Change]:
    out = [Change("removed", k, summary(v)) for k, v in old.items() if k not in new]
    out += [Change("added", k, summary(v)) for k, v in new.items() if k not in old]
    for k in old.keys() & new.keys():
        fa, fb = fields(old[k]), fields(new[k])
        diffs = tuple((f, fa[f], fb[f]) for f in fa if fa[f] != fb[f])
        if diffs:
            out.append(Change("changed", k, summary(new[k]), diffs))
    order = {"removed": 0, "added": 1, "changed": 2}
    return sorted(out, key=lambda c: (order[c.kind], c.id))


def _rates(a: Ledger, b: Ledger) -> list[Change]:
    ta, tb = (
        {(cur, day): str(r) for cur, e in x.rates.table.items() for day, r in e} for x in (a, b)
    )
    out = []
    for key in sorted(ta.keys() | tb.keys()):
        rid = f"{key[0]} {key[1]}"
        if key not in tb:
            out.append(Change("removed", rid, ta[key]))
        elif key not in ta:
            out.append(Change("added", rid, tb[key]))
        elif ta[key] != tb[key]:
            out.append(Change("changed", rid, tb[key], (("rate", ta[key], tb[key]),)))
    return out


def compare(a: Ledger, b: Ledger, old: str = "old", new: str = "new") -> LedgerDiff:
    """The records that differ between two validated ledgers and the effect on the
    figures of every affected calendar year."""
    ags = ({x.id: x for x in led.agreements} for led in (a, b))
    agm_a, agm_b = ags
    out = LedgerDiff(old, new)
    out.agreements = _changes(agm_a, agm_b, _agreement_fields, lambda x: f"{x.signed} {x.title}")
    out.partners = _changes(
        a.partners,
        b.partners,
        lambda p: {f: _show(getattr(p, f)) for f in ("name", "type", "membership", "country")},
        lambda p: p.name,
    )
    out.rates = _rates(a, b)
    out.taxonomy = _taxonomy(a, b)
    years = _years(out, a, b, agm_a, agm_b)
    if out.empty():
        return out
    fa, fb = _figures(a), _figures(b)
    out.effects = [_effect(fa, fb, y) for y in years]
    # the spans the workbook builds too (the year so far, the same months a year earlier),
    # unless one says what a listed period already says (2023 and "2023 to 28 Feb")
    seen = {(e.totals, e.shares) for e in out.effects}
    for p in _workbook_periods(fa, fb):
        e = _effect(fa, fb, p)
        if e.moved() and (e.totals, e.shares) not in seen:
            seen.add((e.totals, e.shares))
            out.effects.append(e)
    return out


def _taxonomy(a: Ledger, b: Ledger) -> list[Change]:
    """Codes of the taxonomy's vocabularies added, removed or relabelled (``region
    africa``, ``priority kap/p1``): a label is what every breakdown row and chart shows."""

    def codes(led: Ledger) -> dict[str, str]:
        t = led.taxonomy
        vocab = {"region": t.regions, "partner type": t.partner_types, "membership": t.membership}
        out = {f"{k} {c.code}": c.label for k, v in vocab.items() for c in v.values}
        for plan in t.action_plans:
            out[f"action plan {plan.code}"] = plan.label
            out.update({f"priority {plan.code}/{c.code}": c.label for c in plan.priorities.values})
        return out

    return _changes(codes(a), codes(b), lambda label: {"label": label}, lambda label: label)


def _workbook_periods(fa: Any, fb: Any) -> list[Period]:
    """The periods ``rmxl build`` makes sheets for on either side (its default plan:
    calendar years, the latest year so far and the same months a year earlier)."""
    from rmxl.render.workbook.build import plan_for

    out: list[Period] = []
    for fig in (fa, fb):
        try:
            plan = plan_for(fig, None)
        except QueryError:
            continue
        out += [*plan.periods, *(p for pair in plan.pairs for p in pair)]
    return list({p.text: p for p in out}.values())


def _years(
    d: LedgerDiff, a: Ledger, b: Ledger, agm_a: dict[str, Agreement], agm_b: dict[str, Agreement]
) -> list[int]:
    """The calendar years whose figures a change can move: those of a changed agreement
    (either side's signed date), of agreements naming a partner added, removed or changed
    in more than its name, and of contributions whose applicable rate changed."""
    years: set[int] = set()
    for c in d.agreements:
        years.update(x[c.id].signed.year for x in (agm_a, agm_b) if c.id in x)
    partners = {
        c.id for c in d.partners if any(f != "name" for f, _, _ in c.fields) or not c.fields
    }
    currencies = {c.id.split()[0] for c in d.rates}
    for led in (a, b):
        for ag in led.agreements:
            rate_moved = any(
                a.rates.lookup(x.currency, ag.signed) != b.rates.lookup(x.currency, ag.signed)
                for x in ag.contributions
                if x.currency in currencies
            )
            if rate_moved or partners & set(ag.partners):
                years.add(ag.signed.year)
    return sorted(years)


def _effect(fa: Any, fb: Any, year: int | Period) -> Effect:
    totals = tuple((m, fa.total(year, m), fb.total(year, m)) for m in TOTALS)
    moves: list[ShareMove] = []
    for dim, measure in SHARES:
        before, after = _shares(fa, dim, year, measure), _shares(fb, dim, year, measure)
        for label in [*before, *(k for k in after if k not in before)]:
            x, y = before.get(label, 0.0), after.get(label, 0.0)
            if abs(y - x) * 100 > SHARE_POINTS:
                moves.append(ShareMove(dim, measure, label, x, y))
    return Effect(str(year), totals, tuple(moves))


def _shares(fig: Any, dim: str, year: int | Period, measure: str) -> dict[str, float]:
    """``{bucket label: share}`` of a breakdown; empty for an empty year or zero total."""
    try:
        bd = fig.breakdown(dim, year, measure)
    except QueryError:
        return {}
    return {label: s for label, _, s in bd.rows() if s is not None}
