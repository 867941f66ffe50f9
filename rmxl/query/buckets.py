"""Buckets (spec §3): the rows of a breakdown, and how a bucket is named.

For the taxonomy dimensions (region, priority, partner_type, membership) the buckets are
every code of the vocabulary in taxonomy order, zero ones too, with the multi bucket
(code ``multi``) or the non-member bucket (code ``none``, "Not a member") last. A period
that spans two action plans has the priorities of both, each plan with its own multi
bucket; such buckets are also named ``plan:code`` (``kap:multi``).

For ``partner``, ``country`` and ``currency`` there is no vocabulary: the buckets are the
partners, countries or currencies that take part in the period (rmxl's rule, see
docs/semantics.md). A bucket is named by its code or its label, case-insensitively, with
surrounding spaces ignored.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rmxl.diagnostics import QueryError, closest_names
from rmxl.model import ITU, MULTI, NONE, Taxonomy
from rmxl.query.names import closest, preview, text_of
from rmxl.query.periods import Period
from rmxl.validate import iso

NOT_A_MEMBER = "Not a member"
NO_COUNTRY = "No country"


@dataclass(frozen=True, slots=True)
class Bucket:
    """One row of a breakdown. ``key`` is what the compiled tables hold for it (a code, a
    partner id, or ``(plan, code)`` for priorities)."""

    key: Any
    code: str
    label: str


def taxonomy_buckets(tax: Taxonomy, dim: str, period: Period | None) -> list[Bucket]:
    """Buckets of a taxonomy dimension in row order; for ``priority``, those of the plans
    in force during ``period`` (all plans if None)."""
    if dim == "region":
        out = [Bucket(c.code, c.code, c.label) for c in tax.regions.values]
        return [*out, Bucket(MULTI, MULTI, tax.regions.multi_label or "Multi-regions")]
    if dim == "partner_type":
        return [Bucket(c.code, c.code, c.label) for c in tax.partner_types.values]
    if dim == "membership":
        out = [Bucket(c.code, c.code, c.label) for c in tax.membership.values]
        return [*out, Bucket(NONE, NONE, NOT_A_MEMBER)]
    if dim == "priority":
        plans = tax.action_plans if period is None else tax.plans_during(period.start, period.end)
        qualify = len(plans) > 1
        out = []
        for p in plans:
            for c in p.priorities.values:
                code = f"{p.code}:{c.code}" if qualify else c.code
                out.append(Bucket((p.code, c.code), code, c.label))
            code = f"{p.code}:{MULTI}" if qualify else MULTI
            out.append(Bucket((p.code, MULTI), code, p.multi_label))
        return out
    raise KeyError(dim)


def _norm(text: Any) -> str:
    return " ".join(text_of(text).split()).lower()


class Index:
    """Bucket names of one dimension (and, for priorities, one set of plans) → buckets,
    built once so that naming a bucket is a dictionary lookup at any ledger size."""

    def __init__(self, tax: Taxonomy, dim: str, period: Period, partners: dict[str, str]):
        self.dim = dim
        self.candidates = _candidates(tax, dim, period, partners)
        self.in_period = (
            {b.key for b in taxonomy_buckets(tax, dim, period)} if dim == "priority" else set()
        )
        self.names: dict[str, list[Bucket]] = {}
        for b in self.candidates:
            for text in {_norm(b.code), _norm(b.label)}:
                self.names.setdefault(text, []).append(b)

    def resolve(self, name: Any) -> Bucket:
        """The bucket called ``name`` (code or label, any case, spaces trimmed). Raises
        QueryError ``unknown-bucket`` with the closest valid name, or
        ``ambiguous-bucket``."""
        dim = self.dim
        if name is None or (isinstance(name, str) and not name.strip()):
            raise QueryError("unknown-bucket", f"no {dim.replace('_', ' ')} given")
        if isinstance(name, float) and name.is_integer():
            name = int(name)
        hits = self.names.get(_norm(name), [])
        if dim == "priority" and len(hits) > 1:
            hits = [b for b in hits if b.key in self.in_period] or hits
        unique = list({b.key: b for b in hits}.values())
        if len(unique) == 1:
            return unique[0]
        if unique:
            names = [f"{b.key[0]}:{b.key[1]}" if dim == "priority" else b.code for b in unique]
            raise QueryError(
                "ambiguous-bucket",
                f"'{name}' is ambiguous in {dim}: write one of {', '.join(names)}",
            )
        if dim == "partner" and _norm(name) == _norm(ITU):  # spec §2: ITU's own component
            raise QueryError(
                "unknown-bucket",
                "ITU is no partner: its co-financing is the measure itu_funds, split by "
                'region or priority (RM_TOTAL(2022, "itu_funds"))',
            )
        labels = [b.label for b in self.candidates]
        text = text_of(name).strip() if isinstance(name, str | int) else ""
        hint = closest(text, labels + [b.code for b in self.candidates])
        if dim in ("partner", "country", "currency"):  # long lists: the nearest names only
            near = closest_names(text, labels, 3, cutoff=0.3, parts=True)
            shown = f"closest: {'; '.join(near)}" if near else f"none of {len(labels)} is close"
        else:
            shown = ", ".join(labels[:6]) + (", …" if len(labels) > 6 else "")
        raise QueryError(
            "unknown-bucket", f"unknown {dim.replace('_', ' ')} {preview(name)}{hint} ({shown})"
        )


def _candidates(tax: Taxonomy, dim: str, period: Period, partners: dict[str, str]) -> list[Bucket]:
    if dim == "priority":
        out = taxonomy_buckets(tax, dim, period)
        keys = {b.key for b in out}
        for b in taxonomy_buckets(tax, dim, None):  # other plans' priorities, qualified too
            plan, code = b.key
            if b.key not in keys:
                out.append(Bucket(b.key, f"{plan}:{code}", b.label))
            out.append(Bucket(b.key, code, b.label))
            out.append(Bucket(b.key, f"{plan}:{code}", b.label))
        return out
    if dim in ("region", "partner_type", "membership"):
        return taxonomy_buckets(tax, dim, period)
    if dim == "partner":
        return [Bucket(pid, pid, name) for pid, name in partners.items()]
    if dim == "country":
        return [
            *(Bucket(c, c, n) for c, n in iso.countries().items()),
            Bucket(NONE, NONE, NO_COUNTRY),
        ]
    if dim == "currency":
        return [Bucket(c, c, c) for c in sorted(iso.currencies())]
    raise KeyError(dim)


def label_of(dim: str, key: Any, partners: dict[str, str]) -> str:
    """Label of a non-taxonomy bucket key (partner name, country name, currency code)."""
    if dim == "partner":
        return partners.get(key, str(key))
    if dim == "country":
        return NO_COUNTRY if key == NONE else iso.country_name(str(key))
    return str(key)
